// The one driver every operation runs through (recover, rolling-restart, upgrade, drill): it
// validates and orders the shards, writes the run's begin and end lines, emits the run's
// events and runs the shards with the playbook's parallelism. An operation says only what one
// shard does (ops/*).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "run/context.h"
#include "run/run_report.h"

namespace shardctl {

/// One operation's part in a run. The driver calls RunShard and SkipShard from its worker
/// threads, each slot from exactly one thread; an operation keeps slot i's result in slot i.
class Operation {
 public:
  virtual ~Operation() = default;
  /// "recover", "rolling-restart": the report's and the begin line's command.
  virtual std::string Command() const = 0;
  /// The shards this run works on, from the scheduled ones (order kept). Default: all.
  virtual std::vector<int> ShardsWithWork(const std::vector<int>& scheduled) const {
    return scheduled;
  }
  /// The begin line's detail for these shards ("recover 4 shard(s), playbook p.json").
  virtual std::string Describe(const std::vector<int>& shards) const = 0;
  /// How many shards run at once; 0: all. Default: the playbook's shards.parallel.
  virtual int ParallelShards(const Playbook& pb) const { return pb.parallel_shards; }
  /// Called once, before any shard, with the shards to run (slot i is shards[i]).
  virtual void Prepare(const std::vector<int>& shards) = 0;
  virtual void RunShard(RunContext& ctx, const Shard& shard, size_t slot) = 0;
  /// The run was stopping when slot's turn came: nothing of the shard was touched.
  virtual void SkipShard(RunContext& ctx, const Shard& shard, size_t slot,
                         const std::string& why) = 0;
  /// After every shard: whether the run reached its goal, and one line saying so.
  virtual bool Succeeded() const = 0;
  virtual std::string Summary() const = 0;
};

/// The playbook checked against the inventory (every template renders for every node), then
/// the shards to touch in the playbook's order. Errors name the template and node, or a shard
/// id the inventory lacks. What every run and every plan checks before touching anything.
Result<std::vector<int>> ScheduledShards(const Inventory& inv, const Playbook& pb,
                                         const std::vector<int>& selected);

struct DriverOptions {
  std::vector<int> shards;  // the selection; empty: every shard of the inventory
  bool resumed = false;     // journal "resumed" instead of "begin"
};

/// Runs op: ScheduledShards (an error touches nothing), the begin line (an error starts
/// nothing), kRunStarted, the shards, the end line (kFinished, or kInterrupted when the run
/// was stopping; a failed write is reported in RunInfo::stop_reason), kRunDone.
Result<RunInfo> RunOperation(RunContext& ctx, Operation& op, const DriverOptions& options);

}  // namespace shardctl
