// watch's hands: a recovery run as `shardctl recover` makes one (the state dir's run lock, the
// node leases and the etcd key, a run journal with a header so `shardctl resume` finishes it,
// recover on the run driver), taken only while acting and on a thread of its own, so the watch
// loop keeps looking. And the etcd side of several watchers (election, in-flight record).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cli/common.h"
#include "lock/actor_election.h"
#include "ops/watch/recovery_launcher.h"

namespace shardctl::cli {

class WatchLauncher : public RecoveryLauncher {
 public:
  /// o, inv and pb must outlive this object; stop stops a run between steps (SIGTERM).
  WatchLauncher(const CommonOptions& o, const Inventory& inv, const Playbook& pb,
                std::string state_dir, const CancelToken& stop);
  /// Waits for a run in flight.
  ~WatchLauncher() override;

  Result<std::string> Start(const Request& r, BeforeFn before, ProgressFn progress) override;
  std::optional<Finished> Poll() override;
  bool Running() const override;
  void Wait() override;

 private:
  struct Held;  // the lock, the leases and the journal of one run
  /// The state dir's run lock, then the leases of r's shards (and the etcd key).
  Result<std::unique_ptr<Held>> Lock(const Request& r, const std::string& run_id);
  /// The run's journal and its header (so `shardctl resume` can finish it); keeps the leases.
  Status OpenJournal(const Request& r, Held* h);
  void RunThread(std::unique_ptr<Held> held, Request r, ProgressFn progress);

  const CommonOptions& o_;
  const Inventory& inv_;
  const Playbook& pb_;
  const std::string state_dir_;
  const CancelToken& stop_;
  std::thread thread_;  // the run in flight; joined by Wait and Poll

  mutable std::mutex mu_;  // guards the members below
  bool running_ = false;
  std::optional<Finished> finished_;
};

/// The other watchers through etcd: the actor election and the in-flight record.
class EtcdPeers : public WatchPeers {
 public:
  /// Campaigns at once and every tick.
  EtcdPeers(const EtcdLockConfig& cfg, const std::string& network, Clock& clock, Duration tick);

  bool actor() const override { return election_.actor(); }
  std::string other() const override { return election_.other(); }
  Status SaveInFlight(const std::string& record) override;
  Result<std::string> LoadInFlight() override;

 private:
  EtcdClient client_;
  const std::string key_;
  ActorElection election_;
};

}  // namespace shardctl::cli
