#include "ops/rolling/restart_action.h"

#include "run/node_steps.h"

namespace shardctl {

Status RestartAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) {
  StopStep stop;
  ConfirmDownStep confirm_down;
  VerifyStep verify;
  StartStep start;
  if (how == ResumeAction::kRestart) {
    SHARDCTL_RETURN_IF_ERROR(stop.Apply(ops, node, how, notes));
    SHARDCTL_RETURN_IF_ERROR(confirm_down.Apply(ops, node, how, notes));
  }
  SHARDCTL_RETURN_IF_ERROR(verify.Apply(ops, node, how, notes));
  return start.Apply(ops, node, how, notes);
}

}  // namespace shardctl
