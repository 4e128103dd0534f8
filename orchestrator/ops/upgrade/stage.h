// Staging: the release goes to every target, in parallel, over the SSH session already open,
// through NodeOps (each `stage` journaled before it is sent, the release on stdin). No process
// is touched. Where the playbook has `verify_staged` and it says the release is there already
// (staged ahead with `upgrade --stage-only`), it is not sent again.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/upgrade/artifact.h"
#include "run/context.h"

namespace shardctl::upgrade {

struct StageOutcome {
  const Node* node = nullptr;
  Status status;              // ok: staged and verified on the node
  bool found_staged = false;  // verify_staged passed: nothing was sent
};

/// Stages artifact on every node, playbook nodes.parallel at once. Outcomes in input order; a
/// failure names the node and says why. A node whose turn comes while the run is stopping is
/// not staged (its outcome says so).
std::vector<StageOutcome> StageRelease(RunContext& ctx, const std::vector<const Node*>& nodes,
                                       const Artifact& artifact, const UpgradeRunVars& run);

/// What a run's staging step did.
struct StagingResult {
  std::vector<StageOutcome> outcomes;         // per node, in input order
  std::map<std::string, std::string> failed;  // node -> why it is not staged
  std::string summary;                        // one line: how many staged, or what failed
};

/// The staging step of a run, journaled as a whole (Step::kStaging: begin, then ok, or
/// partial when the failed nodes are left out of what follows, else failed): StageRelease and
/// its summary. An error only when its closing line could not be journaled.
Result<StagingResult> StageStep(RunContext& ctx, const std::vector<const Node*>& nodes,
                                const Artifact& artifact, const UpgradeRunVars& run,
                                bool leave_out_failed);

}  // namespace shardctl::upgrade
