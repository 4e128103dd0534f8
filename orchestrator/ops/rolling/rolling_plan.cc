#include "ops/rolling/rolling_plan.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "consensus/waves.h"
#include "run/context.h"
#include "run/driver.h"
#include "run/node_ops.h"

namespace shardctl {

Result<std::vector<ShardWavePlan>> PlanRolling(const Inventory& inv, const Playbook& pb,
                                               Transport& transport, Clock& clock,
                                               const WaveOptions& options) {
  auto order = ScheduledShards(inv, pb, options.shards);
  if (!order.ok()) return order.status();
  ReadOnlyContext ro(inv, pb, transport, clock);
  std::vector<ShardWavePlan> plan;
  for (int id : *order) {
    const Shard& shard = *inv.FindShard(id);
    std::vector<const Node*> nodes;
    std::set<std::string> remaining;
    for (const Node& n : shard.nodes) {
      nodes.push_back(&n);
      if (options.targets.count(n.name)) remaining.insert(n.name);
    }
    if (remaining.empty()) continue;
    WaveInput in =
        MakeWaveInput(shard, NodeOps(ro.get(), id).ProbeAll(nodes, false), pb, remaining);
    ShardWavePlan p;
    p.shard = id;
    p.leader = in.leader;
    p.not_in_sync.assign(in.not_in_sync.begin(), in.not_in_sync.end());
    auto waves = PlanWaves(shard, in);
    if (!waves.ok()) p.error = waves.status().message();
    for (const auto& wave : waves.ok() ? *waves : std::vector<std::vector<const Node*>>{}) {
      p.waves.emplace_back();
      for (const Node* n : wave) p.waves.back().push_back(n->name);
    }
    plan.push_back(std::move(p));
  }
  return plan;
}

std::string RenderWavePlanText(const std::vector<ShardWavePlan>& plan) {
  std::ostringstream o;
  for (const ShardWavePlan& p : plan) {
    o << "shard " << p.shard << " (leader " << (p.leader.empty() ? "unknown" : p.leader)
      << (p.not_in_sync.empty() ? "" : ", not in sync:");
    for (const std::string& n : p.not_in_sync) o << " " << n;
    o << ")\n";
    if (!p.error.empty()) o << "  cannot roll now: " << p.error << "\n";
    for (size_t w = 0; w < p.waves.size(); ++w) {
      o << "  wave " << w + 1 << ":";
      for (const std::string& n : p.waves[w]) o << " " << n;
      o << "\n";
    }
  }
  o << "Each node: stop, confirm down, verify (restore) binary, start, wait until in sync and the\n"
       "shard committed new blocks. Waves are re-planned from a fresh probe before each one.\n"
       "Dry run: nothing was touched.\n";
  return o.str();
}

nlohmann::json WavePlanToJson(const std::vector<ShardWavePlan>& plan) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardWavePlan& p : plan) {
    shards.push_back({{"shard", p.shard},
                      {"leader", p.leader},
                      {"not_in_sync", p.not_in_sync},
                      {"waves", p.waves},
                      {"error", p.error}});
  }
  return {{"dry_run", true}, {"shards", shards}};
}

}  // namespace shardctl
