#include "engine/shard_rolling.h"

#include <algorithm>
#include <map>

#include "engine/gate.h"
#include "engine/parallel.h"
#include "engine/report.h"
#include "engine/rolling_plan.h"
#include "engine/waves.h"

namespace shardctl {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::vector<std::string> Names(const std::vector<const Node*>& nodes) {
  std::vector<std::string> out;
  for (const Node* n : nodes) out.push_back(n->name);
  return out;
}

}  // namespace

ShardRolling::ShardRolling(EngineContext& ctx, const Shard& shard, const RollingOptions& options,
                           FailureBudget& budget, const CancelToken& stop)
    : ctx_(ctx),
      shard_(shard),
      options_(options),
      budget_(budget),
      stop_(stop),
      ops_(ctx, shard.id) {
  report_.shard = shard.id;
}

RollingShardReport ShardRolling::Run() {
  began_ = ctx_.clock.Now();
  report_.started_unix_ms = ctx_.clock.UnixMillis();
  Enter(Phase::kAssess);
  ResumeInFlight();
  Status healthy = PreCheck();
  if (!healthy.ok()) return Finish(Phase::kGaveUp, healthy.message());
  while (!Remaining().empty()) {
    if (stop_.cancelled()) {
      return Finish(Phase::kCancelled, "interrupted between waves; the wave in flight finished");
    }
    if (budget_.Spent()) {
      return Finish(Phase::kGaveUp, "failure budget spent (" + std::to_string(budget_.failures()) +
                                        " failures, budget " + std::to_string(budget_.budget()) +
                                        "): no new wave started");
    }
    auto wave = NextWave();
    if (!wave.ok()) return Finish(Phase::kGaveUp, wave.status().message());
    RunWave(*wave, std::vector<ResumeAction>(wave->size(), ResumeAction::kRestart));
  }
  if (!report_.failed.empty()) {
    return Finish(Phase::kGaveUp, std::to_string(report_.failed.size()) + " node(s) failed");
  }
  return Finish(Phase::kHealthy, "every selected node restarted and back in sync");
}

void ShardRolling::ResumeInFlight() {
  std::vector<const Node*> nodes;
  std::vector<ResumeAction> actions;
  for (const Node& n : shard_.nodes) {
    auto it = options_.in_flight.find(n.name);
    if (it == options_.in_flight.end()) continue;
    std::string why;
    std::optional<bool> running = ops_.IsRunning(n, &why);
    ResumeAction a = DecideResume(it->second, running);
    std::string state = running ? (*running ? "running" : "stopped") : "unknown (" + why + ")";
    std::string last = it->second.last_action.empty() ? "nothing" : it->second.last_action;
    (void)ctx_.journal.Record(shard_.id, n.name, kNodeStep, "resume",
                              std::string(ResumeActionName(a)) + "; now " + state);
    Emit(Event::Kind::kNode, n.name,
         "interrupted after " + last + ", now " + state + ": " + ResumeActionName(a));
    if (a == ResumeAction::kAskOperator) {
      Fail(n, "interrupted mid-restart and its state cannot be read (" + why +
                  "); check the node by hand");
    } else if (a != ResumeAction::kLeave) {
      nodes.push_back(&n);
      actions.push_back(a);
    }
  }
  if (!nodes.empty()) RunWave(nodes, actions);
}

Status ShardRolling::PreCheck() {
  if (Remaining().empty()) return Status::Ok();
  auto refuse = [&](const std::string& why) {
    return Status::Failed("shard " + std::to_string(shard_.id) +
                          " is not healthy, so no node of it was touched (" + why +
                          "); a rolling restart needs a committing shard: see `shardctl "
                          "status`, or `shardctl recover` for a halted one");
  };
  GateTracker tracker(ctx_.pb, -1, ctx_.clock.Now());
  SampleSummary s;
  std::vector<NodeStatus> first = Sample(&s);
  // Without a quorum Normal and in sync now, waiting for blocks cannot end well: say why at once.
  if (!ctx_.pb.quorum.Holds(s.normal_in_sync_power, s.total_power)) {
    std::vector<std::string> out;
    for (const NodeStatus& n : first) {
      if (!InSync(n, s))
        out.push_back(n.node + ": " + (n.answered ? "mode " + n.fields.mode : n.error));
    }
    return refuse(s.Describe() + "; " + Join(out));
  }
  GateTracker::Verdict v = tracker.Add(ctx_.clock.Now(), first);
  while (v == GateTracker::Verdict::kPending) {
    ctx_.Pause(ctx_.pb.gate.poll_interval);
    v = tracker.Add(ctx_.clock.Now(), Sample(&s));
  }
  return v == GateTracker::Verdict::kHealthy ? Status::Ok() : refuse(tracker.reason());
}

Result<std::vector<const Node*>> ShardRolling::NextWave() {
  // The sample that ended the last step (pre-check or wave) still holds: nothing acted since.
  if (last_sample_.empty()) Sample(nullptr);
  std::vector<NodeStatus> sample = std::move(last_sample_);
  last_sample_.clear();
  std::set<std::string> remaining;
  for (const Node* n : Remaining()) remaining.insert(n->name);
  auto waves = PlanWaves(shard_, MakeWaveInput(shard_, sample, ctx_.pb, remaining));
  if (!waves.ok()) return waves.status();
  return waves->front();
}

void ShardRolling::RunWave(const std::vector<const Node*>& wave,
                           const std::vector<ResumeAction>& actions) {
  ++wave_;
  last_sample_.clear();
  std::string names = Join(Names(wave));
  {
    std::lock_guard<std::mutex> l(mu_);
    report_.waves.push_back(Names(wave));
  }
  (void)ctx_.journal.Record(shard_.id, "", "wave", "begin", names);
  Enter(Phase::kStop, "wave " + std::to_string(wave_) + ": " + names);
  std::vector<Status> brought(wave.size());
  ParallelFor(wave.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { brought[i] = Bring(*wave[i], actions[i]); });
  std::vector<const Node*> started;
  for (size_t i = 0; i < wave.size(); ++i) {
    if (brought[i].ok()) {
      started.push_back(wave[i]);
    } else {
      Fail(*wave[i], brought[i].message());
    }
  }
  if (!started.empty()) WaitInSync(started);
}

Status ShardRolling::Bring(const Node& node, ResumeAction action) {
  if (action == ResumeAction::kWaitForSync) return Status::Ok();
  if (action == ResumeAction::kRestart) {
    SHARDCTL_RETURN_IF_ERROR(ctx_.journal.Record(shard_.id, node.name, kNodeStep, "begin",
                                                 "wave " + std::to_string(wave_)));
    ExecResult stop = ops_.Act(node, CommandId::kStop);
    if (!stop.ok()) return Status::Failed("stop failed: " + Explain(stop));
    SHARDCTL_RETURN_IF_ERROR(ops_.WaitUntilDown(node));
  }
  std::string replaced_because;
  SHARDCTL_RETURN_IF_ERROR(ops_.VerifyOrRestore(node, &replaced_because));
  if (!replaced_because.empty()) {
    {
      std::lock_guard<std::mutex> l(mu_);
      report_.replaced_binaries.push_back(node.name);
    }
    Emit(Event::Kind::kWarning, node.name,
         "binary failed verification (" + replaced_because + "); known-good copy restored");
  }
  ExecResult start = ops_.Act(node, CommandId::kStart);
  if (!start.ok()) return Status::Failed("start failed: " + Explain(start));
  return Status::Ok();
}

void ShardRolling::WaitInSync(const std::vector<const Node*>& nodes) {
  const RollingPolicy& policy = ctx_.pb.rolling;
  Enter(Phase::kGate, "waiting for " + Join(Names(nodes)) + " to be in sync and +" +
                          std::to_string(policy.min_new_blocks) + " blocks");
  TimePoint deadline = ctx_.clock.Now() + policy.node_timeout;
  int64_t baseline = -1;
  while (true) {
    SampleSummary s;
    std::map<std::string, NodeStatus> by_name;
    for (NodeStatus& n : Sample(&s)) by_name[n.node] = std::move(n);
    if (baseline < 0) baseline = s.top;
    bool grown = baseline >= 0 && s.top >= baseline + policy.min_new_blocks;
    std::vector<std::string> lagging;
    for (const Node* n : nodes) {
      const NodeStatus& st = by_name[n->name];
      if (InSync(st, s)) continue;
      lagging.push_back(n->name + " (" +
                        (st.answered
                             ? "mode " + st.fields.mode + ", height " +
                                   std::to_string(st.fields.height) + " of " + std::to_string(s.top)
                             : st.error) +
                        ")");
    }
    bool late = ctx_.clock.Now() >= deadline;
    if ((lagging.empty() && grown) || late) {
      std::string blocks = "+" + std::to_string(baseline < 0 ? 0 : s.top - baseline) + " blocks";
      for (const Node* n : nodes) {
        if (grown && InSync(by_name[n->name], s)) {
          Done(*n, "in sync, shard " + blocks);
        } else {
          Fail(*n, "not back in sync " + FormatDuration(policy.node_timeout) +
                       " after its start: " + (grown ? Join(lagging) : "shard only " + blocks));
        }
      }
      return;
    }
    ctx_.Pause(ctx_.pb.gate.poll_interval);
  }
}

std::vector<NodeStatus> ShardRolling::Sample(SampleSummary* summary) {
  std::vector<NodeStatus> sample = ops_.ProbeAll(All(), /*ask_running=*/false);
  SampleSummary s = Summarize(sample, ctx_.pb.probe, ctx_.pb.gate.max_lag);
  TimePoint now = ctx_.clock.Now();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (s.top > top_) {
      top_ = s.top;
      top_moved_ = now;
    } else if (top_ >= 0) {
      report_.longest_stall = std::max(report_.longest_stall, now - top_moved_);
    }
    nodes_up_ = s.nodes_answering;
  }
  Emit(Event::Kind::kProgress, "", s.Describe());
  if (summary) *summary = s;
  last_sample_ = sample;
  return sample;
}

bool ShardRolling::InSync(const NodeStatus& n, const SampleSummary& s) const {
  return InSyncNormal(n, s, ctx_.pb);
}

void ShardRolling::Done(const Node& node, const std::string& detail) {
  (void)ctx_.journal.Record(shard_.id, node.name, kNodeStep, "done", detail);
  {
    std::lock_guard<std::mutex> l(mu_);
    finished_.insert(node.name);
    report_.done.push_back(node.name);
  }
  Emit(Event::Kind::kNode, node.name, "restarted: " + detail);
}

void ShardRolling::Fail(const Node& node, const std::string& why) {
  (void)ctx_.journal.Record(shard_.id, node.name, kNodeStep, "failed", why);
  budget_.Count();
  {
    std::lock_guard<std::mutex> l(mu_);
    finished_.insert(node.name);
    report_.failed.emplace_back(node.name, why);
  }
  Emit(Event::Kind::kWarning, node.name, "FAILED: " + why);
}

std::vector<const Node*> ShardRolling::Remaining() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) {
    if (options_.targets.count(n.name) && !finished_.count(n.name)) out.push_back(&n);
  }
  return out;
}

std::vector<const Node*> ShardRolling::All() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) out.push_back(&n);
  return out;
}

RollingShardReport ShardRolling::Finish(Phase verdict, const std::string& reason) {
  for (const Node* n : Remaining()) {
    if (verdict == Phase::kCancelled) {
      report_.not_started.push_back(n->name);
    } else {
      report_.skipped.push_back(n->name);
      (void)ctx_.journal.Record(shard_.id, n->name, kNodeStep, "skipped", reason);
    }
  }
  phase_ = verdict;
  report_.verdict = verdict;
  report_.reason = reason;
  report_.finished_unix_ms = ctx_.clock.UnixMillis();
  (void)ctx_.journal.Record(shard_.id, "", "shard", PhaseName(verdict), reason);
  Emit(Event::Kind::kShardDone, "", reason);
  return report_;
}

void ShardRolling::Enter(Phase p, const std::string& message) {
  {
    std::lock_guard<std::mutex> l(mu_);
    phase_ = p;
  }
  (void)ctx_.journal.Record(shard_.id, "", "phase", PhaseName(p), message);
  Emit(Event::Kind::kPhase, "", message);
}

void ShardRolling::Emit(Event::Kind kind, const std::string& node, const std::string& message) {
  Event e;
  e.kind = kind;
  e.unix_ms = ctx_.clock.UnixMillis();
  e.shard = shard_.id;
  e.node = node;
  e.nodes_total = static_cast<int>(shard_.nodes.size());
  e.elapsed = ctx_.clock.Now() - began_;
  e.attempt = wave_;
  e.message = message;
  {
    std::lock_guard<std::mutex> l(mu_);
    e.phase = phase_;
    e.height = top_;
    e.nodes_up = nodes_up_;
  }
  ctx_.observer.OnEvent(e);
}

}  // namespace shardctl
