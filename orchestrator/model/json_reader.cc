#include "model/json_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shardctl {
namespace {

std::string EscapePointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Line and column of byte offset `pos` in text (1-based).
std::string LineCol(const std::string& text, size_t pos) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

std::string JsonAt::Where() const { return file_ + ":" + (pointer_.empty() ? "/" : pointer_); }

JsonAt JsonAt::operator[](const std::string& key) const {
  return JsonAt(value_->at(key), file_, pointer_ + "/" + EscapePointerToken(key));
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
  if (value_->is_number()) return value_->dump();
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
      std::string s = v.dump();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return s;
    }
  }
}

Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Invalid(path + ": cannot read: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::Invalid(path + ":" + LineCol(text, e.byte > 0 ? e.byte - 1 : 0) +
                           ": not valid JSON: " + e.what());
  }
}

}  // namespace shardctl
