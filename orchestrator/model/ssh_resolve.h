// Completing an inventory's SSH targets from ssh_config and resolving jump hosts.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

/// Applies ssh_config and jump hosts to every node of inv (docs/inventory.md, "ssh_config and
/// bastions"). The config read is config_override (the -F flag) if set, else the inventory's
/// ssh.config, else ~/.ssh/config when it exists; "none" reads none. Per node, Host patterns
/// match the inventory's host: HostName replaces it; User, Port, IdentityFile and
/// UserKnownHostsFile fill only what the inventory left unset; ProxyJump applies unless the
/// inventory sets jump; ConnectTimeout and ServerAliveInterval set the node's timeouts. Tokens in
/// IdentityFile and UserKnownHostsFile stand for the effective host, port and user. A node whose
/// only route is a ProxyCommand (never run) is an error naming it and the config line. A jump
/// host is resolved the same way (its own Host block, never a second hop) and falls back to the
/// node's user, identity file and known_hosts. Refreshes the node.host/port/user vars. Errors
/// name the config file and line, or the node and its jump spec. What the config holds but
/// shardctl never acts on (Match exec) is added to *warnings when given.
Status ResolveSsh(Inventory* inv, const std::string& config_override,
                  std::vector<std::string>* warnings = nullptr);

}  // namespace shardctl
