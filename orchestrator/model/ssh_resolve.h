// Completing an inventory's SSH targets from ssh_config and resolving jump hosts.
#pragma once

#include <string>

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

/// Applies ssh_config and jump hosts to every node of inv (docs/inventory.md, "ssh_config and
/// bastions"). The config read is config_override (the -F flag) if set, else the inventory's
/// ssh.config, else ~/.ssh/config when it exists; "none" reads none. Per node, Host patterns
/// match the inventory's host: HostName replaces it; User, Port, IdentityFile and
/// UserKnownHostsFile fill only what the inventory left unset; ProxyJump applies unless the
/// inventory sets jump; ConnectTimeout and ServerAliveInterval set the node's timeouts. A jump
/// host is resolved the same way (its own Host block, never a second hop) and falls back to the
/// node's user, identity file and known_hosts. Refreshes the node.host/port/user vars. Errors
/// name the config file and line, or the node and its jump spec.
Status ResolveSsh(Inventory* inv, const std::string& config_override);

}  // namespace shardctl
