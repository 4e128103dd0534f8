#include "consensus/waves.h"

#include <algorithm>
#include <cmath>

#include "consensus/sample.h"

namespace shardctl {

int RequiredUpPower(const Shard& shard, const QuorumRule& quorum, double quorum_margin) {
  return quorum.RequiredWithMargin(shard.TotalPower(), quorum_margin);
}

Result<std::vector<std::vector<const Node*>>> PlanWaves(const Shard& shard, const WaveInput& in) {
  int required = RequiredUpPower(shard, in.quorum, in.quorum_margin);
  int up = 0;
  std::vector<const Node*> lagging, healthy;
  const Node* leader = nullptr;
  for (const Node& n : shard.nodes) {
    bool in_sync = !in.not_in_sync.count(n.name);
    if (in_sync) up += n.voting_power;
    if (in.exclude.count(n.name)) continue;
    if (n.name == in.leader && in_sync) {
      leader = &n;
    } else {
      (in_sync ? healthy : lagging).push_back(&n);
    }
  }
  std::vector<std::vector<const Node*>> waves;
  if (!lagging.empty()) waves.push_back(lagging);
  std::vector<const Node*> wave;
  int wave_power = 0;
  auto full = [&](const Node* n) {
    return up - wave_power - n->voting_power < required ||
           (in.max_wave_size > 0 && static_cast<int>(wave.size()) >= in.max_wave_size);
  };
  if (leader) healthy.push_back(leader);
  for (const Node* n : healthy) {
    if (up - n->voting_power < required) {
      return Status::Failed("shard " + std::to_string(shard.id) + ": restarting " + n->name +
                            " (voting power " + std::to_string(n->voting_power) + ") would leave " +
                            std::to_string(up - n->voting_power) + " of " +
                            std::to_string(shard.TotalPower()) + " up and in sync; at least " +
                            std::to_string(required) +
                            " must stay up. Bring lagging nodes back first.");
    }
    if (!wave.empty() && (n == leader || full(n))) {
      waves.push_back(wave);
      wave.clear();
      wave_power = 0;
    }
    wave.push_back(n);
    wave_power += n->voting_power;
  }
  if (!wave.empty()) waves.push_back(wave);
  return waves;
}

WaveInput MakeWaveInput(const Shard& shard, const std::vector<NodeStatus>& sample,
                        const Playbook& pb, const std::set<std::string>& remaining) {
  SampleSummary s = Summarize(sample, pb.probe, pb.gate.max_lag);
  WaveInput in;
  in.quorum = pb.quorum;
  in.quorum_margin = pb.rolling.quorum_margin;
  in.max_wave_size = pb.rolling.max_wave_size;
  for (const NodeStatus& n : sample) {
    bool in_sync = InSyncNormal(n, s, pb);
    if (!in_sync) in.not_in_sync.insert(n.node);
    if (in_sync && n.fields.leader.value_or(false) && in.leader.empty()) in.leader = n.node;
  }
  for (const Node& n : shard.nodes) {
    if (!remaining.count(n.name)) in.exclude.insert(n.name);
  }
  return in;
}

}  // namespace shardctl
