// Asking a running node which version it runs (the playbook's `version` command, read through
// NodeOps).
#pragma once

#include <string>

#include "base/status.h"
#include "consensus/node_status.h"
#include "model/playbook.h"
#include "run/node_ops.h"

namespace shardctl::upgrade {

/// Checks that run.version occurs in what node reports (a whole token, see VersionMatches):
/// the version in `probed` (node's latest probe) when it has one, else what `version` prints
/// when run on node. Ok without asking when run.version is empty. The error says what the node
/// reported and what was expected, or why it could not be asked.
Status CheckNodeVersion(NodeOps& ops, const Playbook& pb, const Node& node,
                        const UpgradeRunVars& run, const NodeStatus* probed = nullptr);

}  // namespace shardctl::upgrade
