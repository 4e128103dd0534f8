// A checked drill (docs/drills.md) as an operation on the run driver: one run, one begin and
// one end line in its journal. Its phases: the hypothesis before (the drill's begin lines),
// the faults on their timeline (a monitor thread watching the abort conditions), recovery
// (ShardRecovery per hypothesis shard, shards.parallel at once; or observe, or wait),
// the hypothesis after, then what always runs: the rollbacks (every fault's undo, the drill's
// rollback actions), a recovery of every shard still broken, and the drill's closing line.
// Every fault and undo goes through NodeOps: journaled before it is sent.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "ops/drill/blast_radius.h"
#include "ops/drill/drill_measures.h"
#include "ops/drill/drill_report.h"
#include "ops/drill/drill_spec.h"
#include "ops/drill/drill_targets.h"
#include "ops/recover/recover_report.h"
#include "run/context.h"
#include "run/driver.h"
#include "run/events.h"

namespace shardctl {

/// What a drill adds to its run; the caller keeps it alive for the run.
struct DrillSetup {
  const DrillSpec& spec;
  const DrillTargets& targets;
  const BlastCheck& blast;
  std::string state_dir;                        // for the trend over earlier runs
  std::string production_reason;                // "" unless --production
  std::function<void(const std::string&)> say;  // one progress line (may be empty)
};

/// The run's stop rule (Ctrl-C, a lost lease) aborts the drill like its own abort conditions;
/// the rollbacks still run.
class DrillOperation : public Operation {
 public:
  DrillOperation(const Inventory& inv, const Playbook& pb, DrillSetup setup);
  ~DrillOperation() override;
  DrillOperation(const DrillOperation&) = delete;
  DrillOperation& operator=(const DrillOperation&) = delete;

  OperationKind Kind() const override { return OperationKind::kDrill; }
  /// Its per-shard phases are recoveries: as many shards at once as `recover` takes.
  int ParallelShards(const Playbook& pb) const override { return pb.recover_parallel_shards; }
  std::string Describe(const std::vector<int>& shards) const override;
  std::vector<OperationPhase> Phases(const std::vector<int>& shards) override;
  bool Succeeded() const override;
  std::string Summary() const override;

  /// The report, once the run ended.
  DrillReport TakeReport(const RunInfo& run);

 private:
  struct Action {
    Duration at{0};
    size_t step = 0;
    bool undo = false;
  };

  void Begin(RunContext& ctx);
  void Hypothesis(RunContext& ctx, const std::string& when, const Playbook& gate_pb, bool measure,
                  std::optional<bool>* held);
  void Faults(RunContext& ctx);
  bool RunAction(RunContext& ctx, const FaultStep& step, const std::vector<const Node*>& nodes,
                 bool undo);
  void StartRecovery(RunContext& ctx);
  void RecoverShard(RunContext& ctx, const Shard& shard, bool rollback);
  void Observe(RunContext& ctx);
  void After(RunContext& ctx);
  void Rollbacks(RunContext& ctx);
  void End(RunContext& ctx);
  void Monitor(RunContext& run_ctx);
  void StopMonitor();
  void CheckAbort(RunContext& ctx, int64_t now_unix);
  void Abort(RunContext& ctx, const std::string& why);
  void Note(RunContext& ctx, const std::string& what);
  bool InHypothesis(int shard) const;

  const Inventory& inv_;
  DrillSetup s_;
  const Playbook observe_pb_;  // observe/wait: the gate waits `within`, never "stuck" early
  const std::vector<int> hypothesis_shards_;
  const std::vector<int> blast_shards_;
  bool started_ = false;      // the hypothesis held before: faults went out, rollbacks run
  TimePoint start_;           // the drill began (hypothesis check)
  TimePoint t0_;              // the first step's time: at_s and recovery.at_s count from here
  std::vector<bool> sent_;    // per fault step: its fault was sent
  std::vector<bool> undone_;  // per fault step: its undo ran

  std::mutex mu_;           // guards the two members below (shard threads, the monitor)
  MeasureTracker tracker_;  // GUARDED_BY(mu_)
  DrillReport report_;      // GUARDED_BY(mu_) while more than one thread runs

  CancelToken monitor_stop_;
  EventLog monitor_events_;                  // the monitor emits none; its context needs one
  std::unique_ptr<RunContext> monitor_ctx_;  // stops when monitor_stop_ is cancelled
  std::thread monitor_;
};

/// Runs the drill through the driver in ctx (the caller's run lock, leases and journal) and
/// reports. Errors only when the run could not begin (nothing was touched).
Result<DrillReport> RunDrill(RunContext& ctx, DrillSetup setup);

}  // namespace shardctl
