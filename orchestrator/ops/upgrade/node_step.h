// One upgrade command (swap or rollback) on one node: rendered with the run's values,
// announced (journaled) before it is sent, its failure explained. The run driver calls it
// between a node's confirmed stop and its start.
#pragma once

#include "ops/upgrade/stage.h"

namespace shardctl::upgrade {

/// Renders `id` (kSwap or kRollback) for node, calls before(node, command) (not sent unless it
/// answers ok), runs it with the playbook's command timeout. Failures name the node, the command
/// and the reason (exit code and first stderr line, or the transport's reason).
Status RunNodeStep(Transport& transport, const Playbook& pb, const Node& node, CommandId id,
                   const UpgradeRunVars& run, const CancelToken* cancel,
                   const BeforeStageFn& before = {});

}  // namespace shardctl::upgrade
