// Ansible's YAML inventory format (model/ansible_tree.h), read and written with yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "model/ansible_tree.h"

namespace shardctl {
namespace {

std::string At(const std::string& path, const YAML::Node& n) {
  return path + ":" + std::to_string(n.Mark().line + 1) + ": ";
}

/// Copies the scalar entries of a vars map; lists and maps are skipped with a warning.
Status ReadVars(const YAML::Node& n, const std::string& path, const std::string& owner,
                AnsibleVars* vars, std::vector<std::string>* warnings) {
  if (!n || n.IsNull()) return Status::Ok();
  if (!n.IsMap()) return Status::Invalid(At(path, n) + "expected a map of vars for " + owner);
  for (const auto& kv : n) {
    std::string key = kv.first.as<std::string>();
    if (kv.second.IsScalar()) {
      (*vars)[key] = kv.second.Scalar();
    } else if (kv.second.IsNull()) {
      (*vars)[key] = "";
    } else {
      warnings->push_back(owner + ": var \"" + key + "\" skipped (not a single value)");
    }
  }
  return Status::Ok();
}

Status ReadGroup(AnsibleTree* t, const std::string& name, const YAML::Node& g,
                 const std::string& path, int depth) {
  if (depth > 64) return Status::Invalid(At(path, g) + "groups nested too deeply");
  t->groups[name];
  if (!g || g.IsNull()) return Status::Ok();
  if (!g.IsMap()) return Status::Invalid(At(path, g) + "expected group \"" + name + "\" as a map");
  for (const auto& kv : g) {
    std::string key = kv.first.as<std::string>();
    if (key != "hosts" && key != "vars" && key != "children") {
      return Status::Invalid(At(path, kv.first) + "group \"" + name + "\" has unknown key \"" +
                             key + "\" (hosts, vars, children)");
    }
  }
  SHARDCTL_RETURN_IF_ERROR(
      ReadVars(g["vars"], path, "group " + name, &t->groups[name].vars, &t->warnings));
  if (YAML::Node hosts = g["hosts"]; hosts && !hosts.IsNull()) {
    if (!hosts.IsMap()) return Status::Invalid(At(path, hosts) + "expected hosts as a map");
    for (const auto& h : hosts) {
      std::string host = h.first.as<std::string>();
      t->AddHost(name, host);
      SHARDCTL_RETURN_IF_ERROR(
          ReadVars(h.second, path, "host " + host, &t->host_vars[host], &t->warnings));
    }
  }
  if (YAML::Node children = g["children"]; children && !children.IsNull()) {
    if (!children.IsMap()) return Status::Invalid(At(path, children) + "expected children map");
    for (const auto& c : children) {
      std::string child = c.first.as<std::string>();
      auto& list = t->groups[name].children;
      if (std::find(list.begin(), list.end(), child) == list.end()) list.push_back(child);
      SHARDCTL_RETURN_IF_ERROR(ReadGroup(t, child, c.second, path, depth + 1));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<AnsibleTree> ParseAnsibleYaml(const std::string& text, const std::string& path) {
  AnsibleTree t;
  t.groups["all"];
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return Status::Invalid(path + ": expected a YAML map of groups (all: ...)");
    for (const auto& kv : root) {
      SHARDCTL_RETURN_IF_ERROR(ReadGroup(&t, kv.first.as<std::string>(), kv.second, path, 0));
    }
  } catch (const YAML::Exception& e) {
    return Status::Invalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return t;
}

namespace {

void EmitVars(YAML::Emitter& out, const AnsibleVars& vars) {
  out << YAML::BeginMap;
  for (const auto& [k, v] : vars) out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
}

void EmitGroup(YAML::Emitter& out, const AnsibleTree& t, const std::string& name, int depth) {
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
    for (const auto& [other, unused] : t.groups) {
      bool nested = false;
      for (const auto& [p, pg] : t.groups) {
        nested =
            nested || std::find(pg.children.begin(), pg.children.end(), other) != pg.children.end();
      }
      if (other != "all" && !nested) children.push_back(other);
    }
  }
  if (!children.empty() && depth < 64) {
    out << YAML::Key << "children" << YAML::Value << YAML::BeginMap;
    for (const std::string& c : children) {
      out << YAML::Key << c << YAML::Value;
      EmitGroup(out, t, c, depth + 1);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string EmitAnsibleYaml(const AnsibleTree& t) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "all" << YAML::Value;
  EmitGroup(out, t, "all", 0);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace shardctl
