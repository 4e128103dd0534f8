#include "ops/recover/shard_recovery.h"

#include <algorithm>

#include "base/parallel.h"
#include "base/text.h"
#include "run/node_steps.h"

namespace shardctl {
namespace {

std::optional<int64_t> ParseHeight(const std::string& out) {
  size_t b = out.find_first_not_of(" \t\r\n");
  size_t e = out.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return std::nullopt;
  return ParseDecimal(std::string_view(out).substr(b, e - b + 1), 0, INT64_MAX);
}

}  // namespace

ShardRecovery::ShardRecovery(RunContext& ctx, const Shard& shard, bool force,
                             std::optional<RecoverResume> resume)
    : ShardTask(ctx, shard), force_(force), resume_(resume) {}

ShardReport ShardRecovery::Run() {
  Begin(&report_);
  Enter(Phase::kAssess);
  if (Assess()) return Done(Phase::kAlreadyHealthy, gate_reason_);
  if (ctx_.Stopping()) return Done(Phase::kCancelled, StoppedReason());
  if (resume_ && resume_->starts_sent && FinishStarts()) {
    report_.time_to_recover = ctx_.clock.Now() - began_;
    return Done(Phase::kHealthy, gate_reason_);
  }
  return Escalate();
}

ShardReport ShardRecovery::Escalate() {
  const EscalationPolicy& esc = ctx_.pb.escalation;
  std::string last;
  int first = resume_ ? resume_->restarts + 1 : 1;  // an interrupted run's restarts count
  for (attempt_ = first; attempt_ <= esc.max_shard_restarts; ++attempt_) {
    SetRound(attempt_);
    if (attempt_ > 1) {
      Enter(Phase::kBackoff,
            "next whole-shard restart in " + FormatDuration(esc.BackoffBefore(attempt_)));
      if (!PauseUnlessStopping(ctx_, esc.BackoffBefore(attempt_))) break;
    }
    report_.restarts = attempt_;
    Status restarted = Restart();
    if (!restarted.ok()) {
      last = restarted.message();
      Warn("", "restart " + std::to_string(attempt_) + " failed: " + last);
      if (ctx_.Stopping()) break;
      continue;
    }
    if (Gate(baseline_) == GateTracker::Verdict::kHealthy) {
      report_.time_to_recover = ctx_.clock.Now() - began_;
      return Done(Phase::kHealthy, gate_reason_);
    }
    last = gate_reason_;
    if (ctx_.Stopping()) break;
  }
  if (ctx_.Stopping()) return Done(Phase::kCancelled, StoppedReason());
  if (last.empty()) last = gate_reason_;
  return Done(Phase::kGaveUp, "gave up after " + std::to_string(report_.restarts) +
                                  " whole-shard restart(s): " + last);
}

bool ShardRecovery::Assess() {
  assessed_ = ops_.ProbeAll(AllNodes(), /*ask_running=*/true);
  for (const NodeStatus& n : assessed_) {
    if (!n.reachable) {
      Warn(n.node, "unreachable: " + n.error);
    } else if (!n.answered) {
      bool down = n.running.has_value() && !*n.running;
      Emit(Event::Kind::kNode, n.node, (down ? "not running; " : "not answering; ") + n.error);
    }
  }
  SampleSummary s = Summarize(assessed_, ctx_.pb.probe, ctx_.pb.gate.max_lag);
  Progress(s);
  ctx_.journal.Note(shard_.id, "", Step::kAssess, Outcome::kSample, s.Describe());
  gate_reason_ = s.Describe();
  if (force_) {
    Emit(Event::Kind::kNode, "", "--force: restarting whatever the assessment says");
    return false;
  }
  if (!ctx_.pb.quorum.Holds(s.normal_in_sync_power, s.total_power)) return false;
  return Watch(assessed_) == GateTracker::Verdict::kHealthy;
}

bool ShardRecovery::FinishStarts() {
  attempt_ = report_.restarts = resume_->restarts;
  SetRound(attempt_);
  Enter(Phase::kStart, "finishing whole-shard restart " + std::to_string(attempt_) +
                           " of an interrupted run: starting only the nodes it left stopped");
  std::vector<NodeStatus> now = ops_.ProbeAll(AllNodes(), /*ask_running=*/true);
  std::vector<const Node*> stopped;
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i].running == false) stopped.push_back(&shard_.nodes[i]);
    if (!now[i].running) Warn(now[i].node, "left alone: its state is unknown: " + now[i].error);
  }
  // The same steps as a restart's end: an unverified binary is never started.
  VerifyStep verify;
  std::vector<Status> verified = ApplyAll(verify, stopped);
  std::vector<const Node*> startable;
  for (size_t i = 0; i < stopped.size(); ++i) {
    if (verified[i].ok()) startable.push_back(stopped[i]);
    if (!verified[i].ok()) Warn(stopped[i]->name, verified[i].message());
  }
  StartAll(startable);
  return Gate(-1) == GateTracker::Verdict::kHealthy;
}

Status ShardRecovery::Restart() {
  excluded_.clear();
  Enter(Phase::kStop, "whole-shard restart " + std::to_string(attempt_) + " of " +
                          std::to_string(ctx_.pb.escalation.max_shard_restarts));
  SHARDCTL_RETURN_IF_ERROR(StopAll());
  // A failed check ends the attempt before any start: an unconfirmed stop or an unverified
  // binary is never started. Stop requests wait until the attempt's start is sent.
  Enter(Phase::kConfirmDown);
  SHARDCTL_RETURN_IF_ERROR(ConfirmDown());
  if (!ctx_.pb.commands.verify_binary.empty()) {
    Enter(Phase::kVerify);
    SHARDCTL_RETURN_IF_ERROR(VerifyBinaries());
  }
  Enter(Phase::kSyncCheck);
  baseline_ = SyncCheck();
  Enter(Phase::kStart);
  StartAll(Included());
  return Status::Ok();
}

Status ShardRecovery::StopAll() {
  StopStep stop;
  std::vector<const Node*> nodes = AllNodes();
  std::vector<Status> results = ApplyAll(stop, nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string& name = nodes[i]->name;
    if (results[i].ok()) continue;
    if (results[i].message().find(kNotSentPrefix) != std::string::npos) return results[i];
    if (results[i].code() != Status::Code::kUnreachable) {
      Warn(name, results[i].message());  // confirm-down decides whether it matters
      continue;
    }
    excluded_.insert(name);
    auto& unreachable = report_.unreachable;
    if (std::count(unreachable.begin(), unreachable.end(), name) == 0) unreachable.push_back(name);
    Warn(name, "unreachable, left out of this restart: " + results[i].message());
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

Status ShardRecovery::OnEveryIncluded(NodeAction& step) {
  std::vector<std::string> failed;
  for (const Status& s : ApplyAll(step, Included())) {
    if (!s.ok()) failed.push_back(s.message());
  }
  if (failed.empty()) return Status::Ok();
  return Status::Failed(Join(failed, "; "));
}

Status ShardRecovery::ConfirmDown() {
  ConfirmDownStep confirm_down;
  SHARDCTL_RETURN_IF_ERROR(OnEveryIncluded(confirm_down));
  ctx_.journal.Note(shard_.id, "", Step::kConfirmDown, Outcome::kOk,
                    std::to_string(Included().size()) + " nodes down");
  return Status::Ok();
}

Status ShardRecovery::VerifyBinaries() {
  VerifyStep verify;
  return OnEveryIncluded(verify);
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
    if (!h) Warn(nodes[i]->name, "stored height unknown: " + Explain(r));
  });
  int64_t best = heights.empty() ? -1 : *std::max_element(heights.begin(), heights.end());
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (heights[i] < 0 || best - heights[i] <= ctx_.pb.sync_max_behind) continue;
    std::string what = nodes[i]->name + " (stored " + std::to_string(heights[i]) + ", best " +
                       std::to_string(best) + ")";
    report_.far_behind.push_back(what);
    Warn(nodes[i]->name, "far behind: " + what + "; it will sync from its peers after the start");
  }
  ctx_.journal.Note(shard_.id, "", Step::kSyncCheck, Outcome::kOk,
                    "best stored height " + std::to_string(best));
  return best;
}

void ShardRecovery::StartAll(const std::vector<const Node*>& nodes) {
  TimePoint first = ctx_.clock.Now();
  std::vector<ExecResult> results = ops_.ActTogether(nodes, CommandId::kStart);
  Duration window = ctx_.clock.Now() - first;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!results[i].ok()) Warn(nodes[i]->name, "start failed: " + Explain(results[i]));
  }
  if (window > ctx_.pb.timeouts.start_window) {
    Warn("", "starts took " + FormatDuration(window) + ", longer than the start window of " +
                 FormatDuration(ctx_.pb.timeouts.start_window));
  }
}

GateTracker::Verdict ShardRecovery::Gate(int64_t baseline) {
  Enter(Phase::kGate);
  GateTracker tracker(ctx_.pb, baseline, ctx_.clock.Now());
  GateTracker::Verdict v = Poll(tracker, StopRule::kFinish);
  ctx_.journal.Note(shard_.id, "", Step::kGate, OutcomeOf(v), gate_reason_);
  if (v == GateTracker::Verdict::kStuck || v == GateTracker::Verdict::kHalted) {
    Warn("", gate_reason_);
  }
  return v;
}

GateTracker::Verdict ShardRecovery::Watch(const std::vector<NodeStatus>& first) {
  GateTracker tracker(ctx_.pb, -1, ctx_.clock.Now());
  if (tracker.Add(ctx_.clock.Now(), first) == GateTracker::Verdict::kHealthy) {
    gate_reason_ = tracker.reason();
    return GateTracker::Verdict::kHealthy;
  }
  if (!PauseUnlessStopping(ctx_, ctx_.pb.gate.poll_interval)) return GateTracker::Verdict::kPending;
  GateTracker::Verdict v = Poll(tracker, StopRule::kEndEarly);
  ctx_.journal.Note(shard_.id, "", Step::kAssess, OutcomeOf(v), gate_reason_);
  return v;
}

GateTracker::Verdict ShardRecovery::Poll(GateTracker& tracker, StopRule rule) {
  auto v = GateTracker::Verdict::kPending;
  WaitEnd end = PollUntil(ctx_, {.every = ctx_.pb.gate.poll_interval, .stop = rule}, [&] {
    v = tracker.Add(ctx_.clock.Now(), ops_.ProbeAll(AllNodes(), /*ask_running=*/false));
    Progress(tracker.last());
    gate_reason_ = tracker.reason();
    return v != GateTracker::Verdict::kPending;
  });
  if (end == WaitEnd::kStopped) gate_reason_ = "stopped while watching the gate";
  return v;
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

std::string ShardRecovery::StoppedReason() const {
  bool touched = attempt_ > 0;
  return ctx_.StopReason() +
         (touched ? " after whole-shard restart " + std::to_string(report_.restarts) +
                        " of this shard; see its timeline for what each node did"
                  : "; nothing was touched");
}

ShardReport ShardRecovery::Done(Phase verdict, const std::string& reason) {
  report_.height = height();
  Finish(&report_, verdict, reason);
  return report_;
}

}  // namespace shardctl
