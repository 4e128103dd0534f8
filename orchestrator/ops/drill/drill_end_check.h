// The last word of a drill: every node it touched must be running when it ends. A shard with 3
// of 4 nodes up passes its gate, so the hypothesis alone would call a drill whose rollback left a
// node down "passed"; this check names such nodes and fails the drill.
#pragma once

#include <string>
#include <vector>

#include "model/inventory.h"
#include "ops/drill/drill_targets.h"
#include "run/context.h"

namespace shardctl {

/// Every node a sent fault step or a rollback action targeted, each once, in step order.
/// sent: per fault step, whether it was sent.
std::vector<const Node*> TouchedNodes(const DrillTargets& targets, const std::vector<bool>& sent);

/// Those of nodes that is_running does not report running now (asked in parallel, read-only):
/// "s0-n1 (stopped)", "s0-n2 (unknown: ...)". Empty when every one runs.
std::vector<std::string> NodesLeftDown(RunContext& c, const std::vector<const Node*>& nodes);

}  // namespace shardctl
