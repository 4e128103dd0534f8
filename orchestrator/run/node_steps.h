// The node steps operations are made of, as NodeActions: stop, confirm down, verify the binary
// (restoring the known-good one), start. rolling-restart's RestartAction chains them per node;
// recover applies each to a whole shard in turn (ShardTask::ApplyAll), starting with
// NodeOps::ActTogether so the starts land within the start window.
#pragma once

#include "run/node_action.h"

namespace shardctl {

/// The playbook's stop. Fails with Status::Unreachable when the node cannot be reached.
class StopStep : public NodeAction {
 public:
  const char* Verb() const override { return "stopped"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

/// Waits until is_running says stopped (NodeOps::WaitUntilDown).
class ConfirmDownStep : public NodeAction {
 public:
  const char* Verb() const override { return "confirmed down"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

/// verify_binary, restoring the known-good binary where it fails (reported through notes).
class VerifyStep : public NodeAction {
 public:
  const char* Verb() const override { return "verified"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

/// The playbook's start.
class StartStep : public NodeAction {
 public:
  const char* Verb() const override { return "started"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

}  // namespace shardctl
