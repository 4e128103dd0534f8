#include "run/node_ops.h"

#include <algorithm>
#include <cstdio>

#include "base/parallel.h"
#include "base/text.h"

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

ExecOptions NodeOps::Options(CommandId id) const {
  ExecOptions o;
  bool quick = id == CommandId::kProbe || id == CommandId::kIsRunning;
  o.timeout = quick ? ctx_.pb.timeouts.probe : ctx_.pb.timeouts.command;
  return o;
}

Status NodeOps::Announce(const Node& node, CommandId id, const std::string& command) {
  return ctx_.journal.Record(shard_, node.name, id, Outcome::kBegin, command);
}

ExecResult NodeOps::Send(const Node& node, CommandId id, const std::string& command) {
  ExecResult r = ctx_.transport.Exec(node, command, Options(id));
  // The action already happened; a failed write makes the journal sticky-failed, which stops
  // the run before anything new is sent.
  ctx_.journal.Note(shard_, node.name, id, r.ok() ? Outcome::kOk : Outcome::kFailed,
                    r.ok() ? "" : Explain(r));
  return r;
}

ExecResult NodeOps::Act(const Node& node, CommandId id) {
  auto command = RenderNodeCommand(ctx_.pb, id, node);
  if (!command.ok()) return Error(command.status().message());
  Status announced = Announce(node, id, *command);
  if (!announced.ok()) return Error(kNotSentPrefix + announced.message());
  return Send(node, id, *command);
}

ExecResult NodeOps::Read(const Node& node, CommandId id) {
  auto command = RenderNodeCommand(ctx_.pb, id, node);
  if (!command.ok()) return Error(command.status().message());
  return ctx_.transport.Exec(node, *command, Options(id));
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
  return ctx_.transport.Fetch(node, *request, Options(CommandId::kProbe));
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

Status NodeOps::WaitUntilDown(const Node& node) {
  TimePoint deadline = ctx_.clock.Now() + ctx_.pb.timeouts.stop_confirm;
  while (true) {
    std::string why;
    std::optional<bool> running = IsRunning(node, &why);
    if (running == false) return Status::Ok();
    if (ctx_.clock.Now() >= deadline) {
      return Status::Failed("not down " + FormatDuration(ctx_.pb.timeouts.stop_confirm) +
                            " after stop: " + (running ? "still running" : why));
    }
    ctx_.clock.SleepFor(ctx_.pb.timeouts.confirm_poll);
  }
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
  ExecResult r = Act(node, CommandId::kRestoreBinary);
  if (!r.ok()) return Status::Failed("restore_binary failed: " + Explain(r));
  ExecResult again = Act(node, CommandId::kVerifyBinary);
  if (!again.ok()) {
    return Status::Failed("binary still fails verification after restore: " + Explain(again));
  }
  *replaced_because = Explain(v);
  return Status::Ok();
}

}  // namespace shardctl
