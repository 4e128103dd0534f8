// Opening one authenticated libssh session to a node, with strict host key checking.
#pragma once

#include <libssh/libssh.h>

#include <string>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

struct SshConnectParams {
  Duration timeout{10000};            // TCP connect, key exchange and auth, each bounded by it
  Duration keepalive{15000};          // TCP keepalive idle time and probe interval; 0 turns it off
  std::string known_hosts;            // file holding the trusted host keys (required)
  bool accept_new_host_keys = false;  // record UNKNOWN keys there (never CHANGED ones)
  /// A connected socket to run the session over (a bastion tunnel) instead of dialling
  /// node.ssh.host; ConnectSsh takes it over (closes it on failure). -1: dial.
  int fd = -1;
};

/// Connects to node.ssh (or runs over params.fd), checks the server's host key against
/// params.known_hosts (never the user's ~/.ssh/config or the system files), and authenticates with
/// node.ssh.identity_file (never prompting, even for an encrypted key) or, when that is empty, with
/// ssh-agent. On success the caller owns the session (ssh_disconnect + ssh_free). Errors:
///   kUnreachable  TCP connect or key exchange failed or timed out;
///   kHostKey      unknown/changed/other host key: the message holds the server's
///                 "SHA256:..." fingerprint, the known_hosts path and what to do;
///   kAuth         key unusable or refused: the message says which methods were tried;
///   kInvalid      the node's SSH settings cannot work (e.g. no known_hosts path).
/// Thread-safe (sessions are independent; accept-new writes to known_hosts are serialised).
Result<ssh_session> ConnectSsh(const Node& node, const SshConnectParams& params);

/// "host" for port 22, "[host]:port" otherwise: how known_hosts names the endpoint.
std::string KnownHostsName(const SshTarget& target);

/// Sets SSH_OPTIONS_TIMEOUT(_USEC) to d (at least 1 ms) for the session's blocking calls.
void SetSessionTimeout(ssh_session session, Duration d);

}  // namespace shardctl
