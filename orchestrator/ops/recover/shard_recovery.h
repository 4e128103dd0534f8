// One shard's recovery: assess -> stop all -> confirm all down -> verify binaries (restore when
// bad) -> sync-check -> start all within a tight window -> gate -> healthy, or another
// whole-shard restart after a backoff, up to the playbook's limit.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "consensus/gate.h"
#include "ops/recover/recover_report.h"
#include "ops/recover/recover_resume.h"
#include "run/shard_task.h"
#include "run/wait.h"

namespace shardctl {

/// Runs once, on one thread. Nodes within a step are handled in parallel (playbook
/// nodes.parallel). Stopping (Ctrl-C, a journal failure) is honoured before a whole-shard
/// restart begins, never inside one: a restart that stopped nodes always starts them again
/// and gates them, so no shard is left down by our hand.
class ShardRecovery : public ShardTask {
 public:
  /// force: restart even when the assessment finds the shard healthy. resume: where an
  /// interrupted run left this shard (its restarts count against the limit).
  ShardRecovery(RunContext& ctx, const Shard& shard, bool force,
                std::optional<RecoverResume> resume = std::nullopt);

  ShardReport Run();

 private:
  /// True when the shard is healthy as it is (and nothing should be done).
  bool Assess();
  /// Whole-shard restarts with backoff until healthy, the limit, or a stop request.
  ShardReport Escalate();
  /// Finishes an interrupted restart whose starts went out: verifies and starts only the
  /// nodes that are stopped, then gates. True when the shard is healthy.
  bool FinishStarts();
  /// One whole-shard restart up to and including the starts. An error says why the attempt
  /// could not reach the gate.
  Status Restart();
  /// The playbook's stop on every node; unreachable ones are left out of this attempt, which
  /// fails when the rest no longer hold a quorum of voting power.
  Status StopAll();
  Status ConfirmDown();
  Status VerifyBinaries();
  /// Step on every included node; the failures joined into one error.
  Status OnEveryIncluded(NodeAction& step);
  /// The shard's best stored height (-1 unknown); flags nodes far behind.
  int64_t SyncCheck();
  /// Starts nodes together (NodeOps::ActTogether: within the start window).
  void StartAll(const std::vector<const Node*>& nodes);
  /// Probes until the gate says healthy, stuck or halted.
  GateTracker::Verdict Gate(int64_t baseline);
  /// Watches an apparently working shard for one gate window, starting from sample first.
  GateTracker::Verdict Watch(const std::vector<NodeStatus>& first);
  /// Feeds tracker with samples every poll interval until it decides (or, with kEndEarly, the
  /// run is stopping).
  GateTracker::Verdict Poll(GateTracker& tracker, StopRule rule);

  std::vector<const Node*> Included() const;
  int IncludedPower() const;
  ShardReport Done(Phase verdict, const std::string& reason);
  std::string StoppedReason() const;

  const bool force_;
  const std::optional<RecoverResume> resume_;
  int attempt_ = 0;
  int64_t baseline_ = -1;           // best stored height before the start
  std::set<std::string> excluded_;  // unreachable this attempt
  std::vector<NodeStatus> assessed_;
  std::string gate_reason_;
  ShardReport report_;
};

}  // namespace shardctl
