// watch's hands: a recovery run as `shardctl recover` makes one, through the run session
// (run/session.h: the state dir's run lock, the node leases and the etcd key, a run journal with
// a header so `shardctl resume` finishes it) and recover on the run driver, taken only while
// acting and on a thread of its own, so the watch loop keeps looking.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/cancel.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "ops/watch/recovery_launcher.h"
#include "run/resume.h"
#include "transport/transport.h"

namespace shardctl {

struct SessionLauncherSetup {
  std::string state_dir;  // absolute
  /// The runs' header as far as the flags go: inventory and playbook (absolute), host-key flags.
  RunHeader header;
  /// A transport for a run (one for its leases, one for its commands).
  std::function<std::unique_ptr<Transport>()> make_transport;
  /// A line for the operator (a lease taken over or lost); may be empty.
  std::function<void(const std::string&)> say;
};

class SessionLauncher : public RecoveryLauncher {
 public:
  /// inv and pb must outlive this object; stop stops a run between steps (SIGTERM).
  SessionLauncher(const Inventory& inv, const Playbook& pb, SessionLauncherSetup setup,
                  const CancelToken& stop);
  /// Waits for a run in flight.
  ~SessionLauncher() override;

  Result<std::string> Start(const Request& r, BeforeFn before, ProgressFn progress) override;
  std::optional<Finished> Poll() override;
  bool Running() const override;
  void Wait() override;

 private:
  struct InFlight;  // one run: its observer and its session
  void RunThread(std::unique_ptr<InFlight> run, Request r);

  const Inventory& inv_;
  const Playbook& pb_;
  const SessionLauncherSetup setup_;
  const CancelToken& stop_;
  std::thread thread_;  // the run in flight; joined by Wait and Poll

  mutable std::mutex mu_;  // guards the members below
  bool running_ = false;
  std::optional<Finished> finished_;
};

}  // namespace shardctl
