// A run's hands: the only way a run touches or reads a node. Every command that changes a node
// (a playbook command, a release being staged, a drill's fault or undo) is rendered, journaled
// ("begin", fsync'd) before it is sent and its result journaled after; every read (is_running,
// probe, version, verify_staged, db_height) goes through here too, unjournaled. One timeout
// rule (TimeoutFor) and one error text (Do) for all of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consensus/node_status.h"
#include "run/context.h"

namespace shardctl {

/// ExecResult::detail of an action that was not sent because the journal failed starts so.
inline constexpr const char* kNotSentPrefix = "not sent, journal write failed: ";

/// True for transport outcomes that mean "could not get to the node at all".
bool IsUnreachable(const ExecResult& r);

/// One command for one node: the text sent and what the journal calls it.
struct NodeCommand {
  JournalStep step{};   // a playbook command (CommandId), or a drill's Step::kFault / kUndo
  std::string text{};   // rendered
  std::string label{};  // put before the text on the journal's begin line ("kill: ")
  const std::string* input = nullptr;  // not owned: written to the command's stdin (a release)
  size_t inputs_at_once = 1;           // how many nodes are sent `input` at the same time
};

/// Stateless apart from the context; safe to use from several threads at once.
class NodeOps {
 public:
  NodeOps(RunContext& ctx, int shard) : ctx_(ctx), shard_(shard) {}

  /// The playbook's command id for node (upgrade commands with `release`'s values). Errors
  /// name the playbook, the command and the node.
  Result<NodeCommand> Command(const Node& node, CommandId id,
                              const UpgradeRunVars* release = nullptr) const;
  /// A drill fault (or its undo) for node with the step's params.
  Result<NodeCommand> Fault(const Node& node, const FaultDef& fault, bool undo,
                            const Vars& params) const;

  /// Journals "begin" (fsync'd), runs the command, journals the result. If the journal cannot
  /// be written the command is not sent (outcome kError, detail kNotSentPrefix...).
  ExecResult Act(const Node& node, const NodeCommand& command);
  ExecResult Act(const Node& node, CommandId id);
  /// Act, as a Status with the one error text: "<step> failed: <reason>" (kUnreachable when the
  /// node could not be reached at all).
  Status Do(const Node& node, const NodeCommand& command);
  Status Do(const Node& node, CommandId id);
  /// Act(id) on every node, every "begin" journaled before the first is sent, then all sent at
  /// once (a shard's starts land within the start window). Results in input order.
  std::vector<ExecResult> ActTogether(const std::vector<const Node*>& nodes, CommandId id);
  /// Runs a read-only command without journaling.
  ExecResult Read(const Node& node, const NodeCommand& command);
  ExecResult Read(const Node& node, CommandId id);

  /// The probe's raw answer: probe.http sent over the node's session (no process on the node),
  /// or else the probe command.
  ExecResult Ask(const Node& node);
  /// is_running's answer: true running, false stopped, nullopt unknown (*why says why).
  std::optional<bool> IsRunning(const Node& node, std::string* why);
  /// Probes node; with ask_running, a node that does not answer is asked is_running (one that
  /// answers runs, so it costs no command).
  NodeStatus Probe(const Node& node, bool ask_running);
  /// Probe on every node, in parallel; results in input order.
  std::vector<NodeStatus> ProbeAll(const std::vector<const Node*>& nodes, bool ask_running);

  /// Polls is_running (every timeouts.confirm_poll) until node reports stopped, or
  /// timeouts.stop_confirm passes (kFailed naming what it last said). Not cut short by a stop
  /// request: it is part of the step in flight.
  Status WaitUntilDown(const Node& node);
  /// stop, then WaitUntilDown. A failed stop fails the node.
  Status StopAndConfirmDown(const Node& node);
  /// verify_binary; where it fails, restore_binary and verify again. When the binary was
  /// replaced, *replaced_because gets why the first verification failed (else it is cleared).
  /// No verify_binary in the playbook: Ok.
  Status VerifyOrRestore(const Node& node, std::string* replaced_because);

  /// The one timeout rule: reads (probe, is_running, version, verify_staged) get
  /// timeouts.probe, every other command timeouts.command, plus one second per MiB of input for
  /// each node sent it at once (the transfers share the operator's link).
  Duration TimeoutFor(const NodeCommand& command) const;

 private:
  RunContext& ctx_;
  int shard_;
};

/// NodeOps::ProbeAll on every node of each shard, playbook shards.parallel shards at once;
/// samples in input order.
std::vector<std::vector<NodeStatus>> ProbeShards(RunContext& ctx, const std::vector<int>& shards,
                                                 bool ask_running);

/// A one-line reason for a failed result: transport reason plus the first stderr line.
std::string Explain(const ExecResult& r);

}  // namespace shardctl
