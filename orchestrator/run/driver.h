// The one driver every operation runs through (recover, rolling-restart, upgrade, rollback,
// drill): it validates and orders the shards, writes the run's one begin and one end line,
// emits the run's events and runs the operation's phases in order, each either once for the run
// or once per shard with the playbook's shards.parallel and the stop check before every shard's
// turn. An operation says only what its phases do (ops/*); docs/architecture.md walks through
// adding one.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "run/context.h"
#include "run/run_report.h"

namespace shardctl {

/// One part of an operation, run by the driver in the order the operation lists them.
struct OperationPhase {
  enum class Scope {
    kRun,        // once, on the driver's thread
    kEachShard,  // once per shard, shards.parallel at once; slot i is the run's shards[i]
  };
  enum class When {
    kUnlessStopping,  // not run (or a shard skipped) once the run is stopping
    kAlways,          // runs whatever stopped the run, in a context only a journal failure stops
  };
  using RunFn = std::function<void(RunContext& ctx)>;
  using ShardFn = std::function<void(RunContext& ctx, const Shard& shard, size_t slot)>;
  using SkipFn = std::function<void(const Shard& shard, size_t slot, const std::string& why)>;

  /// A kRun phase.
  static OperationPhase ForRun(RunFn run, When when = When::kUnlessStopping);
  /// A kEachShard phase; skipped(shard, slot, why) when the run was stopping at the shard's
  /// turn (nothing of it touched; may be empty).
  static OperationPhase ForEachShard(ShardFn shard, SkipFn skipped,
                                     When when = When::kUnlessStopping);
  /// A kEachShard phase that only watches (a canary's soak: probes, no command that changes a
  /// node): every shard at once, since shards.parallel bounds the shards being acted on.
  static OperationPhase WatchEachShard(ShardFn shard, When when = When::kUnlessStopping);

  Scope scope = Scope::kRun;
  When when = When::kUnlessStopping;
  bool watching = false;  // WatchEachShard
  RunFn run;
  ShardFn shard;
  SkipFn skipped;
};

/// One operation's part in a run. The driver calls every method from its own thread, but a
/// kEachShard phase from its worker threads, each slot from exactly one thread: an operation
/// keeps slot i's result in slot i.
class Operation {
 public:
  virtual ~Operation() = default;
  /// What the run is: the begin line's and the report's command.
  virtual OperationKind Kind() const = 0;
  /// The shards this run works on, from the scheduled ones (order kept). Default: all.
  virtual std::vector<int> ShardsWithWork(const std::vector<int>& scheduled) const {
    return scheduled;
  }
  /// The begin line's detail for these shards ("recover 4 shard(s)").
  virtual std::string Describe(const std::vector<int>& shards) const = 0;
  /// How many shards a kEachShard phase runs at once; 0: all. Default: the playbook's
  /// shards.parallel (a watching phase runs on every shard at once whatever this says).
  virtual int ParallelShards(const Playbook& pb) const { return pb.parallel_shards; }
  /// The phases, in order, for these shards (slot i is shards[i]); called once, after the
  /// begin line.
  virtual std::vector<OperationPhase> Phases(const std::vector<int>& shards) = 0;
  /// After every phase: whether the run reached its goal, and one line saying so.
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
/// nothing), kRunStarted, the phases, the end line (kFinished, or kInterrupted when the run
/// was stopping; a failed write is reported in RunInfo::stop_reason), kRunDone.
Result<RunInfo> RunOperation(RunContext& ctx, Operation& op, const DriverOptions& options);

}  // namespace shardctl
