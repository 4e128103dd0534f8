// What an Ansible host's ssh argument vars (ansible_ssh_common_args, ansible_ssh_extra_args,
// ansible_ssh_args) say about the route to it. shardctl runs no ssh command line, so nothing
// there may be dropped silently: a ProxyJump (-J, -o ProxyJump=) becomes the node's jump host,
// a ProxyCommand is refused (shardctl never runs one, and would dial the host directly).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

/// The ssh argument vars, in the order their options apply.
const std::vector<std::string>& AnsibleSshArgVars();

struct SshArgsRoute {
  std::string jump;                  // the ProxyJump spec; "" when none (or "none")
  std::vector<std::string> ignored;  // every other option or flag, as written
};

/// Reads args as ssh's command line words (shell quoting). Invalid, prefixed with where, for a
/// ProxyCommand other than "none" or a word that cannot be split.
Result<SshArgsRoute> ParseSshArgs(const std::string& args, const std::string& where);

}  // namespace shardctl
