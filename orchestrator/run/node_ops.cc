#include "run/node_ops.h"

#include <algorithm>
#include <cstdio>

#include "base/parallel.h"
#include "base/text.h"
#include "run/wait.h"

namespace shardctl {
namespace {

std::string FirstLine(const std::string& s) {
  size_t start = s.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  std::string line = s.substr(start, s.find('\n', start) - start);
  return line.size() > 160 ? line.substr(0, 157) + "..." : line;
}

bool Contains(const std::vector<int>& codes, int code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

ExecResult Error(const std::string& detail) {
  ExecResult r;
  r.outcome = ExecResult::Outcome::kError;
  r.detail = detail;
  return r;
}

bool IsRead(const JournalStep& step) {
  if (step.step != Step::kCommand) return false;
  CommandId id = step.command;
  return id == CommandId::kProbe || id == CommandId::kIsRunning || id == CommandId::kVersion ||
         id == CommandId::kVerifyStaged;
}

}  // namespace

bool IsUnreachable(const ExecResult& r) {
  using O = ExecResult::Outcome;
  return r.outcome == O::kUnreachable || r.outcome == O::kAuthFailed ||
         r.outcome == O::kHostKeyRejected;
}

std::string Explain(const ExecResult& r) {
  std::string why = r.Reason();
  std::string err = FirstLine(r.err.empty() ? r.out : r.err);
  return err.empty() ? why : why + ": " + err;
}

Duration NodeOps::TimeoutFor(const NodeCommand& command) const {
  if (IsRead(command.step)) return ctx_.pb.timeouts.probe;
  size_t mib = command.input ? (command.input->size() >> 20) : 0;
  mib *= std::max<size_t>(command.inputs_at_once, 1);
  return ctx_.pb.timeouts.command + Duration(static_cast<int64_t>(mib) * 1000);
}

Result<NodeCommand> NodeOps::Command(const Node& node, CommandId id,
                                     const UpgradeRunVars* release) const {
  auto text = release ? RenderUpgradeCommand(ctx_.pb, id, node, *release)
                      : RenderNodeCommand(ctx_.pb, id, node);
  if (!text.ok()) return text.status();
  return NodeCommand{.step = id, .text = *text};
}

Result<NodeCommand> NodeOps::Fault(const Node& node, const FaultDef& fault, bool undo,
                                   const Vars& params) const {
  auto text = RenderFault(ctx_.pb, fault, undo, node, params);
  if (!text.ok()) return text.status();
  return NodeCommand{
      .step = undo ? Step::kUndo : Step::kFault, .text = *text, .label = fault.name + ": "};
}

ExecResult NodeOps::Act(const Node& node, const NodeCommand& command) {
  Status announced = ctx_.journal.Record(shard_, node.name, command.step, Outcome::kBegin,
                                         command.label + command.text);
  if (!announced.ok()) return Error(kNotSentPrefix + announced.message());
  ExecResult r = Read(node, command);
  // The action already happened; a failed write makes the journal sticky-failed, which stops
  // the run before anything new is sent.
  ctx_.journal.Note(shard_, node.name, command.step, r.ok() ? Outcome::kOk : Outcome::kFailed,
                    r.ok() ? "" : Explain(r));
  return r;
}

ExecResult NodeOps::Act(const Node& node, CommandId id) {
  auto command = Command(node, id);
  if (!command.ok()) return Error(command.status().message());
  return Act(node, *command);
}

Status NodeOps::Do(const Node& node, const NodeCommand& command) {
  ExecResult r = Act(node, command);
  if (r.ok()) return Status::Ok();
  std::string why = StepName(command.step) + " failed: " + Explain(r);
  return IsUnreachable(r) ? Status::Unreachable(why) : Status::Failed(why);
}

Status NodeOps::Do(const Node& node, CommandId id) {
  auto command = Command(node, id);
  if (!command.ok()) return command.status();
  return Do(node, *command);
}

std::vector<ExecResult> NodeOps::ActTogether(const std::vector<const Node*>& nodes, CommandId id) {
  std::vector<ExecResult> results(nodes.size());
  std::vector<std::optional<NodeCommand>> announced(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto command = Command(*nodes[i], id);
    Status s = command.ok()
                   ? ctx_.journal.Record(shard_, nodes[i]->name, id, Outcome::kBegin, command->text)
                   : command.status();
    if (s.ok()) announced[i] = *command;
    if (!s.ok()) results[i] = Error((command.ok() ? kNotSentPrefix : "") + s.message());
  }
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes, [&](size_t i) {
    if (!announced[i]) return;
    results[i] = Read(*nodes[i], *announced[i]);
    ctx_.journal.Note(shard_, nodes[i]->name, id, results[i].ok() ? Outcome::kOk : Outcome::kFailed,
                      results[i].ok() ? "" : Explain(results[i]));
  });
  return results;
}

ExecResult NodeOps::Read(const Node& node, const NodeCommand& command) {
  ExecOptions o;
  o.timeout = TimeoutFor(command);
  o.stdin_data = command.input;
  return ctx_.transport.Exec(node, command.text, o);
}

ExecResult NodeOps::Read(const Node& node, CommandId id) {
  auto command = Command(node, id);
  if (!command.ok()) return Error(command.status().message());
  return Read(node, *command);
}

std::optional<bool> NodeOps::IsRunning(const Node& node, std::string* why) {
  ExecResult r = Read(node, CommandId::kIsRunning);
  if (r.outcome == ExecResult::Outcome::kExited) {
    if (Contains(ctx_.pb.running_codes, r.exit_code)) return true;
    if (Contains(ctx_.pb.stopped_codes, r.exit_code)) return false;
  }
  *why = "is_running: " + Explain(r);
  return std::nullopt;
}

ExecResult NodeOps::Ask(const Node& node) {
  if (ctx_.pb.probe.http.empty()) return Read(node, CommandId::kProbe);
  auto request = RenderHttpProbe(ctx_.pb.probe.http, node);
  if (!request.ok()) return Error(request.status().message());
  ExecOptions o;
  o.timeout = TimeoutFor(NodeCommand{.step = CommandId::kProbe});
  return ctx_.transport.Fetch(node, *request, o);
}

NodeStatus NodeOps::Probe(const Node& node, bool ask_running) {
  NodeStatus s;
  s.node = node.name;
  s.power = node.voting_power;
  ExecResult r = Ask(node);
  s.reachable = !IsUnreachable(r);
  auto fields = r.ok() ? ParseProbeOutput(r.out, ctx_.pb.probe)
                       : Result<ProbeFields>(Status::Failed("probe: " + Explain(r)));
  if (fields.ok()) {
    s.answered = true;
    s.fields = *fields;
    if (ask_running) s.running = true;  // it answered: no command needed to know it runs
    return s;
  }
  std::string why;
  if (ask_running && s.reachable) s.running = IsRunning(node, &why);
  s.error = fields.status().message();
  return s;
}

std::vector<NodeStatus> NodeOps::ProbeAll(const std::vector<const Node*>& nodes, bool ask_running) {
  std::vector<NodeStatus> out(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { out[i] = Probe(*nodes[i], ask_running); });
  return out;
}

std::vector<std::vector<NodeStatus>> ProbeShards(RunContext& ctx, const std::vector<int>& shards,
                                                 bool ask_running) {
  std::vector<std::vector<NodeStatus>> out(shards.size());
  ParallelFor(shards.size(), ctx.pb.parallel_shards, [&](size_t i) {
    std::vector<const Node*> nodes;
    for (const Node& n : ctx.inv.FindShard(shards[i])->nodes) nodes.push_back(&n);
    out[i] = NodeOps(ctx, shards[i]).ProbeAll(nodes, ask_running);
  });
  return out;
}

Status NodeOps::WaitUntilDown(const Node& node) {
  const Timeouts& t = ctx_.pb.timeouts;
  std::optional<bool> running;
  std::string why;
  WaitSpec spec{.every = t.confirm_poll, .deadline = ctx_.clock.Now() + t.stop_confirm};
  if (PollUntil(ctx_, spec, [&] { return (running = IsRunning(node, &why)) == false; }) ==
      WaitEnd::kDone) {
    return Status::Ok();
  }
  return Status::Failed("not down " + FormatDuration(t.stop_confirm) +
                        " after stop: " + (running ? "still running" : why));
}

Status NodeOps::StopAndConfirmDown(const Node& node) {
  SHARDCTL_RETURN_IF_ERROR(Do(node, CommandId::kStop));
  return WaitUntilDown(node);
}

Status NodeOps::VerifyOrRestore(const Node& node, std::string* replaced_because) {
  replaced_because->clear();
  if (ctx_.pb.commands.verify_binary.empty()) return Status::Ok();
  ExecResult v = Act(node, CommandId::kVerifyBinary);
  if (v.ok()) return Status::Ok();
  if (v.outcome != ExecResult::Outcome::kExited) {
    return Status::Failed("verify_binary did not run: " + Explain(v));
  }
  if (ctx_.pb.commands.restore_binary.empty()) {
    return Status::Failed("binary fails verification (" + Explain(v) +
                          ") and the playbook has no restore_binary");
  }
  SHARDCTL_RETURN_IF_ERROR(Do(node, CommandId::kRestoreBinary));
  ExecResult again = Act(node, CommandId::kVerifyBinary);
  if (!again.ok()) {
    return Status::Failed("binary still fails verification after restore: " + Explain(again));
  }
  *replaced_because = Explain(v);
  return Status::Ok();
}

}  // namespace shardctl
