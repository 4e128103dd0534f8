// What a wave does to one node. An operation built on waves (rolling-restart, upgrade) is a
// NodeAction plus the shared wave runner (run/shard_waves.h): which nodes, in which waves
// (quorum-safe, leader last), doing this action, judged by the per-node gate (back in sync and
// the shard committed new blocks).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "consensus/sample.h"
#include "consensus/waves.h"
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

  // Optional steps; the defaults do nothing, as a restart needs.

  /// Once per run, after its begin line and before any shard, with every target (an upgrade
  /// stages its release here). Returns the targets to leave out, each with why (reported and
  /// journaled skipped); an error starts no shard.
  virtual Result<std::map<std::string, std::string>> Prepare(
      RunContext& ctx, const std::vector<const Node*>& targets);
  /// After the per-node gate found node back in sync (`probed`: node in the gate's last sample,
  /// null if it was not in it): an error fails it (an upgrade checks the version it reports).
  virtual Status Check(NodeOps& ops, const Node& node, const NodeStatus* probed);
  /// The shard's canaries, from a fresh probe (`probed`: only the remaining targets planned):
  /// the shard's first wave, which must pass Soak before any other wave. Empty: none.
  virtual Result<std::vector<const Node*>> Canaries(const Shard& shard, const WaveInput& probed);
  /// True when every shard's canary wave (and soak) comes before any shard's other waves: one
  /// soak for the run, not one per round of shards.
  virtual bool CanariesFirst() const { return false; }
  /// Samples every node of the shard (and counts toward its longest stall).
  using SampleFn = std::function<std::vector<NodeStatus>(SampleSummary*)>;
  /// Judges the canaries once they passed the gate and Check; an error fails every one of them.
  virtual Status Soak(const Shard& shard, const std::vector<const Node*>& canaries,
                      const SampleFn& sample);
  /// True when a failed node can be put back as it was (Undo).
  virtual bool CanUndo() const { return false; }
  /// Puts a failed node back as it was before Apply and starts it (an upgrade: its previous
  /// binary); the wave runner then gates it. Journals every command like Apply.
  virtual Status Undo(NodeOps& ops, const Node& node);
};

}  // namespace shardctl
