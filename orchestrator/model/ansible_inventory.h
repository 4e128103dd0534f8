// Converting between Ansible inventories (INI or YAML) and shardctl inventories.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/ansible_tree.h"
#include "model/inventory.h"

namespace shardctl {

struct AnsibleImportOptions {
  /// Host var holding the shard number; empty: take it from the host's group names.
  std::string shard_var;
  /// ECMAScript regex over group names whose first capture is the shard number.
  std::string shard_group = "^(?:shard|s)[_-]?([0-9]+)$";
  /// Host var holding the voting power (absent: 1).
  std::string power_var = "voting_power";
};

struct AnsibleImport {
  nlohmann::json inventory;           // valid shardctl inventory JSON
  std::vector<std::string> warnings;  // vars that could not be carried over
};

/// Reads an Ansible inventory file: YAML when it ends in .yml/.yaml or starts like YAML
/// ("---" or "name:"), INI otherwise.
Result<AnsibleTree> ReadAnsibleFile(const std::string& path);

/// Maps every host to a node: ansible_host (else the host name), ansible_port, ansible_user,
/// ansible_ssh_private_key_file become the SSH fields, options.power_var the voting power, the
/// shard comes from options.shard_var or a group matching options.shard_group; every other
/// host var (group vars included) becomes a var. Values shared by all nodes move to defaults,
/// vars shared by a shard to that shard, so INI and YAML spellings of one inventory give the
/// same JSON. The result is validated (ParseInventory) before it is returned; `name` labels
/// errors.
Result<AnsibleImport> ImportAnsible(const AnsibleTree& tree, const AnsibleImportOptions& options,
                                    const std::string& name);

/// The other way: one group "shard<N>" per shard; SSH fields the inventory set and voting
/// power != 1 become host vars; vars shared by all hosts go to all:vars, by a shard to its group.
AnsibleTree ExportAnsible(const Inventory& inv, const std::string& power_var = "voting_power");

}  // namespace shardctl
