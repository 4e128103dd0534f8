// The real Transport: OpenSSH-compatible exec over libssh, one kept session per node.
#pragma once

#include <libssh/libssh.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "transport/bastion_link.h"
#include "transport/slot_limiter.h"
#include "transport/ssh_connect.h"
#include "transport/transport.h"

namespace shardctl {

struct SshTransportOptions {
  /// Bounds TCP connect, key exchange and auth (each), and every blocking SSH request.
  Duration connect_timeout{10000};
  /// TCP keepalive idle time and probe interval on every connection; 0 turns keepalive off.
  Duration keepalive_interval{15000};
  /// Like OpenSSH StrictHostKeyChecking=accept-new: record UNKNOWN host keys in the known_hosts
  /// file. A CHANGED key is refused whatever this says.
  bool accept_new_host_keys = false;
  /// Use this known_hosts file for every node instead of each node's ssh.known_hosts.
  std::string known_hosts_override;
  /// How many connect+key exchange+auth may run at once; 0 means DefaultHandshakeConcurrency().
  /// Handshakes are CPU-heavy on both ends; commands on established sessions are not limited.
  int max_concurrent_handshakes = 0;
  /// Used for calls whose ExecOptions carry no cancel token. Not owned; may be null.
  const CancelToken* cancel = nullptr;
};

/// Concurrent handshakes that keep a machine's cores busy without thrashing them.
int DefaultHandshakeConcurrency();

/// Runs commands over SSH. The first Exec for a node name connects (strict host key check,
/// key or agent auth, never a prompt) and the session is kept for later calls; a session found
/// dead is reconnected once. A node with ssh.via is reached through a direct-tcpip channel on
/// one kept session per bastion (BastionLink), opened by the first node that needs it; a
/// bastion that cannot be reached, or dies, fails every node behind it with that reason. Calls for
/// one node are serialised by a per-node mutex, calls for different nodes run in parallel. Time
/// spent queued for a handshake slot does not count against ExecOptions::timeout; connect and run
/// do. Thread-safe.
class SshTransport : public Transport {
 public:
  explicit SshTransport(SshTransportOptions options = {});
  ~SshTransport() override;
  SshTransport(const SshTransport&) = delete;
  SshTransport& operator=(const SshTransport&) = delete;

  ExecResult Exec(const Node& node, const std::string& command,
                  const ExecOptions& options) override;
  ExecResult Fetch(const Node& node, const HttpRequest& request,
                   const ExecOptions& options) override;
  /// Disconnects every kept session (waits for calls in progress on them to end).
  void CloseAll() override;

  /// SSH connections to nodes that completed authentication so far (for tests and reports).
  int connections_opened() const { return connections_opened_.load(); }
  /// Sessions opened to bastions so far.
  int bastion_sessions_opened() const { return bastion_sessions_opened_.load(); }

 private:
  struct NodeSession {
    std::mutex mu;                  // held for a whole Exec on this node
    ssh_session session = nullptr;  // guarded by mu
  };

  struct BastionSlot {
    std::mutex mu;                      // held while connecting
    std::unique_ptr<BastionLink> link;  // guarded by mu
    Status failed;                      // guarded by mu: why connecting failed (sticky)
  };

  std::shared_ptr<NodeSession> SessionFor(const std::string& name);
  /// The tunnel socket to node through its bastion, connecting the bastion first if needed.
  Result<int> TunnelFor(const Node& node, const SshConnectParams& node_params, TimePoint deadline);
  Result<BastionLink*> LinkFor(const SshTarget& via, const SshConnectParams& node_params);
  SshConnectParams ParamsFor(const SshTarget& target, TimePoint deadline) const;
  Duration ConnectTimeoutFor(const SshTarget& target) const;
  /// One piece of work on a connected session: (session, effective options with the transport's
  /// cancel token, deadline, *not_started, *broken), as ExecOnSession takes them.
  using SessionWork =
      std::function<ExecResult(ssh_session, const ExecOptions&, TimePoint, bool*, bool*)>;
  /// Runs work on node's kept session (connecting first if needed), timing the whole call.
  ExecResult OnNode(const Node& node, const ExecOptions& options, const SessionWork& work);
  ExecResult OnSessionLocked(NodeSession& ns, const Node& node, const ExecOptions& options,
                             TimePoint* deadline, const SessionWork& work);
  /// Connects ns for node, waiting for a handshake slot first (which moves *deadline on by the
  /// wait). On failure returns the result to report and leaves ns.session null.
  bool Connect(NodeSession& ns, const Node& node, const ExecOptions& options, TimePoint* deadline,
               ExecResult* failure);
  static void Drop(NodeSession& ns);

  const SshTransportOptions options_;
  SlotLimiter handshakes_;
  std::mutex map_mu_;
  std::map<std::string, std::shared_ptr<NodeSession>> sessions_;  // guarded by map_mu_
  std::map<std::string, std::shared_ptr<BastionSlot>> bastions_;  // guarded by map_mu_
  std::atomic<int> connections_opened_{0};
  std::atomic<int> bastion_sessions_opened_{0};
};

}  // namespace shardctl
