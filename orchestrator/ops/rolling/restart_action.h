// rolling-restart's node action: stop, confirm down, verify the binary (restore the known-good
// one), start.
#pragma once

#include "run/node_action.h"

namespace shardctl {

class RestartAction : public NodeAction {
 public:
  const char* Verb() const override { return "restarted"; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override;
};

}  // namespace shardctl
