// One shard's rolling restart: resume interrupted nodes, check the shard is healthy, then wave
// after wave (re-planned from a fresh probe each time, the leader last): stop -> confirm down ->
// verify (restore) -> start -> wait until the wave is in sync and the shard committed new blocks.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/engine_context.h"
#include "engine/gate.h"
#include "engine/node_ops.h"
#include "engine/rolling_engine.h"
#include "engine/rolling_report.h"

namespace shardctl {

/// Runs once on one thread; everything passed in must outlive it. Nodes of one wave are
/// handled in parallel.
class ShardRolling {
 public:
  ShardRolling(EngineContext& ctx, const Shard& shard, const RollingOptions& options,
               FailureBudget& budget, const CancelToken& stop);

  RollingShardReport Run();

 private:
  /// Brings back this shard's interrupted nodes (resume), each as its journal and is_running
  /// say.
  void ResumeInFlight();
  /// Ok when the shard is healthy as it is: a quorum Normal and in sync, committing blocks.
  Status PreCheck();
  /// The next wave from a fresh probe; an error when no node can go down without losing quorum.
  Result<std::vector<const Node*>> NextWave();
  void RunWave(const std::vector<const Node*>& wave, const std::vector<ResumeAction>& actions);
  /// The node's restart up to and including its start command.
  Status Bring(const Node& node, ResumeAction action);
  /// Waits until every node is Normal and in sync and the shard's top grew by min_new_blocks.
  void WaitInSync(const std::vector<const Node*>& nodes);
  /// Probes every node of the shard (summary, if given, gets its summary); tracks the longest
  /// stall of the top height and keeps the sample as last_sample_.
  std::vector<NodeStatus> Sample(SampleSummary* summary);
  bool InSync(const NodeStatus& n, const SampleSummary& s) const;

  void Done(const Node& node, const std::string& detail);
  void Fail(const Node& node, const std::string& why);
  /// Targets neither done nor failed, in inventory order.
  std::vector<const Node*> Remaining() const;
  std::vector<const Node*> All() const;
  RollingShardReport Finish(Phase verdict, const std::string& reason);
  void Enter(Phase p, const std::string& message = "");
  void Emit(Event::Kind kind, const std::string& node, const std::string& message);

  EngineContext& ctx_;
  const Shard& shard_;
  const RollingOptions& options_;
  FailureBudget& budget_;
  const CancelToken& stop_;
  NodeOps ops_;
  TimePoint began_;
  int wave_ = 0;
  int64_t top_ = -1;  // highest top height seen, and when it last grew
  TimePoint top_moved_;
  std::vector<NodeStatus> last_sample_;  // the latest probe, until a wave acts on nodes
  std::mutex mu_;  // guards what follows: nodes of a wave report from several threads
  Phase phase_ = Phase::kPending;
  int nodes_up_ = -1;
  std::set<std::string> finished_;  // targets done or failed
  RollingShardReport report_;
};

}  // namespace shardctl
