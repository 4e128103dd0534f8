#include "model/json_reader.h"

#include <sstream>

namespace shardctl {

std::string JsonAt::Where() const { return file_ + ":" + (pointer_.empty() ? "/" : pointer_); }

JsonAt JsonAt::operator[](const std::string& key) const {
  return JsonAt(value_->at(key), file_, pointer_ + "/" + JsonPointerToken(key));
}

JsonAt JsonAt::operator[](size_t index) const {
  return JsonAt(value_->at(index), file_, pointer_ + "/" + std::to_string(index));
}

bool JsonAt::Has(const std::string& key) const {
  return value_->is_object() && value_->contains(key);
}

Status JsonAt::Expected(const std::string& what) const {
  return Status::Invalid(Where() + ": expected " + what + ", found " + DescribeJson(*value_));
}

Status JsonAt::Error(const std::string& message) const {
  return Status::Invalid(Where() + ": " + message);
}

Status JsonAt::RequireObject() const {
  return value_->is_object() ? Status::Ok() : Expected("an object");
}

Status JsonAt::RequireArray() const {
  return value_->is_array() ? Status::Ok() : Expected("an array");
}

Status JsonAt::OnlyKeys(std::initializer_list<const char*> allowed) const {
  SHARDCTL_RETURN_IF_ERROR(RequireObject());
  for (const auto& [key, unused] : value_->items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Status::Invalid(Where() + ": unknown key \"" + key + "\" (allowed: " + list + ")");
  }
  return Status::Ok();
}

Result<std::string> JsonAt::String() const {
  if (!value_->is_string() || value_->get_ref<const std::string&>().empty()) {
    return Expected("a non-empty string");
  }
  return value_->get<std::string>();
}

Result<int64_t> JsonAt::Int(int64_t min, int64_t max) const {
  std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!value_->is_number_integer()) return Expected(range);
  int64_t v = value_->get<int64_t>();
  if (v < min || v > max) return Expected(range);
  return v;
}

Result<double> JsonAt::Number(double min, double max) const {
  std::ostringstream range;
  range << "a number from " << min << " to " << max;
  if (!value_->is_number()) return Expected(range.str());
  double v = value_->get<double>();
  if (v < min || v > max) return Expected(range.str());
  return v;
}

Result<bool> JsonAt::Bool() const {
  if (!value_->is_boolean()) return Expected("true or false");
  return value_->get<bool>();
}

Result<std::string> JsonAt::Scalar() const {
  if (value_->is_string()) return value_->get<std::string>();
  if (value_->is_number_integer()) return std::to_string(value_->get<int64_t>());
  if (value_->is_number()) return ToJsonText(*value_);
  return Expected("a string or a number");
}

std::string DescribeJson(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    default: {
      std::string s = ToJsonText(v);
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return s;
    }
  }
}

}  // namespace shardctl
