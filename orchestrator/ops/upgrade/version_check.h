// Asking a running node which version it runs (the playbook's `version` command).
#pragma once

#include <string>

#include "base/status.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl::upgrade {

/// Runs `version` on node and checks that run.version occurs in what it reports (a whole
/// token, see VersionMatches). Ok without asking when run.version is empty. The error says what
/// the node reported and what was expected, or why it could not be asked.
Status CheckNodeVersion(Transport& transport, const Playbook& pb, const Node& node,
                        const UpgradeRunVars& run, const CancelToken* cancel);

}  // namespace shardctl::upgrade
