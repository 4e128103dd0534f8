#include "transport/ssh_transport.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "transport/remote_wrapper.h"
#include "transport/ssh_channel_exec.h"
#include "transport/ssh_channel_http.h"
#include "transport/ssh_connect.h"

namespace shardctl {

namespace {

ExecResult Failure(ExecResult::Outcome outcome, std::string detail) {
  ExecResult r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  return r;
}

ExecResult::Outcome OutcomeFor(Status::Code code) {
  switch (code) {
    case Status::Code::kUnreachable:
    case Status::Code::kTimeout:
      return ExecResult::Outcome::kUnreachable;
    case Status::Code::kAuth:
      return ExecResult::Outcome::kAuthFailed;
    case Status::Code::kHostKey:
      return ExecResult::Outcome::kHostKeyRejected;
    case Status::Code::kCancelled:
      return ExecResult::Outcome::kCancelled;
    default:
      return ExecResult::Outcome::kError;
  }
}

}  // namespace

int DefaultHandshakeConcurrency() {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::clamp(4u * cores, 4u, 32u));
}

SshTransport::SshTransport(SshTransportOptions options)
    : options_(std::move(options)),
      handshakes_(options_.max_concurrent_handshakes > 0 ? options_.max_concurrent_handshakes
                                                         : DefaultHandshakeConcurrency()) {}

SshTransport::~SshTransport() { CloseAll(); }

std::shared_ptr<SshTransport::NodeSession> SshTransport::SessionFor(const std::string& name) {
  std::lock_guard<std::mutex> lock(map_mu_);
  auto& slot = sessions_[name];
  if (!slot) slot = std::make_shared<NodeSession>();
  return slot;
}

void SshTransport::Drop(NodeSession& ns) {
  if (ns.session == nullptr) return;
  ssh_disconnect(ns.session);
  ssh_free(ns.session);
  ns.session = nullptr;
}

ExecResult SshTransport::Exec(const Node& node, const std::string& command,
                              const ExecOptions& options) {
  return OnNode(node, options,
                [&](ssh_session session, const ExecOptions& o, TimePoint deadline,
                    bool* not_started, bool* broken) {
                  Duration left = std::chrono::duration_cast<Duration>(deadline - SteadyNow());
                  return ExecOnSession(session,
                                       WrapRemoteCommand(command, left, o.stdin_data != nullptr), o,
                                       deadline, not_started, broken);
                });
}

ExecResult SshTransport::Fetch(const Node& node, const HttpRequest& request,
                               const ExecOptions& options) {
  return OnNode(node, options,
                [&](ssh_session session, const ExecOptions& o, TimePoint deadline,
                    bool* not_started, bool* broken) {
                  return FetchOnSession(session, request, o, deadline, not_started, broken);
                });
}

ExecResult SshTransport::OnNode(const Node& node, const ExecOptions& options,
                                const SessionWork& work) {
  TimePoint start = SteadyNow();
  ExecOptions o = options;
  if (o.cancel == nullptr) o.cancel = options_.cancel;
  TimePoint deadline = start + o.timeout;
  std::shared_ptr<NodeSession> ns = SessionFor(node.name);
  ExecResult r;
  {
    std::lock_guard<std::mutex> lock(ns->mu);
    r = OnSessionLocked(*ns, node, o, &deadline, work);
  }
  r.duration = std::chrono::duration_cast<Duration>(SteadyNow() - start);
  return r;
}

ExecResult SshTransport::OnSessionLocked(NodeSession& ns, const Node& node,
                                         const ExecOptions& options, TimePoint* deadline,
                                         const SessionWork& work) {
  bool may_retry = ns.session != nullptr;
  if (ns.session != nullptr && ssh_is_connected(ns.session) == 0) Drop(ns);
  while (true) {
    if (options.cancel != nullptr && options.cancel->cancelled()) {
      return Failure(ExecResult::Outcome::kCancelled, "cancelled before start");
    }
    if (ns.session == nullptr) {
      ExecResult failure;
      if (!Connect(ns, node, options, deadline, &failure)) return failure;
    }
    Duration left = std::chrono::duration_cast<Duration>(*deadline - SteadyNow());
    if (left <= Duration(0)) {
      return Failure(ExecResult::Outcome::kTimedOut, "no time left to start the command");
    }
    SetSessionTimeout(ns.session, std::min(left, options_.connect_timeout));
    bool not_started = false;
    bool broken = false;
    ExecResult r = work(ns.session, options, *deadline, &not_started, &broken);
    if (broken) Drop(ns);
    if (not_started && may_retry) {
      may_retry = false;  // the kept session had died: reconnect once and try again
      continue;
    }
    if (r.outcome == ExecResult::Outcome::kError) r.detail = node.name + ": " + r.detail;
    return r;
  }
}

bool SshTransport::Connect(NodeSession& ns, const Node& node, const ExecOptions& options,
                           TimePoint* deadline, ExecResult* failure) {
  TimePoint queued = SteadyNow();
  if (!handshakes_.Acquire(options.cancel)) {
    *failure = Failure(ExecResult::Outcome::kCancelled, "cancelled while waiting to connect");
    return false;
  }
  *deadline += SteadyNow() - queued;
  SshConnectParams params = ParamsFor(node.ssh, *deadline);
  Result<ssh_session> session = Result<ssh_session>(Status::Timeout("no time left"));
  if (params.timeout > Duration(0)) {
    Result<int> tunnel = node.ssh.via ? TunnelFor(node, params, *deadline) : Result<int>(-1);
    if (tunnel.ok()) {
      params.fd = *tunnel;
      session = ConnectSsh(node, params);
    } else {
      session = tunnel.status();
    }
  }
  handshakes_.Release();
  if (!session.ok()) {
    ExecResult::Outcome outcome = OutcomeFor(session.status().code());
    // A connect cut short by the command's own deadline is the command timing out.
    if (outcome == ExecResult::Outcome::kUnreachable && SteadyNow() >= *deadline &&
        params.timeout < ConnectTimeoutFor(node.ssh)) {
      outcome = ExecResult::Outcome::kTimedOut;
    }
    *failure = Failure(outcome, session.status().message());
    return false;
  }
  ns.session = *session;
  ++connections_opened_;
  return true;
}

SshConnectParams SshTransport::ParamsFor(const SshTarget& target, TimePoint deadline) const {
  SshConnectParams params;
  params.timeout = std::min(ConnectTimeoutFor(target), deadline - SteadyNow());
  params.keepalive =
      target.keepalive_ms > 0 ? Duration(target.keepalive_ms) : options_.keepalive_interval;
  params.known_hosts =
      options_.known_hosts_override.empty() ? target.known_hosts : options_.known_hosts_override;
  params.accept_new_host_keys = options_.accept_new_host_keys;
  return params;
}

Duration SshTransport::ConnectTimeoutFor(const SshTarget& target) const {
  return target.connect_timeout_ms > 0 ? Duration(target.connect_timeout_ms)
                                       : options_.connect_timeout;
}

Result<int> SshTransport::TunnelFor(const Node& node, const SshConnectParams& node_params,
                                    TimePoint deadline) {
  auto link = LinkFor(*node.ssh.via, node_params);
  if (!link.ok()) return link.status();
  auto fd = (*link)->OpenTunnel(node.ssh.host, node.ssh.port, deadline);
  if (!fd.ok() && fd.status().code() == Status::Code::kTimeout) {
    return Status::Unreachable(node.name + ": " + fd.status().message());
  }
  return fd;
}

Result<BastionLink*> SshTransport::LinkFor(const SshTarget& via,
                                           const SshConnectParams& node_params) {
  const std::string key = via.user + "@" + KnownHostsName(via);
  std::shared_ptr<BastionSlot> slot;
  {
    std::lock_guard<std::mutex> lock(map_mu_);
    auto& s = bastions_[key];
    if (!s) s = std::make_shared<BastionSlot>();
    slot = s;
  }
  std::lock_guard<std::mutex> lock(slot->mu);
  if (!slot->failed.ok()) return slot->failed;
  if (slot->link) {
    std::string dead = slot->link->dead_reason();
    if (dead.empty()) return slot->link.get();
    return Status::Unreachable("bastion " + key + ": " + dead);
  }
  Node bastion;
  bastion.name = "bastion " + key;
  bastion.ssh = via;
  bastion.ssh.via.reset();
  SshConnectParams params = ParamsFor(via, SteadyNow() + node_params.timeout);
  auto session = ConnectSsh(bastion, params);
  if (!session.ok()) {
    slot->failed = session.status().Annotate("bastion " + key + ": ");
    return slot->failed;
  }
  slot->link = std::make_unique<BastionLink>(*session, key);
  ++bastion_sessions_opened_;
  return slot->link.get();
}

void SshTransport::CloseAll() {
  std::map<std::string, std::shared_ptr<NodeSession>> all;
  std::map<std::string, std::shared_ptr<BastionSlot>> bastions;
  {
    std::lock_guard<std::mutex> lock(map_mu_);
    all = sessions_;
    bastions = bastions_;
  }
  for (auto& [name, ns] : all) {
    std::lock_guard<std::mutex> lock(ns->mu);
    Drop(*ns);
  }
  for (auto& [key, slot] : bastions) {
    std::lock_guard<std::mutex> lock(slot->mu);
    slot->link.reset();
  }
}

}  // namespace shardctl
