// Runs a checked drill (docs/drills.md) inside a run the CLI pipeline opened (run lock, leases,
// journal): hypothesis before, the faults timeline with abort conditions watched by a monitor
// thread, recovery (ops/recover's Recover, or observe, or wait), hypothesis after, rollbacks that
// always run, and the measures for the report. Every fault and undo is journaled before it is
// sent.
#pragma once

#include <atomic>
#include <functional>
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
#include "run/context.h"
#include "run/events.h"

namespace shardctl {

/// What a drill adds to its run's context; the caller keeps it alive for Run().
struct DrillSetup {
  const DrillSpec& spec;
  const DrillTargets& targets;
  const BlastCheck& blast;
  std::string state_dir;                        // for the trend over earlier runs
  std::string production_reason;                // "" unless --production
  std::function<void(const std::string&)> say;  // one progress line (may be empty)
};

class DrillRun {
 public:
  /// ctx: the run's context; its stop token (Ctrl-C, a lost lease) aborts the drill, after
  /// which the rollbacks still run.
  DrillRun(RunContext& ctx, DrillSetup setup);
  ~DrillRun();
  DrillRun(const DrillRun&) = delete;
  DrillRun& operator=(const DrillRun&) = delete;

  /// Runs the drill to the end (rollbacks included) and reports. Never throws.
  DrillReport Run();

 private:
  struct Action {
    Duration at{0};
    size_t step = 0;
    bool undo = false;
  };
  // Hands the inner contexts' events to the run's watcher.
  class Forward : public Observer {
   public:
    explicit Forward(RunContext& to) : to_(to) {}
    void OnEvent(const Event& e) override { to_.Emit(e); }

   private:
    RunContext& to_;
  };

  void Begin();
  void Body();
  bool Hypothesis(RunContext& c, const std::string& when, const Playbook& gate_pb, bool measure);
  void RunTimeline();
  bool RunAction(const FaultStep& step, const std::vector<const Node*>& nodes, bool undo);
  void Recovery();
  void RecoverShards(RunContext& c, const std::string& why, const std::vector<int>& shards);
  void Rollback();
  void MonitorLoop();
  void StopMonitor();
  void CheckAbort(int64_t now_unix);
  void Abort(const std::string& why);
  void Note(const std::string& what);

  RunContext& ctx_;
  DrillSetup s_;
  Forward forward_;
  CancelToken drill_cancel_;  // cancelled by an abort condition (the operator's stop included)
  CancelToken never_;         // rollbacks and the monitor's probes: always run
  Playbook observe_pb_;       // observe/wait: the gate waits `within`, never "stuck" early
  RunContext drill_ctx_;      // stops on an abort: faults, recovery
  RunContext always_ctx_;     // stops only when the journal fails: rollbacks
  std::vector<int> hypothesis_shards_;
  std::vector<int> blast_shards_;
  TimePoint start_;           // the drill began (hypothesis check)
  TimePoint t0_;              // the first step's time: at_s and recovery.at_s count from here
  std::vector<bool> sent_;    // per fault step: its fault was sent
  std::vector<bool> undone_;  // per fault step: its undo ran

  std::mutex mu_;
  MeasureTracker tracker_;  // guarded by mu_
  DrillReport report_;      // guarded by mu_ (timeline, abort_reason) while the monitor runs

  std::atomic<bool> monitor_stop_{false};
  std::thread monitor_;
};

}  // namespace shardctl
