// One watched shard: its state from probe rounds, and when an actionable verdict is confirmed.
// Pure logic over samples (the watcher probes); judgements reuse consensus/ (Summarize, the
// in-sync test, view trouble) and the playbook's QuorumRule.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "consensus/node_status.h"
#include "consensus/sample.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "ops/watch/watch_schema.h"

namespace shardctl {

/// How a round saw one node.
enum class NodeSeen {
  kAnswered,  // the probe answered and parsed
  kDown,      // no answer and is_running says stopped: evidence the node is down
  kSilent,    // no answer for another reason (timeout, unreachable): no evidence either way
};
NodeSeen Classify(const NodeStatus& n);

/// A shard's state changed.
struct StateChange {
  int shard = 0;
  ShardState from = ShardState::kUnknown;
  ShardState to = ShardState::kUnknown;
  std::string reason;
  int64_t last_block_unix_ms = 0;  // when the top height last grew (0: never seen)
};

/// What the page, the metrics and the report show of a shard. A copy, safe to hand around.
struct ShardSnapshot {
  int shard = 0;
  ShardState state = ShardState::kUnknown;
  int64_t state_since_unix_ms = 0;
  std::string reason;              // why the state is what it is
  int64_t height = -1;             // top height at the last answered round
  double blocks_per_s = 0;         // over the last rounds
  int64_t last_block_unix_ms = 0;  // when the top last grew (0: not seen yet)
  std::set<int64_t> view_ids;
  std::set<int64_t> view_change_ids;
  int normal_power = 0;  // Normal and in sync
  int total_power = 0;
  int quorum_power = 0;
  std::vector<NodeStatus> nodes;  // the last round, in inventory order
  std::vector<std::string> down;  // nodes not answering, with why ("s0-n1: stopped")
  int64_t last_round_unix_ms = 0;
  bool last_round_blind = false;
};

/// Not thread-safe: the watcher's loop owns it.
class ShardWatch {
 public:
  /// shard, pb, policy and clock must outlive this object.
  ShardWatch(const Shard& shard, const Playbook& pb, const WatchPolicy& policy, Clock& clock);

  /// Feeds one probe round (every node of the shard, in inventory order). A blind round (no
  /// node answered, and the nodes known down still leave a quorum possible) decides nothing:
  /// the state and the verdict's clock stay as they were. Returns the change it caused.
  std::optional<StateChange> Observe(const std::vector<NodeStatus>& nodes);
  /// True when the state is halted or stuck, has been since at least policy.for ago, and the
  /// last round was not blind. The watcher then takes a fresh round and acts only if this is
  /// still true after it.
  bool Confirmed() const;

  /// Our recovery run took the shard: state recovering until EndRecovery.
  std::optional<StateChange> BeginRecovery(const std::string& reason);
  /// The run ended. healthy: the gate passed (state healthy); otherwise the shard is judged
  /// afresh from the next rounds, with the halt clock restarted.
  std::optional<StateChange> EndRecovery(bool healthy, const std::string& reason);
  /// No more actions until the shard is seen committing again.
  std::optional<StateChange> GiveUp(const std::string& reason);

  ShardState state() const { return snap_.state; }
  const ShardSnapshot& snapshot() const { return snap_; }
  /// Steady time the current actionable verdict began (halted or stuck), if it holds.
  std::optional<TimePoint> verdict_since() const { return verdict_since_; }
  int id() const { return shard_.id; }

 private:
  ShardState Judge(const SampleSummary& s, TimePoint now, bool progressed,
                   std::string* reason) const;
  /// Notes the top height; true when it grew this round.
  bool Track(const SampleSummary& s, TimePoint now);
  /// Voting power of the nodes this round showed stopped.
  int DownPower() const;
  void Fill(const SampleSummary& s, const std::vector<NodeStatus>& nodes);
  bool Blind(const std::vector<NodeStatus>& nodes) const;
  std::optional<StateChange> Enter(ShardState to, const std::string& reason);

  const Shard& shard_;
  const Playbook& pb_;
  const WatchPolicy& policy_;
  Clock& clock_;

  int64_t best_top_ = -1;
  std::optional<TimePoint> last_progress_;  // the round where the top last grew
  std::optional<TimePoint> verdict_since_;  // first round of the current halted/stuck verdict
  std::deque<std::pair<TimePoint, int64_t>> tops_;  // recent answered rounds, for the rate
  ShardSnapshot snap_;
};

/// "s0-n1: stopped", "s0-n2: probe: timed out after 2s" for every node not answering.
std::vector<std::string> NodesDown(const std::vector<NodeStatus>& nodes);

}  // namespace shardctl
