// What may stand where a host is dialled (inventory host, ssh_config HostName, a jump host,
// ansible_host): a host name or an IP address, never a port, brackets, a user or shell text.
#pragma once

#include <string>

namespace shardctl {

/// True for an IPv4 or IPv6 address (inet_pton; an IPv6 zone "%eth0" allowed) or a host name of
/// 1..253 letters, digits, '.', '-' and '_' not starting with '-' or '.'.
bool IsHostOrAddress(const std::string& host);

/// "a host name or IP address (no port, brackets or user: those have their own fields)".
const char* HostRule();

}  // namespace shardctl
