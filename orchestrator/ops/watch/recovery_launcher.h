// The two edges the watcher acts and coordinates through, as interfaces: the recovery runs it
// starts, and the other watchers of the network (the etcd election and the record of a run in
// flight). The real sides open a run session (session_launcher.h) and ask etcd (etcd_peers.h);
// the unit tests use fakes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "ops/recover/recover_resume.h"
#include "run/journal_schema.h"

namespace shardctl {

/// Starts recover runs: one at a time, each under the network's lock, journaled like any run.
class RecoveryLauncher {
 public:
  struct Request {
    std::vector<int> shards;
    std::map<int, RecoverResume> resume;  // shards finished from where an earlier run stood
    std::string resume_of;                // that run's id, for the journal
    std::string why;                      // the decision, for the run's journal
  };
  struct ShardOutcome {
    Phase verdict = Phase::kGaveUp;
    std::string reason;
  };
  struct Finished {
    std::string run_id;
    std::map<int, ShardOutcome> shards;  // every shard of the request
    Duration took{0};
  };
  /// Called from the run's thread when it begins and before each step that changes what a
  /// successor must do (a restart's stops, its starts, a shard's end): the run id, and the
  /// shards not done with where they stand (empty at the end).
  using ProgressFn =
      std::function<void(const std::string& run_id, const std::map<int, RecoverResume>&)>;
  /// Called once the lock is held and before anything runs; an error starts nothing (the lock
  /// is given back). Where the decision is journaled, so it precedes every command.
  using BeforeFn = std::function<Status(const std::string& run_id)>;

  virtual ~RecoveryLauncher() = default;
  /// Takes the lock for the shards, calls before, and starts the run on its own thread;
  /// returns its id. kLocked when another run holds the network (the message names it);
  /// other errors when the lock or the journal could not be had. Nothing is touched unless it
  /// returns ok.
  virtual Result<std::string> Start(const Request& r, BeforeFn before, ProgressFn progress) = 0;
  /// The run that ended since the last call, if any (each run is returned once).
  virtual std::optional<Finished> Poll() = 0;
  /// A run is in flight.
  virtual bool Running() const = 0;
  /// Blocks until the run in flight (if any) has ended.
  virtual void Wait() = 0;
};

/// The other watchers of the network. Without etcd there are none: Solo.
class WatchPeers {
 public:
  virtual ~WatchPeers() = default;
  /// This watcher is the one that acts.
  virtual bool actor() const = 0;
  /// When not: who is, or why the election could not be asked.
  virtual std::string other() const = 0;
  /// The record of the recovery run in flight (outlives a dead actor); "" clears it.
  virtual Status SaveInFlight(const std::string& record) = 0;
  /// The record, "" when none.
  virtual Result<std::string> LoadInFlight() = 0;
};

/// One watcher alone: always the actor, no shared record.
class SoloPeers : public WatchPeers {
 public:
  bool actor() const override { return true; }
  std::string other() const override { return ""; }
  Status SaveInFlight(const std::string&) override { return Status::Ok(); }
  Result<std::string> LoadInFlight() override { return std::string(); }
};

}  // namespace shardctl
