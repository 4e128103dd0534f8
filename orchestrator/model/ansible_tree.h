// An Ansible inventory as Ansible sees it: groups (vars, children, hosts) and host vars, read
// from and written to its INI and YAML formats.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

using AnsibleVars = std::map<std::string, std::string>;

struct AnsibleGroup {
  AnsibleVars vars;
  std::vector<std::string> children;
  std::vector<std::string> hosts;
};

struct AnsibleTree {
  std::map<std::string, AnsibleGroup> groups;  // "all" is the root; others hang below it
  std::vector<std::string> hosts;              // every host once, in order of first mention
  std::map<std::string, AnsibleVars> host_vars;
  std::vector<std::string> warnings;  // vars that were skipped (lists, maps), for the user

  /// Records host (once) as a member of group, creating both as needed.
  void AddHost(const std::string& group, const std::string& host);
  /// Host vars over group vars, deeper groups over their parents (as Ansible merges them).
  AnsibleVars EffectiveVars(const std::string& host) const;
  /// Every group host belongs to, directly or through children.
  std::vector<std::string> GroupsOf(const std::string& host) const;
};

/// INI inventory: [group], [group:vars], [group:children], host lines with key=value vars
/// (quoted values allowed), numeric ranges (web[01:03]). Errors name file and line.
Result<AnsibleTree> ParseAnsibleIni(const std::string& text, const std::string& path);
/// YAML inventory (all: hosts/vars/children, nested). Errors name file and line.
Result<AnsibleTree> ParseAnsibleYaml(const std::string& text, const std::string& path);

std::string EmitAnsibleIni(const AnsibleTree& tree);
std::string EmitAnsibleYaml(const AnsibleTree& tree);

}  // namespace shardctl
