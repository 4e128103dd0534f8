#include "engine/shard_recovery.h"

#include <algorithm>

#include "engine/parallel.h"

namespace shardctl {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep = ", ") {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

bool NotSent(const ExecResult& r) { return r.detail.rfind(kNotSentPrefix, 0) == 0; }

std::optional<int64_t> ParseHeight(const std::string& out) {
  size_t b = out.find_first_not_of(" \t\r\n");
  size_t e = out.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return std::nullopt;
  std::string s = out.substr(b, e - b + 1);
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) {
    return std::nullopt;
  }
  return std::stoll(s);
}

}  // namespace

ShardRecovery::ShardRecovery(EngineContext& ctx, const Shard& shard, bool force)
    : ctx_(ctx), shard_(shard), force_(force), ops_(ctx, shard.id) {
  report_.shard = shard.id;
}

ShardReport ShardRecovery::Run() {
  began_ = ctx_.clock.Now();
  report_.started_unix_ms = ctx_.clock.UnixMillis();
  Enter(Phase::kAssess);
  if (Assess()) return Finish(Phase::kAlreadyHealthy, gate_reason_);
  if (Cancelled()) return Finish(Phase::kCancelled, CancelReason());
  const EscalationPolicy& esc = ctx_.pb.escalation;
  std::string last;
  for (attempt_ = 1; attempt_ <= esc.max_shard_restarts && !Cancelled(); ++attempt_) {
    if (attempt_ > 1) {
      Enter(Phase::kBackoff,
            "next whole-shard restart in " + FormatDuration(esc.BackoffBefore(attempt_)));
      if (!ctx_.Pause(esc.BackoffBefore(attempt_))) break;
    }
    report_.restarts = attempt_;
    Status restarted = Restart();
    if (Cancelled()) break;
    if (!restarted.ok()) {
      last = restarted.message();
      Emit(Event::Kind::kWarning, "", "restart " + std::to_string(attempt_) + " failed: " + last);
      continue;
    }
    if (Gate(baseline_) == GateTracker::Verdict::kHealthy) {
      report_.time_to_recover = ctx_.clock.Now() - began_;
      return Finish(Phase::kHealthy, gate_reason_);
    }
    last = gate_reason_;
  }
  if (Cancelled()) return Finish(Phase::kCancelled, CancelReason());
  return Finish(Phase::kGaveUp, "gave up after " + std::to_string(report_.restarts) +
                                    " whole-shard restart(s): " + last);
}

bool ShardRecovery::Assess() {
  assessed_ = ops_.ProbeAll(All(), /*ask_running=*/true);
  for (const NodeStatus& n : assessed_) {
    if (!n.reachable) {
      Emit(Event::Kind::kWarning, n.node, "unreachable: " + n.error);
    } else if (!n.answered) {
      bool down = n.running.has_value() && !*n.running;
      Emit(Event::Kind::kNode, n.node, (down ? "not running; " : "not answering; ") + n.error);
    }
  }
  SampleSummary s = Summarize(assessed_, ctx_.pb.probe, ctx_.pb.gate.max_lag);
  Progress(s);
  (void)ctx_.journal.Record(shard_.id, "", "assess", "sample", s.Describe());
  gate_reason_ = s.Describe();
  if (force_) {
    Emit(Event::Kind::kNode, "", "--force: restarting whatever the assessment says");
    return false;
  }
  if (!ctx_.pb.quorum.Holds(s.normal_in_sync_power, s.total_power)) {
    return false;
  }
  return Watch(assessed_) == GateTracker::Verdict::kHealthy;
}

Status ShardRecovery::Step(Phase p, const std::function<Status()>& step) {
  if (Cancelled()) return Status::Cancelled("cancelled");
  Enter(p);
  return step();
}

Status ShardRecovery::Restart() {
  excluded_.clear();
  if (Cancelled()) return Status::Cancelled("cancelled");
  Enter(Phase::kStop, "whole-shard restart " + std::to_string(attempt_) + " of " +
                          std::to_string(ctx_.pb.escalation.max_shard_restarts));
  SHARDCTL_RETURN_IF_ERROR(StopAll());
  SHARDCTL_RETURN_IF_ERROR(Step(Phase::kConfirmDown, [&] { return ConfirmDown(); }));
  if (!ctx_.pb.commands.verify_binary.empty()) {
    SHARDCTL_RETURN_IF_ERROR(Step(Phase::kVerify, [&] { return VerifyBinaries(); }));
  }
  SHARDCTL_RETURN_IF_ERROR(Step(Phase::kSyncCheck, [&] {
    baseline_ = SyncCheck();
    return Status::Ok();
  }));
  return Step(Phase::kStart, [&] {
    StartAll();
    return Status::Ok();
  });
}

Status ShardRecovery::StopAll() {
  std::vector<const Node*> nodes = All();
  std::vector<ExecResult> results(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { results[i] = ops_.Act(*nodes[i], CommandId::kStop); });
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string& name = nodes[i]->name;
    if (NotSent(results[i])) return Status::Io(name + ": stop " + results[i].detail);
    if (IsUnreachable(results[i])) {
      excluded_.insert(name);
      if (std::count(report_.unreachable.begin(), report_.unreachable.end(), name) == 0) {
        report_.unreachable.push_back(name);
      }
      Emit(Event::Kind::kWarning, name,
           "unreachable, left out of this restart: " + Explain(results[i]));
    } else if (!results[i].ok()) {
      Emit(Event::Kind::kWarning, name, "stop failed: " + Explain(results[i]));
    }
  }
  int quorum = ctx_.pb.quorum.Required(shard_.TotalPower());
  if (IncludedPower() < quorum) {
    std::vector<std::string> gone(excluded_.begin(), excluded_.end());
    return Status::Unreachable("reachable nodes hold " + std::to_string(IncludedPower()) + " of " +
                               std::to_string(shard_.TotalPower()) +
                               " voting power, quorum needs " + std::to_string(quorum) +
                               " (unreachable: " + Join(gone) + ")");
  }
  return Status::Ok();
}

Status ShardRecovery::ConfirmDown() {
  TimePoint deadline = ctx_.clock.Now() + ctx_.pb.timeouts.stop_confirm;
  std::vector<const Node*> pending = Included();
  while (true) {
    std::vector<std::optional<bool>> running(pending.size());
    std::vector<std::string> why(pending.size());
    ParallelFor(pending.size(), ctx_.pb.parallel_nodes,
                [&](size_t i) { running[i] = ops_.IsRunning(*pending[i], &why[i]); });
    std::vector<const Node*> still;
    std::vector<std::string> detail;
    for (size_t i = 0; i < pending.size(); ++i) {
      if (running[i] == false) continue;
      still.push_back(pending[i]);
      detail.push_back(pending[i]->name +
                       (running[i] ? " still running" : " unknown (" + why[i] + ")"));
    }
    pending = still;
    if (pending.empty()) break;
    if (ctx_.clock.Now() >= deadline) {
      return Status::Failed("not down " + FormatDuration(ctx_.pb.timeouts.stop_confirm) +
                            " after stop: " + Join(detail));
    }
    if (!ctx_.Pause(ctx_.pb.timeouts.confirm_poll)) return Status::Cancelled("cancelled");
  }
  (void)ctx_.journal.Record(shard_.id, "", "confirm-down", "ok",
                            std::to_string(Included().size()) + " nodes down");
  return Status::Ok();
}

Status ShardRecovery::VerifyBinaries() {
  std::vector<const Node*> nodes = Included();
  std::vector<Status> results(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { results[i] = VerifyOne(*nodes[i]); });
  for (const Status& s : results) SHARDCTL_RETURN_IF_ERROR(s);
  return Status::Ok();
}

Status ShardRecovery::VerifyOne(const Node& node) {
  std::string replaced_because;
  SHARDCTL_RETURN_IF_ERROR(
      ops_.VerifyOrRestore(node, &replaced_because).Annotate(node.name + ": "));
  if (replaced_because.empty()) return Status::Ok();
  {
    std::lock_guard<std::mutex> l(mu_);
    auto& replaced = report_.replaced_binaries;
    if (std::count(replaced.begin(), replaced.end(), node.name) == 0) replaced.push_back(node.name);
  }
  Emit(Event::Kind::kWarning, node.name,
       "binary failed verification (" + replaced_because +
           "); replaced by the known-good copy and verified");
  return Status::Ok();
}

int64_t ShardRecovery::SyncCheck() {
  std::vector<const Node*> nodes = Included();
  std::vector<int64_t> heights(nodes.size(), -1);
  bool stored = !ctx_.pb.commands.db_height.empty();
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes, [&](size_t i) {
    if (!stored) {
      for (const NodeStatus& s : assessed_) {
        if (s.node == nodes[i]->name && s.answered) heights[i] = s.fields.height;
      }
      return;
    }
    ExecResult r = ops_.Read(*nodes[i], CommandId::kDbHeight);
    std::optional<int64_t> h = r.ok() ? ParseHeight(r.out) : std::nullopt;
    if (h) heights[i] = *h;
    if (!h) Emit(Event::Kind::kWarning, nodes[i]->name, "stored height unknown: " + Explain(r));
  });
  int64_t best = *std::max_element(heights.begin(), heights.end());
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (heights[i] < 0 || best - heights[i] <= ctx_.pb.sync_max_behind) continue;
    std::string what = nodes[i]->name + " (stored " + std::to_string(heights[i]) + ", best " +
                       std::to_string(best) + ")";
    report_.far_behind.push_back(what);
    Emit(Event::Kind::kWarning, nodes[i]->name,
         "far behind: " + what + "; it will sync from its peers after the start");
  }
  (void)ctx_.journal.Record(shard_.id, "", "sync-check", "ok",
                            "best stored height " + std::to_string(best));
  return best;
}

void ShardRecovery::StartAll() {
  std::vector<const Node*> nodes = Included();
  std::vector<std::string> commands(nodes.size());
  std::vector<bool> announced(nodes.size(), false);
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto c = RenderNodeCommand(ctx_.pb, CommandId::kStart, *nodes[i]);
    Status s = c.ok() ? ops_.Announce(*nodes[i], CommandId::kStart, *c) : c.status();
    if (c.ok()) commands[i] = *c;
    announced[i] = s.ok();
    if (!s.ok()) Emit(Event::Kind::kWarning, nodes[i]->name, "start not sent: " + s.message());
  }
  TimePoint first = ctx_.clock.Now();
  std::vector<ExecResult> results(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes, [&](size_t i) {
    if (announced[i]) results[i] = ops_.Send(*nodes[i], CommandId::kStart, commands[i]);
  });
  Duration window = ctx_.clock.Now() - first;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (announced[i] && !results[i].ok()) {
      Emit(Event::Kind::kWarning, nodes[i]->name, "start failed: " + Explain(results[i]));
    }
  }
  if (window > ctx_.pb.timeouts.start_window) {
    Emit(Event::Kind::kWarning, "",
         "starts took " + FormatDuration(window) + ", longer than the start window of " +
             FormatDuration(ctx_.pb.timeouts.start_window));
  }
}

GateTracker::Verdict ShardRecovery::Gate(int64_t baseline) {
  Enter(Phase::kGate);
  GateTracker tracker(ctx_.pb, baseline, ctx_.clock.Now());
  GateTracker::Verdict v = Poll(tracker);
  (void)ctx_.journal.Record(shard_.id, "", "gate", VerdictName(v), gate_reason_);
  if (v == GateTracker::Verdict::kStuck || v == GateTracker::Verdict::kHalted) {
    Emit(Event::Kind::kWarning, "", gate_reason_);
  }
  return v;
}

GateTracker::Verdict ShardRecovery::Watch(const std::vector<NodeStatus>& first) {
  GateTracker tracker(ctx_.pb, -1, ctx_.clock.Now());
  if (tracker.Add(ctx_.clock.Now(), first) == GateTracker::Verdict::kHealthy) {
    gate_reason_ = tracker.reason();
    return GateTracker::Verdict::kHealthy;
  }
  if (!ctx_.Pause(ctx_.pb.gate.poll_interval)) return GateTracker::Verdict::kPending;
  GateTracker::Verdict v = Poll(tracker);
  (void)ctx_.journal.Record(shard_.id, "", "assess", VerdictName(v), gate_reason_);
  return v;
}

GateTracker::Verdict ShardRecovery::Poll(GateTracker& tracker) {
  while (true) {
    std::vector<NodeStatus> sample = ops_.ProbeAll(All(), /*ask_running=*/false);
    GateTracker::Verdict v = tracker.Add(ctx_.clock.Now(), sample);
    Progress(tracker.last());
    gate_reason_ = tracker.reason();
    if (v != GateTracker::Verdict::kPending) return v;
    if (!ctx_.Pause(ctx_.pb.gate.poll_interval)) {
      gate_reason_ = "cancelled while watching the gate";
      return v;
    }
  }
}

std::vector<const Node*> ShardRecovery::All() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) out.push_back(&n);
  return out;
}

std::vector<const Node*> ShardRecovery::Included() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) {
    if (excluded_.count(n.name) == 0) out.push_back(&n);
  }
  return out;
}

int ShardRecovery::IncludedPower() const {
  int power = 0;
  for (const Node* n : Included()) power += n->voting_power;
  return power;
}

std::string ShardRecovery::CancelReason() const {
  bool touched = phase_ != Phase::kAssess && phase_ != Phase::kPending;
  return std::string("cancelled during ") + PhaseName(phase_) +
         (touched
              ? " of restart " + std::to_string(attempt_) + "; nodes of this shard may be stopped"
              : "; nothing was touched");
}

void ShardRecovery::Enter(Phase p, const std::string& message) {
  phase_ = p;
  (void)ctx_.journal.Record(shard_.id, "", "phase", PhaseName(p), message);
  Emit(Event::Kind::kPhase, "", message);
}

void ShardRecovery::Progress(const SampleSummary& s) {
  {
    std::lock_guard<std::mutex> l(mu_);
    last_height_ = s.top;
    last_up_ = s.nodes_answering;
  }
  Emit(Event::Kind::kProgress, "", s.Describe());
}

void ShardRecovery::Emit(Event::Kind kind, const std::string& node, const std::string& message) {
  Event e;
  e.kind = kind;
  e.unix_ms = ctx_.clock.UnixMillis();
  e.shard = shard_.id;
  e.node = node;
  e.nodes_total = static_cast<int>(shard_.nodes.size());
  e.elapsed = ctx_.clock.Now() - began_;
  {
    std::lock_guard<std::mutex> l(mu_);
    e.phase = phase_;
    e.attempt = attempt_;
    e.height = last_height_;
    e.nodes_up = last_up_;
    e.message = message;
    if (kind != Event::Kind::kProgress) {
      std::string what = std::string(PhaseName(phase_)) + (node.empty() ? "" : " " + node) +
                         (message.empty() ? "" : ": " + message);
      report_.timeline.push_back({e.unix_ms, e.elapsed, what});
    }
  }
  ctx_.observer.OnEvent(e);
}

ShardReport ShardRecovery::Finish(Phase verdict, const std::string& reason) {
  phase_ = verdict;
  report_.verdict = verdict;
  report_.reason = reason;
  report_.finished_unix_ms = ctx_.clock.UnixMillis();
  report_.height = last_height_;
  (void)ctx_.journal.Record(shard_.id, "", "shard", PhaseName(verdict), reason);
  Emit(Event::Kind::kShardDone, "", reason);
  std::lock_guard<std::mutex> l(mu_);
  return report_;
}

}  // namespace shardctl
