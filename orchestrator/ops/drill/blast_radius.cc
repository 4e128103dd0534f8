#include "ops/drill/blast_radius.h"

#include <cstdio>
#include <set>

#include "base/text.h"
#include "model/node_set.h"

namespace shardctl {
namespace {

std::set<std::string> Touched(const DrillTargets& targets) {
  std::set<std::string> names;
  for (const auto* steps : {&targets.faults, &targets.rollbacks}) {
    for (const ResolvedStep& s : *steps) {
      for (const Node* n : s.nodes) names.insert(n->name);
    }
  }
  return names;
}

std::string DescribeBlastShard(const BlastShard& b, double max_share, const std::string& quorum) {
  double share = static_cast<double>(b.power) / static_cast<double>(b.total);
  return "shard " + std::to_string(b.shard) + ": " + FoldNodeNames(b.nodes) + " = " +
         std::to_string(b.power) + " of " + std::to_string(b.total) + " voting power (" +
         FormatPercent(share) + ")" +
         (b.inside ? (b.ok ? " <= " : " > ") + FormatPercent(max_share)
                   : " outside the blast radius") +
         (b.rest_has_quorum ? ", the rest keeps a quorum (" : ", the rest has no quorum (") +
         quorum + ")";
}

}  // namespace

std::vector<std::string> BlastCheck::Lines() const {
  std::vector<std::string> lines;
  for (const BlastShard& b : shards)
    lines.push_back(DescribeBlastShard(b, max_power_share, quorum) + (b.ok ? ": ok" : ": REFUSED"));
  return lines;
}

BlastCheck CheckBlastRadius(const DrillSpec& spec, const DrillTargets& targets,
                            const Inventory& inv, const QuorumRule& quorum) {
  BlastCheck check;
  check.max_power_share = spec.max_power_share;
  check.quorum = quorum.Describe();
  std::set<std::string> touched = Touched(targets);
  for (const Shard& shard : inv.shards) {
    BlastShard b;
    b.shard = shard.id;
    b.total = shard.TotalPower();
    for (const Node& n : shard.nodes) {
      if (touched.count(n.name) == 0) continue;
      b.nodes.push_back(n.name);
      b.power += n.voting_power;
    }
    if (b.nodes.empty()) continue;
    b.inside = spec.blast_shards.Contains(shard.id);
    b.rest_has_quorum =
        quorum.Holds(static_cast<int>(b.total - b.power), static_cast<int>(b.total));
    b.ok = b.inside && static_cast<double>(b.power) <=
                           spec.max_power_share * static_cast<double>(b.total) + 1e-9;
    if (!b.ok) {
      check.violations.push_back(spec.path + ":/blast_radius: " +
                                 DescribeBlastShard(b, spec.max_power_share, check.quorum));
    }
    check.shards.push_back(std::move(b));
  }
  return check;
}

}  // namespace shardctl
