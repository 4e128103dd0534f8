// What a drill will do, decided before anything is touched: the drill file checked against the
// playbook and inventory, the targets of every step (seeded), and the blast-radius check under
// the playbook's quorum rule. Read-only: the one probe it may take (who leads) changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ops/drill/blast_radius.h"
#include "ops/drill/drill_spec.h"
#include "ops/drill/drill_targets.h"
#include "run/context.h"

namespace shardctl {

struct DrillPlan {
  DrillSpec spec;
  DrillTargets targets;  // points into spec: a plan is kept where it was made (unique_ptr)
  BlastCheck blast;
};

/// The seed of a run: --seed, else the file's, else a random one (53 bits, printable as JSON).
uint64_t ChooseDrillSeed(const std::optional<uint64_t>& flag, const DrillSpec& spec);

/// Loads and checks the drill file, asks who leads (one read-only probe, only when a step
/// targets leaders), resolves the targets with seed and checks the blast radius. An error (the
/// file, a target rule no node meets) names the file and JSON pointer; a blast radius the faults
/// exceed is not an error here: plan->blast says so.
Result<std::unique_ptr<DrillPlan>> PlanDrill(const std::string& path, RunContext& read_only,
                                             const std::optional<uint64_t>& seed);

/// The plan in words: seed, blast-radius lines, each choice, the timeline.
std::vector<std::string> DrillPlanLines(const DrillPlan& plan, const Playbook& pb);
nlohmann::json DrillPlanToJson(const DrillPlan& plan, const Playbook& pb);

}  // namespace shardctl
