// upgrade's node action for the shared wave runner: stage the release on every target first
// (Prepare), then per node stop, confirm down, swap the staged release in, start; judged by the
// same per-node gate plus the version the node reports. One canary per shard (never the
// leader) soaks first; a node that fails gets its previous binary back at once (Undo).
#pragma once

#include <set>
#include <string>

#include "model/upgrade_policy.h"
#include "ops/upgrade/artifact.h"
#include "ops/upgrade/soak.h"
#include "run/node_action.h"

namespace shardctl::upgrade {

/// Puts a binary in place on node: stop and confirm down (when stop_first), the upgrade command
/// id (swap or rollback) with run's values, start. Each journaled before it is sent (NodeOps).
Status SwapIn(NodeOps& ops, const Node& node, CommandId id, const UpgradeRunVars& run,
              bool stop_first);

struct UpgradeActionOptions {
  UpgradeRunVars run;          // sha256, --version, run id: what the upgrade commands see
  bool allow_partial = false;  // upgrade the staged nodes even if staging failed on others
  /// Nodes this run upgraded before it was interrupted (resume): their shard had its canary.
  std::set<std::string> upgraded_before;
};

class UpgradeAction : public NodeAction {
 public:
  /// artifact and ctx must outlive the action.
  UpgradeAction(RunContext& ctx, const Artifact& artifact, UpgradeActionOptions options)
      : ctx_(ctx), artifact_(artifact), options_(std::move(options)) {}

  const char* Verb() const override { return "upgraded"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
  /// Stages the release on every target in parallel, each journaled; a failure refuses the run
  /// (every shard skipped) unless allow_partial, which leaves the failed nodes out.
  Result<std::map<std::string, std::string>> Prepare(
      RunContext& ctx, const std::vector<const Node*>& targets) override;
  Status Check(NodeOps& ops, const Node& node, const NodeStatus* probed) override;
  Result<std::vector<const Node*>> Canaries(const Shard& shard, const WaveInput& probed) override;
  bool CanariesFirst() const override { return ctx_.pb.upgrade.canary > 0; }
  Status Soak(const Shard& shard, const std::vector<const Node*>& canaries,
              const SampleFn& sample) override;
  bool CanUndo() const override { return true; }
  Status Undo(NodeOps& ops, const Node& node) override;

 private:
  /// One look at a soaking canary: in sync and Normal in this sample, on the version.
  SoakSample LookAt(const Node& canary, const std::vector<NodeStatus>& statuses,
                    const SampleSummary& s);

  RunContext& ctx_;
  const Artifact& artifact_;
  const UpgradeActionOptions options_;
};

}  // namespace shardctl::upgrade
