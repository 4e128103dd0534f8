// One shard of a wave-based run: bring back interrupted nodes (resume), check the shard is
// healthy, then wave after wave (re-planned from a fresh probe each time, the leader last): the
// node action on every node of the wave, then wait until the wave is in sync and the shard
// committed new blocks.
#pragma once

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "consensus/gate.h"
#include "run/node_action.h"
#include "run/resume.h"
#include "run/shard_task.h"
#include "run/wave_report.h"

namespace shardctl {

/// Which nodes a wave-based run acts on.
struct WaveOptions {
  std::vector<int> shards;        // empty: every shard of the inventory (playbook order)
  std::set<std::string> targets;  // the nodes to act on; others are only probed
  /// Resume: nodes whose action was interrupted, with their journaled history. They are
  /// re-assessed (is_running) and brought back first, before any new wave.
  std::map<std::string, NodeHistory> in_flight;
  /// Targets the action's Prepare left out (not in `targets`), with why: reported skipped.
  std::map<std::string, std::string> left_out;
  int failure_budget = 0;  // node failures tolerated over the whole run
  bool resumed = false;    // journal "resumed" instead of "begin" for the run
};

/// Node failures counted over the whole run, shared by every shard. Thread-safe.
class FailureBudget {
 public:
  explicit FailureBudget(int budget) : budget_(budget) {}
  void Count() { failures_.fetch_add(1); }
  /// More failures than the budget allows: nothing new may start.
  bool Spent() const { return failures_.load() > budget_; }
  int failures() const { return failures_.load(); }
  int budget() const { return budget_; }

 private:
  const int budget_;
  std::atomic<int> failures_{0};
};

/// Lead, then Run (or Cancel), one after the other, each on one thread; nodes of one wave are
/// handled in parallel. Stopping (the operator, a journal failure, the spent budget) is looked
/// at between waves only, so a wave in flight always finishes: its nodes back up and in sync,
/// or failed.
class ShardWaves : public ShardTask {
 public:
  ShardWaves(RunContext& ctx, const Shard& shard, NodeAction& action, const WaveOptions& options,
             FailureBudget& budget);

  /// The shard's first part: its left-out targets, its interrupted nodes (resume), the health
  /// check and the action's canary wave; the shard may end there (its report is then final).
  /// Run calls it unless the operation already did (every shard's canaries before any wave).
  /// defer_soak: the canaries are gated and checked but soaked later (SoakCanaries), so every
  /// shard's canaries soak at once while no shard acts.
  void Lead(bool defer_soak = false);
  /// Soaks the canaries Lead left soaking (none: nothing to do), then each is done, or failed
  /// and put back, which ends the shard.
  void SoakCanaries();
  /// The shard to its end: Lead if not yet done, then wave after wave.
  WaveShardReport Run();
  /// Ends a shard that was led but whose waves never began: the run was stopping.
  WaveShardReport Cancel(const std::string& why);

 private:
  /// Brings back this shard's interrupted nodes, each as its journal and is_running say.
  void ResumeInFlight();
  /// Ok when the shard is healthy as it is: a quorum Normal and in sync, committing blocks.
  Status PreCheck();
  /// What the next wave is planned from: the last sample (or a fresh one) and the remaining
  /// targets.
  WaveInput Probed();
  /// Before a new wave: ends the shard when the run is stopping or the failure budget is spent,
  /// and returns whether it ended.
  bool StopBeforeWave();
  void RunWave(const std::vector<const Node*>& wave, const std::vector<ResumeAction>& actions);
  /// Journals the node's begin (for a fresh action) and applies the action.
  Status Bring(const Node& node, ResumeAction how);
  /// The per-node gate, the action's Check and (for the canary wave) its Soak on the started
  /// nodes: each is done or failed; the failed ones are added to *failed.
  void Judge(const std::vector<const Node*>& started, std::vector<const Node*>* failed);
  /// Per node: "" when Normal and in sync after the shard's top grew by min_new_blocks, else
  /// why not; waits at most rolling.node_timeout. *grown gets "+N blocks".
  std::map<std::string, std::string> WaitInSync(const std::vector<const Node*>& nodes,
                                                std::string* grown);
  /// Puts failed nodes back as they were (the action's Undo), then gates them; each is
  /// journaled and reported rolled back (or not).
  void Undo(const std::vector<const Node*>& nodes);
  void RolledBack(const Node& node, bool ok, const std::string& detail);
  /// Probes every node of the shard; tracks the longest stall of the top height and keeps the
  /// sample as last_sample_.
  std::vector<NodeStatus> Sample(SampleSummary* summary);
  /// Why no new wave may start ("" when one may).
  std::string WhyNoNewWave() const;

  void Done(const Node& node, const std::string& detail);
  void Fail(const Node& node, const std::string& why);
  /// Targets neither done nor failed, in inventory order.
  std::vector<const Node*> Remaining() const;
  WaveShardReport End(Phase verdict, const std::string& reason);

  NodeAction& action_;
  const WaveOptions& options_;
  FailureBudget& budget_;
  int wave_ = 0;
  bool led_ = false;                  // Lead ran
  bool ended_ = false;                // End ran: report_ is final
  bool canary_wave_ = false;          // the wave being run is the canaries
  std::vector<const Node*> soaking_;  // canaries gated and checked, waiting for their soak
  std::string soaking_grown_;         // how much their shard grew while they were gated
  std::string canary_failed_;         // set when a canary failed: no further wave in this shard
  int64_t top_ = -1;                  // highest top height seen, and when it last grew
  TimePoint top_moved_;
  std::vector<NodeStatus> last_sample_;  // the latest probe, until a wave acts on nodes
  std::set<std::string> finished_;       // targets done or failed
  WaveShardReport report_;
};

}  // namespace shardctl
