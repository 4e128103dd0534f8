// An Ansible inventory as Ansible sees it: groups (vars, children, hosts) and host vars, read
// from and written to its INI and YAML formats. Reading follows base/read_file.h: the text is
// UTF-8, and what it expands to (host ranges, YAML aliases, nested groups) is capped in all.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

using AnsibleVars = std::map<std::string, std::string>;

/// Hosts one Ansible inventory may name (ranges expanded), in all.
inline constexpr size_t kMaxAnsibleHosts = 2000;
/// Entries one inventory may expand to (hosts, vars, groups and children, each time a YAML alias
/// repeats them), in all.
inline constexpr size_t kMaxAnsibleEntries = 10000;

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

  /// Records host as a member of group, creating both as needed. False when group already
  /// names host (the caller says whether that is an error).
  bool AddHost(const std::string& group, const std::string& host);
  /// Records child as a child group of parent, creating both. False when parent already has it.
  bool AddChild(const std::string& parent, const std::string& child);
  /// What parsers call last: Invalid naming a cycle of children ("a -> b -> a") if there is one;
  /// otherwise orders the groups for EffectiveVars.
  Status Finish(const std::string& path);
  /// Host vars over group vars, deeper groups over their parents (as Ansible merges them).
  AnsibleVars EffectiveVars(const std::string& host) const;
  /// Every group host belongs to, directly or through children, sorted ("all" included).
  std::vector<std::string> GroupsOf(const std::string& host) const;

 private:
  Status CycleError(const std::string& start, const std::map<std::string, size_t>& waiting,
                    const std::string& path) const;

  std::map<std::string, std::vector<std::string>> direct_;   // host -> groups naming it
  std::map<std::string, std::vector<std::string>> parents_;  // group -> groups naming it
  std::map<std::string, int> depth_;  // group -> longest path below "all" (Finish)
};

/// INI inventory: [group], [group:vars], [group:children], host lines with key=value vars
/// (quoted values allowed), numeric ranges (web[01:03]). A host listed twice in one group is an
/// error. Errors name file and line.
Result<AnsibleTree> ParseAnsibleIni(const std::string& text, const std::string& path);
/// YAML inventory (all: hosts/vars/children, nested). A key repeated in one map is an error.
/// Errors name file and line.
Result<AnsibleTree> ParseAnsibleYaml(const std::string& text, const std::string& path);

/// INI text for tree. Invalid, naming the host or group and the var, for a value INI cannot hold
/// so that it reads back the same (a line break) or Ansible would run as a template ("{{",
/// "{%"); YAML can hold both.
Result<std::string> EmitAnsibleIni(const AnsibleTree& tree);
std::string EmitAnsibleYaml(const AnsibleTree& tree);

/// Invalid("PATH:LINE:COL: not valid UTF-8 ...") for text that is not; Ok otherwise.
Status CheckAnsibleUtf8(const std::string& text, const std::string& path);

}  // namespace shardctl
