// A run's hands: run one playbook command on one node, journaled when it changes something, and
// read what is-running and the probe say.
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

/// Stateless apart from the context; safe to use from several threads at once.
class NodeOps {
 public:
  NodeOps(RunContext& ctx, int shard) : ctx_(ctx), shard_(shard) {}

  /// Renders the command, journals "begin" (fsync'd), runs it, journals the result.
  /// If the journal cannot be written the command is not sent (outcome kError).
  ExecResult Act(const Node& node, CommandId id);
  /// Journals "begin" for an action Send() will run later (to batch starts tightly).
  Status Announce(const Node& node, CommandId id, const std::string& command);
  /// Runs an already announced command and journals its result.
  ExecResult Send(const Node& node, CommandId id, const std::string& command);
  /// Runs a read-only command (probe, is_running, db_height) without journaling.
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
  /// verify_binary; where it fails, restore_binary and verify again. When the binary was
  /// replaced, *replaced_because gets why the first verification failed (else it is cleared).
  /// No verify_binary in the playbook: Ok.
  Status VerifyOrRestore(const Node& node, std::string* replaced_because);

 private:
  ExecOptions Options(CommandId id) const;

  RunContext& ctx_;
  int shard_;
};

/// A one-line reason for a failed result: transport reason plus the first stderr line.
std::string Explain(const ExecResult& r);

}  // namespace shardctl
