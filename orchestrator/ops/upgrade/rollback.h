// `shardctl rollback RUN_ID`: the previous binary back on every node an upgrade run upgraded,
// through the shared wave runner (quorum-safe waves, leader last, the per-node gate, the
// journal, resume): per node stop, confirm down, the playbook's `rollback`, start.
#pragma once

#include "run/context.h"
#include "run/node_action.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl::upgrade {

class RollbackAction : public NodeAction {
 public:
  const char* Verb() const override { return "rolled back"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

/// options.targets: the nodes the upgrade run upgraded.
Result<WaveReport> RunRollback(RunContext& ctx, const WaveOptions& options);

}  // namespace shardctl::upgrade
