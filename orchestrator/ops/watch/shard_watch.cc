#include "ops/watch/shard_watch.h"

#include "base/text.h"

namespace shardctl {
namespace {

// The rate is measured over this much history.
constexpr Duration kRateSpan{10000};

}  // namespace

NodeSeen Classify(const NodeStatus& n) {
  if (n.answered) return NodeSeen::kAnswered;
  if (n.reachable && n.running == false) return NodeSeen::kDown;
  return NodeSeen::kSilent;
}

std::vector<std::string> NodesDown(const std::vector<NodeStatus>& nodes) {
  std::vector<std::string> out;
  for (const NodeStatus& n : nodes) {
    NodeSeen seen = Classify(n);
    if (seen == NodeSeen::kAnswered) continue;
    out.push_back(n.node + ": " + (seen == NodeSeen::kDown ? "stopped" : n.error));
  }
  return out;
}

ShardWatch::ShardWatch(const Shard& shard, const Playbook& pb, const WatchPolicy& policy,
                       Clock& clock)
    : shard_(shard), pb_(pb), policy_(policy), clock_(clock) {
  snap_.shard = shard.id;
  snap_.total_power = shard.TotalPower();
  snap_.quorum_power = pb.quorum.Required(snap_.total_power);
  snap_.state_since_unix_ms = clock.UnixMillis();
  snap_.reason = "no probe round yet";
}

bool ShardWatch::Blind(const std::vector<NodeStatus>& nodes) const {
  int down_power = 0;
  for (const NodeStatus& n : nodes) {
    NodeSeen seen = Classify(n);
    if (seen == NodeSeen::kAnswered) return false;
    if (seen == NodeSeen::kDown) down_power += n.power;
  }
  // With the known-down nodes out, could the silent ones still hold a quorum and commit?
  return pb_.quorum.Holds(snap_.total_power - down_power, snap_.total_power);
}

std::optional<StateChange> ShardWatch::Observe(const std::vector<NodeStatus>& nodes) {
  TimePoint now = clock_.Now();
  snap_.nodes = nodes;
  snap_.down = NodesDown(nodes);
  snap_.last_round_unix_ms = clock_.UnixMillis();
  snap_.last_round_blind = Blind(nodes);
  if (snap_.last_round_blind) return std::nullopt;
  SampleSummary s = Summarize(nodes, pb_.probe, pb_.gate.max_lag);
  bool progressed = Track(s, now);
  Fill(s, nodes);
  if (snap_.state == ShardState::kRecovering) return std::nullopt;
  std::string reason;
  ShardState judged = Judge(s, now, progressed, &reason);
  if (!IsActionable(judged)) verdict_since_.reset();
  if (IsActionable(judged) && !verdict_since_) verdict_since_ = now;
  // gave-up holds until the shard commits again; halted and stuck are both "still broken".
  if (snap_.state == ShardState::kGaveUp && IsActionable(judged)) return std::nullopt;
  snap_.reason = reason;
  return Enter(judged, reason);
}

bool ShardWatch::Track(const SampleSummary& s, TimePoint now) {
  // The first round counts as progress: when the block before it came is not known.
  bool progressed = !last_progress_ || s.top > best_top_;
  if (progressed) {
    last_progress_ = now;
    snap_.last_block_unix_ms = clock_.UnixMillis();
  }
  best_top_ = std::max(best_top_, s.top);
  if (s.top < 0) return progressed;
  tops_.emplace_back(now, s.top);
  while (tops_.size() > 2 && now - tops_.front().first > kRateSpan) tops_.pop_front();
  Duration span = tops_.back().first - tops_.front().first;
  snap_.blocks_per_s =
      span.count() <= 0 ? 0
                        : 1000.0 * static_cast<double>(tops_.back().second - tops_.front().second) /
                              static_cast<double>(span.count());
  return progressed;
}

int ShardWatch::DownPower() const {
  int power = 0;
  for (const NodeStatus& n : snap_.nodes) {
    if (Classify(n) == NodeSeen::kDown) power += n.power;
  }
  return power;
}

void ShardWatch::Fill(const SampleSummary& s, const std::vector<NodeStatus>& nodes) {
  if (s.top >= 0) snap_.height = s.top;
  snap_.view_ids = s.view_ids;
  snap_.view_change_ids.clear();
  for (const NodeStatus& n : nodes) {
    if (n.answered && n.fields.view_change_id)
      snap_.view_change_ids.insert(*n.fields.view_change_id);
  }
  snap_.normal_power = s.normal_in_sync_power;
  snap_.total_power = s.total_power;
  snap_.quorum_power = pb_.quorum.Required(s.total_power);
}

ShardState ShardWatch::Judge(const SampleSummary& s, TimePoint now, bool progressed,
                             std::string* reason) const {
  Duration quiet = now - *last_progress_;
  std::string down = snap_.down.empty() ? "" : "; not answering: " + Join(snap_.down);
  // Nodes known to be stopped can leave too little power for any quorum: the shard cannot
  // commit, whatever halt_after says (unless a block was just seen, then the probe is stale).
  int down_power = DownPower();
  bool no_quorum = !progressed && !pb_.quorum.Holds(s.total_power - down_power, s.total_power);
  if (quiet >= policy_.halt_after || no_quorum) {
    *reason = (no_quorum && quiet < policy_.halt_after
                   ? "no quorum possible: stopped nodes hold " + std::to_string(down_power) +
                         " of " + std::to_string(s.total_power) + " voting power"
                   : "no new block for " + FormatDuration(quiet)) +
              ": " + s.Describe() + down;
    return s.ViewTrouble() ? ShardState::kStuck : ShardState::kHalted;
  }
  *reason = s.Describe() + down;
  bool all_in = s.normal_in_sync_power == s.total_power;
  return all_in ? ShardState::kHealthy : ShardState::kDegraded;
}

bool ShardWatch::Confirmed() const {
  if (!IsActionable(snap_.state) || !verdict_since_ || snap_.last_round_blind) return false;
  return clock_.Now() - *verdict_since_ >= policy_.confirm_for;
}

std::optional<StateChange> ShardWatch::Enter(ShardState to, const std::string& reason) {
  if (to == snap_.state) return std::nullopt;
  StateChange c{shard_.id, snap_.state, to, reason, snap_.last_block_unix_ms};
  snap_.state = to;
  snap_.reason = reason;
  snap_.state_since_unix_ms = clock_.UnixMillis();
  return c;
}

std::optional<StateChange> ShardWatch::BeginRecovery(const std::string& reason) {
  verdict_since_.reset();
  return Enter(ShardState::kRecovering, reason);
}

std::optional<StateChange> ShardWatch::EndRecovery(bool healthy, const std::string& reason) {
  // Whatever the run did, the halt clock starts again: a shard just restarted gets a full
  // halt_after (and for) before it can be judged broken and acted on again.
  last_progress_ = clock_.Now();
  best_top_ = -1;
  tops_.clear();
  verdict_since_.reset();
  if (healthy) return Enter(ShardState::kHealthy, reason);
  return Enter(ShardState::kUnknown, reason);
}

std::optional<StateChange> ShardWatch::GiveUp(const std::string& reason) {
  verdict_since_.reset();
  return Enter(ShardState::kGaveUp, reason);
}

}  // namespace shardctl
