#include "consensus/node_status.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace shardctl {
namespace {

using nlohmann::json;

const json* At(const json& doc, const std::string& pointer) {
  try {
    json::json_pointer p(pointer);
    return doc.contains(p) ? &doc.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

/// A number, a decimal string or a "0x" hex string (RPCs disagree on which).
std::optional<int64_t> AsInteger(const json& v) {
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{INT64_MAX}) return std::nullopt;
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();  // in range before the cast: out of range is undefined
    if (!(d >= -9.2e18 && d <= 9.2e18)) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return std::nullopt;
  bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  size_t used = 0;
  try {
    int64_t n = std::stoll(hex ? s.substr(2) : s, &used, hex ? 16 : 10);
    if (used != s.size() - (hex ? 2 : 0)) return std::nullopt;
    return n;
  } catch (...) {
    return std::nullopt;
  }
}

Status Missing(const std::string& pointer, const char* expected, const json* found) {
  return Status::Failed("probe output " + pointer + ": expected " + expected + ", found " +
                        (found == nullptr ? "nothing" : ToJsonText(*found).substr(0, 40)));
}

Status ReadOptionalInt(const json& doc, const std::string& pointer, std::optional<int64_t>* out) {
  if (pointer.empty()) return Status::Ok();
  const json* v = At(doc, pointer);
  if (v == nullptr || v->is_null()) return Status::Ok();
  *out = AsInteger(*v);
  return out->has_value() ? Status::Ok() : Missing(pointer, "an integer", v);
}

/// An id as text: a string as it is, an integer in decimal; "" when absent or anything else.
std::string IdAt(const json& doc, const std::string& pointer) {
  const json* v = pointer.empty() ? nullptr : At(doc, pointer);
  if (v == nullptr) return "";
  if (v->is_string()) return v->get<std::string>();
  return v->is_number_integer() ? ToJsonText(*v) : "";
}

/// Without a mode pointer: a node that names a leader (leader_id given) or simply answers is
/// in normal mode; one whose leader id is empty or 0 is looking for a leader.
Status ReadMode(const json& doc, const ProbeMap& map, ProbeFields* f) {
  if (!map.mode.empty()) {
    const json* mode = At(doc, map.mode);
    if (mode == nullptr || !mode->is_string()) return Missing(map.mode, "a mode string", mode);
    f->mode = mode->get<std::string>();
  } else if (!map.leader_id.empty()) {
    std::string leader = IdAt(doc, map.leader_id);
    f->mode = leader.empty() || leader == "0" ? map.view_changing_mode : map.normal_mode;
  } else {
    f->mode = map.normal_mode;
  }
  return Status::Ok();
}

void ReadLeader(const json& doc, const ProbeMap& map, ProbeFields* f) {
  if (!map.leader.empty()) {
    const json* leader = At(doc, map.leader);
    if (leader != nullptr && leader->is_boolean()) f->leader = leader->get<bool>();
  } else if (!map.leader_id.empty()) {
    std::string self = IdAt(doc, map.node_id);
    if (!self.empty()) f->leader = IdAt(doc, map.leader_id) == self;
  }
}

}  // namespace

Result<ProbeFields> ParseProbeOutput(const std::string& output, const ProbeMap& map) {
  auto parsed = ParseJsonText(output, "probe output");
  if (!parsed.ok()) {
    std::string head = output.substr(0, 60);
    return Status::Failed("probe output is not JSON: \"" + head + "\"");
  }
  const json& doc = *parsed;
  ProbeFields f;
  const json* height = At(doc, map.height);
  std::optional<int64_t> h = height ? AsInteger(*height) : std::nullopt;
  // A height below 0 is no height: it would read as "no answer" (-1) or as a chain gone back.
  if (!h || *h < 0) return Missing(map.height, "a block height (0 or more)", height);
  f.height = *h;
  SHARDCTL_RETURN_IF_ERROR(ReadMode(doc, map, &f));
  SHARDCTL_RETURN_IF_ERROR(ReadOptionalInt(doc, map.view_id, &f.view_id));
  SHARDCTL_RETURN_IF_ERROR(ReadOptionalInt(doc, map.view_change_id, &f.view_change_id));
  ReadLeader(doc, map, &f);
  if (!map.version.empty()) {
    const json* version = At(doc, map.version);
    if (version != nullptr && version->is_string()) f.version = version->get<std::string>();
  }
  return f;
}

}  // namespace shardctl
