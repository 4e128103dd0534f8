// What a wave does to one node. An operation built on waves (rolling-restart, upgrade) is a
// NodeAction plus the shared wave runner (run/shard_waves.h): which nodes, in which waves
// (quorum-safe, leader last), doing this action, judged by the per-node gate (back in sync and
// the shard committed new blocks).
#pragma once

#include <string>

#include "base/status.h"
#include "model/inventory.h"
#include "run/node_ops.h"
#include "run/resume.h"

namespace shardctl {

/// Where an action reports what a person should know about a node. Thread-safe.
class NodeNotes {
 public:
  virtual ~NodeNotes() = default;
  /// node's binary failed verification and the known-good copy was restored.
  virtual void ReplacedBinary(const std::string& node, const std::string& why) = 0;
};

class NodeAction {
 public:
  virtual ~NodeAction() = default;
  /// What the action did to a node, for reports: "restarted", "upgraded".
  virtual const char* Verb() const = 0;
  /// Takes node from running to started, journaling every command before it is sent (ops does).
  /// `how` says where an interrupted earlier run left the node (ResumeAction::kRestart: from
  /// the beginning; kWaitForSync is never passed). An error fails the node. Called from several
  /// threads at once, for different nodes.
  virtual Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) = 0;
};

}  // namespace shardctl
