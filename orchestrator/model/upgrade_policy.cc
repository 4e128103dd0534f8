#include "model/upgrade_policy.h"

#include <cctype>
#include <cmath>

#include "model/json_reader.h"
#include "model/playbook.h"
#include "model/template.h"

namespace shardctl {
namespace {

using nlohmann::json;

Status ReadPathTemplate(const JsonAt& paths, const char* key, std::string* out) {
  if (!paths.Has(key)) return paths.Error("missing \"" + std::string(key) + "\" (a path template)");
  auto s = paths[key].String();
  if (!s.ok()) return s.status();
  auto vars = TemplateVars(*s);
  if (!vars.ok()) return paths[key].Error(vars.status().message());
  *out = *s;
  return Status::Ok();
}

Status ReadPaths(const JsonAt& at, UpgradePaths* p) {
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"binary", "staged", "rollback"}));
  SHARDCTL_RETURN_IF_ERROR(ReadPathTemplate(at, "binary", &p->binary));
  SHARDCTL_RETURN_IF_ERROR(ReadPathTemplate(at, "staged", &p->staged));
  return ReadPathTemplate(at, "rollback", &p->rollback);
}

Status ReadNumbers(const JsonAt& at, UpgradePolicy* p) {
  if (at.Has("canary")) {
    auto v = at["canary"].Int(0, 1000);
    if (!v.ok()) return v.status();
    p->canary = static_cast<int>(*v);
  }
  if (at.Has("soak_s")) {
    auto v = at["soak_s"].Number(0, 86400);
    if (!v.ok()) return v.status();
    p->soak = Duration(static_cast<int64_t>(std::llround(*v * 1000)));
  }
  if (at.Has("soak_blocks")) {
    auto v = at["soak_blocks"].Int(0, 1000000);
    if (!v.ok()) return v.status();
    p->soak_blocks = static_cast<int>(*v);
  }
  return Status::Ok();
}

Status ReadStrings(const JsonAt& at, UpgradePolicy* p) {
  if (at.Has("format")) {
    auto v = at["format"].String();
    if (!v.ok()) return v.status();
    p->format = *v;
  }
  if (at.Has("version_pointer")) {
    auto v = at["version_pointer"].String();
    if (!v.ok()) return v.status();
    try {
      json::json_pointer ptr(*v);
    } catch (const json::exception&) {
      return at["version_pointer"].Expected("a JSON pointer like \"/result/version\"");
    }
    p->version_pointer = *v;
  }
  return Status::Ok();
}

bool IsVersionChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
         c == '+';
}

}  // namespace

const std::vector<std::string>& UpgradeVarNames() {
  static const std::vector<std::string> names = {"artifact_sha256", "version", "run_id",
                                                 "binary",          "staged",  "rollback"};
  return names;
}

Result<UpgradePolicy> ParseUpgradePolicy(const json& upgrade, const std::string& file) {
  JsonAt at(upgrade, file, "/upgrade");
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  SHARDCTL_RETURN_IF_ERROR(
      at.OnlyKeys({"canary", "soak_s", "soak_blocks", "format", "version_pointer", "paths"}));
  UpgradePolicy p;
  p.present = true;
  SHARDCTL_RETURN_IF_ERROR(ReadNumbers(at, &p));
  SHARDCTL_RETURN_IF_ERROR(ReadStrings(at, &p));
  if (!at.Has("paths")) return at.Error("missing \"paths\" (binary, staged, rollback)");
  SHARDCTL_RETURN_IF_ERROR(ReadPaths(at["paths"], &p.paths));
  return p;
}

Result<Vars> UpgradeVarsFor(const Playbook& pb, const Node& node, const UpgradeRunVars& run) {
  Vars vars = node.vars;
  for (const std::string& name : UpgradeVarNames()) {
    if (vars.count(name) > 0) {
      return Status::Invalid(pb.path + ": node " + node.name + " has a var \"" + name +
                             "\", which the upgrade commands reserve for their own value");
    }
  }
  const UpgradePaths& p = pb.upgrade.paths;
  const std::pair<const char*, const std::string*> paths[] = {
      {"binary", &p.binary}, {"staged", &p.staged}, {"rollback", &p.rollback}};
  for (const auto& [key, tmpl] : paths) {
    // Plain text here: the commands quote it when they substitute {{binary}} etc.
    auto rendered = RenderTemplateUnquoted(*tmpl, node.vars);
    if (!rendered.ok()) {
      return rendered.status().Annotate(pb.path + ":/upgrade/paths/" + key + ": node " + node.name +
                                        ": ");
    }
    vars[key] = *rendered;
  }
  vars["artifact_sha256"] = run.artifact_sha256;
  vars["version"] = run.version;
  vars["run_id"] = run.run_id;
  return vars;
}

Result<std::string> RenderUpgradeCommand(const Playbook& pb, CommandId id, const Node& node,
                                         const UpgradeRunVars& run) {
  auto vars = UpgradeVarsFor(pb, node, run);
  if (!vars.ok()) return vars.status();
  auto rendered = RenderTemplate(pb.commands.Get(id), *vars);
  if (!rendered.ok()) {
    return rendered.status().Annotate(pb.path + ":/commands/" + CommandKey(id) + ": node " +
                                      node.name + ": ");
  }
  return rendered;
}

Status CheckUpgradeAgainst(const Playbook& pb, const Inventory& inv) {
  for (CommandId id : UpgradeCommandIds()) {
    if (!pb.Provides(id)) {
      return Status::Invalid(pb.path + ":/commands/" + CommandKey(id) +
                             ": expected a command template (upgrade needs stage, swap, "
                             "rollback and version, or probe.http with "
                             "upgrade.version_pointer in place of version), found nothing");
    }
  }
  if (!pb.upgrade.present) {
    return Status::Invalid(pb.path +
                           ":/upgrade: expected the upgrade section (paths, canary, "
                           "soak_s, soak_blocks), found nothing");
  }
  UpgradeRunVars sample{std::string(64, '0'), "v0", "run-id"};
  std::vector<CommandId> ids = UpgradeCommandIds();
  if (!pb.commands.verify_staged.empty()) ids.push_back(CommandId::kVerifyStaged);
  for (const Node* node : inv.AllNodes()) {
    for (CommandId id : ids) {
      auto rendered = RenderUpgradeCommand(pb, id, *node, sample);
      if (!rendered.ok()) return rendered.status();
    }
  }
  return Status::Ok();
}

Result<std::string> ExtractVersion(const UpgradePolicy& policy, const std::string& output) {
  if (policy.version_pointer.empty()) {
    size_t b = output.find_first_not_of(" \t\r\n");
    size_t e = output.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : output.substr(b, e - b + 1);
  }
  json j = json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Invalid("version output is not JSON");
  json::json_pointer ptr(policy.version_pointer);
  if (!j.contains(ptr) || !j.at(ptr).is_string()) {
    return Status::Invalid("version output has no string at " + policy.version_pointer);
  }
  return j.at(ptr).get<std::string>();
}

bool VersionMatches(const std::string& text, const std::string& version) {
  if (version.empty()) return false;
  for (size_t at = text.find(version); at != std::string::npos; at = text.find(version, at + 1)) {
    size_t end = at + version.size();
    bool left = at == 0 || !IsVersionChar(text[at - 1]);
    bool right = end == text.size() || !IsVersionChar(text[end]) ||
                 (text[end] == '.' && (end + 1 == text.size() || !IsVersionChar(text[end + 1])));
    if (left && right) return true;
  }
  return false;
}

}  // namespace shardctl
