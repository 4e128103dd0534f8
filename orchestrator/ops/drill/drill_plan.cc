#include "ops/drill/drill_plan.h"

#include <nlohmann/json.hpp>
#include <random>

#include "base/text.h"
#include "run/node_ops.h"

namespace shardctl {
namespace {

bool TargetsLeaders(const DrillSpec& spec) {
  for (const auto* steps : {&spec.faults, &spec.rollbacks}) {
    for (const FaultStep& s : *steps) {
      if (s.targets.leader) return true;
    }
  }
  return false;
}

/// One read-only probe of every node: shard -> the node that says it leads.
std::map<int, std::string> ProbeLeaders(RunContext& ctx) {
  std::map<int, std::string> leaders;
  for (const Shard& s : ctx.inv.shards) {
    std::vector<const Node*> nodes;
    for (const Node& n : s.nodes) nodes.push_back(&n);
    for (const NodeStatus& st : NodeOps(ctx, s.id).ProbeAll(nodes, false)) {
      if (st.answered && st.fields.leader.value_or(false)) leaders[s.id] = st.node;
    }
  }
  return leaders;
}

}  // namespace

uint64_t ChooseDrillSeed(const std::optional<uint64_t>& flag, const DrillSpec& spec) {
  if (flag) return *flag;
  if (spec.seed) return *spec.seed;
  std::random_device rd;
  return ((static_cast<uint64_t>(rd()) << 20) ^ rd()) & ((uint64_t{1} << 53) - 1);
}

Result<std::unique_ptr<DrillPlan>> PlanDrill(const std::string& path, RunContext& read_only,
                                             const std::optional<uint64_t>& seed) {
  auto spec = LoadDrillSpec(path);
  if (!spec.ok()) return spec.status();
  SHARDCTL_RETURN_IF_ERROR(CheckDrillAgainst(*spec, read_only.pb, read_only.inv));
  auto plan = std::make_unique<DrillPlan>();
  plan->spec = std::move(*spec);
  std::map<int, std::string> leaders;
  if (TargetsLeaders(plan->spec)) leaders = ProbeLeaders(read_only);
  auto targets = ResolveTargets(plan->spec, read_only.pb, read_only.inv, leaders,
                                ChooseDrillSeed(seed, plan->spec));
  if (!targets.ok()) return targets.status();
  plan->targets = std::move(*targets);
  plan->blast = CheckBlastRadius(plan->spec, plan->targets, read_only.inv, read_only.pb.quorum);
  return plan;
}

std::vector<std::string> DrillPlanLines(const DrillPlan& p, const Playbook& pb) {
  std::vector<std::string> lines;
  lines.push_back("drill " + p.spec.name + ": seed " + std::to_string(p.targets.seed) +
                  " (replay with --seed " + std::to_string(p.targets.seed) + ")");
  lines.push_back("blast radius (at most " + FormatPercent(p.blast.max_power_share) +
                  " of a shard's power):");
  for (const std::string& l : p.blast.Lines()) lines.push_back("  " + l);
  lines.push_back("targets:");
  for (const ResolvedStep& r : p.targets.faults) {
    for (const std::string& c : r.choices) lines.push_back("  " + r.step->where + ": " + c);
  }
  lines.push_back("timeline:");
  for (const std::string& l : DescribeTimeline(p.spec, pb, p.targets)) lines.push_back("  " + l);
  return lines;
}

nlohmann::json DrillPlanToJson(const DrillPlan& p, const Playbook& pb) {
  nlohmann::json choices = nlohmann::json::array();
  for (const ResolvedStep& r : p.targets.faults) {
    for (const std::string& c : r.choices) choices.push_back(r.step->where + ": " + c);
  }
  return {{"drill", p.spec.name},
          {"seed", p.targets.seed},
          {"blast_radius", p.blast.Lines()},
          {"blast_radius_ok", p.blast.ok()},
          {"targets", choices},
          {"timeline", DescribeTimeline(p.spec, pb, p.targets)}};
}

}  // namespace shardctl
