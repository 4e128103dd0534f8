// `shardctl plan` / `recover --dry-run`: what a recovery would do to which node in which order,
// with every command rendered, touching nothing.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "ops/recover/recover.h"

namespace shardctl {

struct PlanStep {
  int shard = 0;
  std::string phase;    // assess, stop, confirm-down, verify, sync-check, start, gate, escalate
  std::string node;     // empty: the whole shard
  std::string command;  // rendered; empty for shard-wide steps
  std::string note;     // when and why
};

struct RecoverPlan {
  std::vector<int> shard_order;
  int parallel_shards = 1;
  std::vector<PlanStep> steps;  // in order, per shard
};

/// Validates like Recover() and lists the steps of the first whole-shard restart.
Result<RecoverPlan> BuildRecoverPlan(const Inventory& inv, const Playbook& pb,
                                     const RecoverOptions& options);

std::string RenderPlanText(const RecoverPlan& plan);
nlohmann::json PlanToJson(const RecoverPlan& plan);

}  // namespace shardctl
