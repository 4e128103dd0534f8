// One shard's recovery (design.md section 3): assess -> stop all -> confirm all down -> verify
// binaries (restore when bad) -> sync-check -> start all within a tight window -> gate ->
// healthy, or another whole-shard restart after a backoff, up to the playbook's limit.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/engine_context.h"
#include "engine/gate.h"
#include "engine/node_ops.h"
#include "engine/report.h"
#include "model/inventory.h"

namespace shardctl {

/// Runs once on one thread; the shard and context must outlive it. Nodes within a step are
/// handled in parallel (playbook nodes.parallel). Cancellation: the step in flight finishes,
/// no new step starts, and the report says where it stopped.
class ShardRecovery {
 public:
  /// force: restart even when the assessment finds the shard healthy.
  ShardRecovery(EngineContext& ctx, const Shard& shard, bool force);

  ShardReport Run();

 private:
  /// True when the shard is healthy as it is (and nothing should be done).
  bool Assess();
  /// One whole-shard restart up to and including the starts. An error says why the attempt
  /// could not reach the gate.
  Status Restart();
  Status StopAll();
  Status ConfirmDown();
  Status VerifyBinaries();
  Status VerifyOne(const Node& node);
  /// The shard's best stored height (-1 unknown); flags nodes far behind.
  int64_t SyncCheck();
  void StartAll();
  /// Probes until the gate says healthy, stuck or halted (or the run is cancelled).
  GateTracker::Verdict Gate(int64_t baseline);
  /// Watches an apparently working shard for one gate window, starting from sample first.
  GateTracker::Verdict Watch(const std::vector<NodeStatus>& first);
  /// Feeds tracker with samples every poll interval until it decides; "" or the phase's error.
  GateTracker::Verdict Poll(GateTracker& tracker);
  /// Enters p and runs step, unless the run is cancelled.
  Status Step(Phase p, const std::function<Status()>& step);

  std::vector<const Node*> All() const;
  std::vector<const Node*> Included() const;
  int IncludedPower() const;
  void Enter(Phase p, const std::string& message = "");
  void Emit(Event::Kind kind, const std::string& node, const std::string& message);
  void Progress(const SampleSummary& s);
  ShardReport Finish(Phase verdict, const std::string& reason);
  bool Cancelled() const { return ctx_.cancel.cancelled(); }
  std::string CancelReason() const;

  EngineContext& ctx_;
  const Shard& shard_;
  bool force_;
  NodeOps ops_;
  TimePoint began_;
  Phase phase_ = Phase::kPending;
  int attempt_ = 0;
  int64_t baseline_ = -1;           // best stored height before the start
  std::set<std::string> excluded_;  // unreachable this attempt
  std::vector<NodeStatus> assessed_;
  std::string gate_reason_;
  int64_t last_height_ = -1;
  int last_up_ = -1;
  std::mutex mu_;  // guards report_ and the fields above it when steps run nodes in parallel
  ShardReport report_;
};

}  // namespace shardctl
