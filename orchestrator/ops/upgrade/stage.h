// Staging: the release goes to every selected node, in parallel, over the SSH session already
// open, through the playbook's `stage` command (artifact on stdin). No process is touched.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "model/playbook.h"
#include "ops/upgrade/artifact.h"
#include "transport/transport.h"

namespace shardctl::upgrade {

struct StageOutcome {
  const Node* node = nullptr;
  Status status;  // ok: staged and verified on the node
};

/// Called for a node just before its stage command is sent, with the rendered command; a
/// non-ok answer (e.g. the journal could not be written) means the command is not sent and the
/// node's outcome is that status. May be called from several threads at once.
using BeforeStageFn = std::function<Status(const Node& node, const std::string& command)>;

/// How long staging `bytes` may take on one node while `at_once` nodes are sent it together: the
/// playbook's command timeout plus one second per MiB crossing the operator's link meanwhile (the
/// transfers share it; a slow link must not fail a large release).
Duration StageTimeout(const Playbook& pb, size_t bytes, size_t at_once);

/// Runs `stage` with the artifact on stdin on every node, at most parallelism at once (< 1:
/// DefaultParallelism()). Outcomes in input order; a failure names the node and says why (exit
/// code and first stderr line, or the transport's reason). cancel stops new nodes starting.
std::vector<StageOutcome> StageOnNodes(Transport& transport, const Playbook& pb,
                                       const std::vector<const Node*>& nodes,
                                       const Artifact& artifact, const UpgradeRunVars& run,
                                       int parallelism, const CancelToken* cancel,
                                       const BeforeStageFn& before = {});

}  // namespace shardctl::upgrade
