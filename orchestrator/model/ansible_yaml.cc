// Ansible's YAML inventory format (model/ansible_tree.h), read and written with yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "base/work_budget.h"
#include "model/ansible_tree.h"

namespace shardctl {
namespace {

std::string At(const std::string& path, const YAML::Node& n) {
  return path + ":" + std::to_string(n.Mark().line + 1) + ": ";
}

/// What one YAML inventory is held to: every map entry visited counts, each time an alias
/// repeats it, so nine levels of ten aliases stop at the cap instead of running for hours.
struct YamlReader {
  AnsibleTree* tree;
  const std::string& path;
  WorkBudget entries{kMaxAnsibleEntries, "hosts, vars and groups (YAML aliases count each time)"};
  WorkBudget hosts{kMaxAnsibleHosts, "hosts"};
};

/// The keys of map n, each once: a repeated key is an error naming its line (YAML would keep
/// one of them silently).
Result<std::vector<std::pair<std::string, YAML::Node>>> Entries(YamlReader& r, const YAML::Node& n,
                                                                const std::string& what) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  std::set<std::string> seen;
  for (const auto& kv : n) {
    SHARDCTL_RETURN_IF_ERROR(r.entries.Spend(1, At(r.path, kv.first)));
    std::string key = kv.first.as<std::string>();
    if (!seen.insert(key).second) {
      return Status::Invalid(At(r.path, kv.first) + "\"" + key + "\" appears twice in " + what);
    }
    out.emplace_back(key, kv.second);
  }
  return out;
}

/// Copies the scalar entries of a vars map; lists and maps are skipped with a warning.
Status ReadVars(YamlReader& r, const YAML::Node& n, const std::string& owner, AnsibleVars* vars) {
  if (!n || n.IsNull()) return Status::Ok();
  if (!n.IsMap()) return Status::Invalid(At(r.path, n) + "expected a map of vars for " + owner);
  auto entries = Entries(r, n, "the vars of " + owner);
  if (!entries.ok()) return entries.status();
  for (const auto& [key, value] : *entries) {
    if (value.IsScalar()) {
      (*vars)[key] = value.Scalar();
    } else if (value.IsNull()) {
      (*vars)[key] = "";
    } else {
      r.tree->warnings.push_back(owner + ": var \"" + key + "\" skipped (not a single value)");
    }
  }
  return Status::Ok();
}

Status ReadHosts(YamlReader& r, const std::string& group, const YAML::Node& hosts) {
  if (!hosts || hosts.IsNull()) return Status::Ok();
  if (!hosts.IsMap()) return Status::Invalid(At(r.path, hosts) + "expected hosts as a map");
  auto entries = Entries(r, hosts, "the hosts of group " + group);
  if (!entries.ok()) return entries.status();
  for (const auto& [host, vars] : *entries) {
    SHARDCTL_RETURN_IF_ERROR(r.hosts.Spend(1, At(r.path, hosts)));
    r.tree->AddHost(group, host);
    SHARDCTL_RETURN_IF_ERROR(ReadVars(r, vars, "host " + host, &r.tree->host_vars[host]));
  }
  return Status::Ok();
}

Status ReadGroup(YamlReader& r, const std::string& name, const YAML::Node& g, int depth) {
  if (depth > 64) return Status::Invalid(At(r.path, g) + "groups nested too deeply");
  r.tree->groups[name];
  if (!g || g.IsNull()) return Status::Ok();
  if (!g.IsMap())
    return Status::Invalid(At(r.path, g) + "expected group \"" + name + "\" as a map");
  auto keys = Entries(r, g, "group " + name);
  if (!keys.ok()) return keys.status();
  for (const auto& [key, value] : *keys) {
    if (key != "hosts" && key != "vars" && key != "children") {
      return Status::Invalid(At(r.path, value) + "group \"" + name + "\" has unknown key \"" + key +
                             "\" (hosts, vars, children)");
    }
  }
  SHARDCTL_RETURN_IF_ERROR(ReadVars(r, g["vars"], "group " + name, &r.tree->groups[name].vars));
  SHARDCTL_RETURN_IF_ERROR(ReadHosts(r, name, g["hosts"]));
  YAML::Node children = g["children"];
  if (!children || children.IsNull()) return Status::Ok();
  if (!children.IsMap()) return Status::Invalid(At(r.path, children) + "expected children map");
  auto entries = Entries(r, children, "the children of group " + name);
  if (!entries.ok()) return entries.status();
  for (const auto& [child, body] : *entries) {
    r.tree->AddChild(name, child);
    SHARDCTL_RETURN_IF_ERROR(ReadGroup(r, child, body, depth + 1));
  }
  return Status::Ok();
}

}  // namespace

Result<AnsibleTree> ParseAnsibleYaml(const std::string& text, const std::string& path) {
  SHARDCTL_RETURN_IF_ERROR(CheckAnsibleUtf8(text, path));
  AnsibleTree t;
  t.groups["all"];
  YamlReader r{&t, path};
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return Status::Invalid(path + ": expected a YAML map of groups (all: ...)");
    auto groups = Entries(r, root, "the top level");
    if (!groups.ok()) return groups.status();
    for (const auto& [name, body] : *groups) SHARDCTL_RETURN_IF_ERROR(ReadGroup(r, name, body, 0));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  SHARDCTL_RETURN_IF_ERROR(t.Finish(path));
  return t;
}

namespace {

/// A value YAML reads back the same and Ansible never templates: double-quoted unless plain,
/// tagged !unsafe when it holds template syntax.
void EmitValue(YAML::Emitter& out, const std::string& v) {
  if (v.find("{{") != std::string::npos || v.find("{%") != std::string::npos) {
    out << YAML::LocalTag("unsafe");
  }
  static const std::set<std::string> kNulls = {"~", "null", "Null", "NULL"};
  bool plain = !v.empty() && kNulls.count(v) == 0 &&
               v.find_first_not_of(
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789_./@+-") == std::string::npos;
  if (!plain) out << YAML::DoubleQuoted;
  out << v;
}

void EmitVars(YAML::Emitter& out, const AnsibleVars& vars) {
  out << YAML::BeginMap;
  for (const auto& [k, v] : vars) {
    out << YAML::Key << k << YAML::Value;
    EmitValue(out, v);
  }
  out << YAML::EndMap;
}

/// Groups no other group names as a child: they hang below "all".
std::vector<std::string> TopLevelGroups(const AnsibleTree& t) {
  std::set<std::string> nested;
  for (const auto& [name, g] : t.groups) nested.insert(g.children.begin(), g.children.end());
  std::vector<std::string> out;
  for (const auto& [name, g] : t.groups) {
    if (name != "all" && nested.count(name) == 0) out.push_back(name);
  }
  return out;
}

/// A group listed under several parents is written in full once; later mentions name it with
/// no body (Ansible merges them), so the text grows with the groups, not with the paths to them.
void EmitGroup(YAML::Emitter& out, const AnsibleTree& t, const std::string& name,
               std::set<std::string>* emitted, int depth) {
  if (!emitted->insert(name).second) {
    out << YAML::Null;
    return;
  }
  const AnsibleGroup& g = t.groups.at(name);
  out << YAML::BeginMap;
  if (!g.vars.empty()) {
    out << YAML::Key << "vars" << YAML::Value;
    EmitVars(out, g.vars);
  }
  if (!g.hosts.empty()) {
    out << YAML::Key << "hosts" << YAML::Value << YAML::BeginMap;
    for (const std::string& h : g.hosts) {
      out << YAML::Key << h << YAML::Value;
      EmitVars(out, t.host_vars.at(h));
    }
    out << YAML::EndMap;
  }
  std::vector<std::string> children = g.children;
  if (name == "all") {
    for (const std::string& top : TopLevelGroups(t)) children.push_back(top);
  }
  if (!children.empty() && depth < 64) {
    out << YAML::Key << "children" << YAML::Value << YAML::BeginMap;
    for (const std::string& c : children) {
      out << YAML::Key << c << YAML::Value;
      EmitGroup(out, t, c, emitted, depth + 1);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string EmitAnsibleYaml(const AnsibleTree& t) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "all" << YAML::Value;
  std::set<std::string> emitted;
  EmitGroup(out, t, "all", &emitted, 0);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace shardctl
