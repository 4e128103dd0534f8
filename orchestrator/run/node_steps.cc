#include "run/node_steps.h"

namespace shardctl {

Status StopStep::Apply(NodeOps& ops, const Node& node, ResumeAction, NodeNotes&) {
  return ops.Do(node, CommandId::kStop);
}

Status ConfirmDownStep::Apply(NodeOps& ops, const Node& node, ResumeAction, NodeNotes&) {
  return ops.WaitUntilDown(node);
}

Status VerifyStep::Apply(NodeOps& ops, const Node& node, ResumeAction, NodeNotes& notes) {
  std::string replaced_because;
  SHARDCTL_RETURN_IF_ERROR(ops.VerifyOrRestore(node, &replaced_because));
  if (!replaced_because.empty()) notes.ReplacedBinary(node.name, replaced_because);
  return Status::Ok();
}

Status StartStep::Apply(NodeOps& ops, const Node& node, ResumeAction, NodeNotes&) {
  return ops.Do(node, CommandId::kStart);
}

}  // namespace shardctl
