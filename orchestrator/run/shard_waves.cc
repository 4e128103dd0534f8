#include "run/shard_waves.h"

#include <algorithm>

#include "base/parallel.h"
#include "base/text.h"
#include "consensus/waves.h"
#include "run/wait.h"

namespace shardctl {
namespace {

std::string Lagging(const Node& n, const NodeStatus& st, const SampleSummary& s) {
  return n.name + " (" +
         (st.answered ? "mode " + st.fields.mode + ", height " + std::to_string(st.fields.height) +
                            " of " + std::to_string(s.top)
                      : st.error) +
         ")";
}

}  // namespace

ShardWaves::ShardWaves(RunContext& ctx, const Shard& shard, NodeAction& action,
                       const WaveOptions& options, FailureBudget& budget)
    : ShardTask(ctx, shard), action_(action), options_(options), budget_(budget) {}

void ShardWaves::Lead(bool defer_soak) {
  led_ = true;
  Begin(&report_);
  Enter(Phase::kAssess);
  for (const Node& n : shard_.nodes) {
    auto it = options_.left_out.find(n.name);
    if (it == options_.left_out.end()) continue;
    report_.skipped.push_back(n.name);
    ctx_.journal.Note(shard_.id, n.name, Step::kNode, Outcome::kSkipped, it->second);
  }
  ResumeInFlight();
  Status healthy = PreCheck();
  if (!healthy.ok()) {
    End(Phase::kGaveUp, healthy.message());
    return;
  }
  if (Remaining().empty() || StopBeforeWave()) return;
  auto canaries = action_.Canaries(shard_, Probed());
  if (!canaries.ok()) {
    End(Phase::kGaveUp, canaries.status().message());
  } else if (!canaries->empty()) {
    canary_wave_ = true;
    RunWave(*canaries, std::vector<ResumeAction>(canaries->size(), ResumeAction::kRestart));
    canary_wave_ = false;
    if (!canary_failed_.empty()) End(Phase::kGaveUp, canary_failed_);
    if (!defer_soak) SoakCanaries();
  }
}

WaveShardReport ShardWaves::Run() {
  if (led_) {
    SoakCanaries();        // when no soak phase ran it
    last_sample_.clear();  // led apart (every shard's canaries first): the shard moved on since
  } else {
    Lead();
  }
  if (ended_) return report_;
  while (!Remaining().empty()) {
    if (StopBeforeWave()) return report_;
    auto wave = PlanWaves(shard_, Probed());
    if (!wave.ok()) return End(Phase::kGaveUp, wave.status().message());
    RunWave(wave->front(), std::vector<ResumeAction>(wave->front().size(), ResumeAction::kRestart));
  }
  if (!report_.failed.empty()) {
    return End(Phase::kGaveUp, std::to_string(report_.failed.size()) + " node(s) failed");
  }
  if (!report_.skipped.empty()) {
    return End(Phase::kGaveUp, std::to_string(report_.skipped.size()) + " node(s) left out");
  }
  return End(Phase::kHealthy,
             std::string("every selected node ") + action_.Verb() + " and back in sync");
}

WaveShardReport ShardWaves::Cancel(const std::string& why) {
  SoakCanaries();  // a canary that went out is judged: its wave was in flight
  if (ended_) return report_;
  return End(Phase::kCancelled, why + " before this shard's waves began");
}

bool ShardWaves::StopBeforeWave() {
  if (ctx_.Stopping()) {
    End(Phase::kCancelled, ctx_.StopReason() + " between waves; the wave in flight finished");
  } else if (std::string spent = WhyNoNewWave(); !spent.empty()) {
    End(Phase::kGaveUp, spent);
  }
  return ended_;
}

std::string ShardWaves::WhyNoNewWave() const {
  if (!budget_.Spent()) return "";
  return "failure budget spent (" + std::to_string(budget_.failures()) + " failures, budget " +
         std::to_string(budget_.budget()) + "): no new wave started";
}

void ShardWaves::ResumeInFlight() {
  std::vector<const Node*> nodes;
  std::vector<ResumeAction> actions;
  for (const Node& n : shard_.nodes) {
    auto it = options_.in_flight.find(n.name);
    if (it == options_.in_flight.end()) continue;
    std::string why;
    std::optional<bool> running = ops_.IsRunning(n, &why);
    ResumeAction a = DecideResume(it->second, running);
    std::string state = running ? (*running ? "running" : "stopped") : "unknown (" + why + ")";
    const auto& last = it->second.last_command;
    ctx_.journal.Note(shard_.id, n.name, Step::kNode, Outcome::kResume,
                      std::string(ResumeActionName(a)) + "; now " + state);
    Emit(Event::Kind::kNode, n.name,
         std::string("interrupted after ") + (last ? CommandKey(*last) : "nothing") + ", now " +
             state + ": " + ResumeActionName(a));
    if (a == ResumeAction::kAskOperator) {
      Fail(n, "interrupted mid-action and its state cannot be read (" + why +
                  "); check the node by hand");
    } else if (a != ResumeAction::kLeave) {
      nodes.push_back(&n);
      actions.push_back(a);
    }
  }
  if (!nodes.empty()) RunWave(nodes, actions);
}

Status ShardWaves::PreCheck() {
  if (Remaining().empty()) return Status::Ok();
  auto refuse = [&](const std::string& why) {
    return Status::Failed("shard " + std::to_string(shard_.id) +
                          " is not healthy, so no node of it was touched (" + why +
                          "); waves need a committing shard: see `shardctl status`, or "
                          "`shardctl recover` for a halted one");
  };
  GateTracker tracker(ctx_.pb, -1, ctx_.clock.Now());
  SampleSummary s;
  std::vector<NodeStatus> first = Sample(&s);
  // Without a quorum Normal and in sync now, waiting for blocks cannot end well: say why at once.
  if (!ctx_.pb.quorum.Holds(s.normal_in_sync_power, s.total_power)) {
    std::vector<std::string> out;
    for (const NodeStatus& n : first) {
      if (!InSyncNormal(n, s, ctx_.pb))
        out.push_back(n.node + ": " + (n.answered ? "mode " + n.fields.mode : n.error));
    }
    return refuse(s.Describe() + "; " + Join(out));
  }
  GateTracker::Verdict v = tracker.Add(ctx_.clock.Now(), first);
  bool sampled = true;  // `first` is this poll's sample
  PollUntil(ctx_, {.every = ctx_.pb.gate.poll_interval}, [&] {
    if (!sampled) v = tracker.Add(ctx_.clock.Now(), Sample(&s));
    sampled = false;
    return v != GateTracker::Verdict::kPending;
  });
  return v == GateTracker::Verdict::kHealthy ? Status::Ok() : refuse(tracker.reason());
}

WaveInput ShardWaves::Probed() {
  // The sample that ended the last step (pre-check or wave) still holds: nothing acted since.
  if (last_sample_.empty()) Sample(nullptr);
  std::vector<NodeStatus> sample = std::move(last_sample_);
  last_sample_.clear();
  std::set<std::string> remaining;
  for (const Node* n : Remaining()) remaining.insert(n->name);
  return MakeWaveInput(shard_, sample, ctx_.pb, remaining);
}

void ShardWaves::RunWave(const std::vector<const Node*>& wave,
                         const std::vector<ResumeAction>& actions) {
  SetRound(++wave_);
  last_sample_.clear();
  std::string names = Join(NodeNames(wave));
  report_.waves.push_back(NodeNames(wave));
  ctx_.journal.Note(shard_.id, "", Step::kWave, Outcome::kBegin, names);
  Enter(Phase::kWave, "wave " + std::to_string(wave_) + ": " + names);
  std::vector<Status> brought(wave.size());
  ParallelFor(wave.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { brought[i] = Bring(*wave[i], actions[i]); });
  std::vector<const Node*> started;
  std::vector<const Node*> failed;
  for (size_t i = 0; i < wave.size(); ++i) {
    if (brought[i].ok()) {
      started.push_back(wave[i]);
    } else {
      Fail(*wave[i], brought[i].message());
      failed.push_back(wave[i]);
    }
  }
  if (!started.empty()) Judge(started, &failed);
  if (canary_wave_ && !failed.empty())  // see SoakCanaries
    canary_failed_ = "canary " + Join(NodeNames(failed)) + " failed";
  if (!failed.empty()) Undo(failed);
}

void ShardWaves::Judge(const std::vector<const Node*>& started, std::vector<const Node*>* failed) {
  std::string grown;
  std::map<std::string, std::string> why = WaitInSync(started, &grown);
  std::map<std::string, const NodeStatus*> probed;  // the gate's last sample
  for (const NodeStatus& st : last_sample_) probed[st.node] = &st;
  bool all_ok = true;
  for (const Node* n : started) {
    if (why[n->name].empty()) {
      Status checked = action_.Check(ops_, *n, probed[n->name]);
      if (!checked.ok()) why[n->name] = checked.message();
    }
    all_ok = all_ok && why[n->name].empty();
  }
  if (canary_wave_ && all_ok) {  // the soak judges them (SoakCanaries)
    soaking_ = started;
    soaking_grown_ = grown;
    return;
  }
  for (const Node* n : started) {
    if (why[n->name].empty()) {
      Done(*n, "in sync, shard " + grown);
    } else {
      Fail(*n, why[n->name]);
      failed->push_back(n);
    }
  }
}

void ShardWaves::SoakCanaries() {
  if (soaking_.empty() || ended_) return;
  std::vector<const Node*> canaries = std::move(soaking_);
  soaking_.clear();
  Enter(Phase::kGate, "canary soak: " + Join(NodeNames(canaries)));
  Status soak = action_.Soak(shard_, canaries, [this](SampleSummary* s) { return Sample(s); });
  std::vector<const Node*> failed;
  for (const Node* n : canaries) {
    if (soak.ok()) {
      Done(*n, "in sync, shard " + soaking_grown_ + "; canary soaked");
    } else {
      Fail(*n, "canary: " + soak.message());
      failed.push_back(n);
    }
  }
  if (failed.empty()) return;
  // A failed canary ends the shard whatever the budget says: the waves would spread what failed.
  canary_failed_ = "canary " + Join(NodeNames(failed)) + " failed";
  Undo(failed);
  End(Phase::kGaveUp, canary_failed_);
}

Status ShardWaves::Bring(const Node& node, ResumeAction how) {
  if (how == ResumeAction::kWaitForSync) return Status::Ok();
  if (how == ResumeAction::kRestart) {
    SHARDCTL_RETURN_IF_ERROR(ctx_.journal.Record(shard_.id, node.name, Step::kNode, Outcome::kBegin,
                                                 "wave " + std::to_string(wave_)));
  }
  return action_.Apply(ops_, node, how, *this);
}

std::map<std::string, std::string> ShardWaves::WaitInSync(const std::vector<const Node*>& nodes,
                                                          std::string* grown_by) {
  const RollingPolicy& policy = ctx_.pb.rolling;
  Enter(Phase::kGate, "waiting for " + Join(NodeNames(nodes)) + " to be in sync and +" +
                          std::to_string(policy.min_new_blocks) + " blocks");
  int64_t baseline = -1;
  bool grown = false;
  SampleSummary s;
  std::map<std::string, NodeStatus> by_name;
  std::vector<std::string> lagging;
  PollUntil(
      ctx_,
      {.every = ctx_.pb.gate.poll_interval, .deadline = ctx_.clock.Now() + policy.node_timeout},
      [&] {
        by_name.clear();
        for (NodeStatus& n : Sample(&s)) by_name[n.node] = std::move(n);
        if (baseline < 0) baseline = s.top;
        grown = baseline >= 0 && s.top >= baseline + policy.min_new_blocks;
        lagging.clear();
        for (const Node* n : nodes) {
          if (!InSyncNormal(by_name[n->name], s, ctx_.pb))
            lagging.push_back(Lagging(*n, by_name[n->name], s));
        }
        return lagging.empty() && grown;
      });
  std::string blocks = "+" + std::to_string(baseline < 0 ? 0 : s.top - baseline) + " blocks";
  *grown_by = blocks;
  std::map<std::string, std::string> why;
  for (const Node* n : nodes) {
    if (!grown || !InSyncNormal(by_name[n->name], s, ctx_.pb)) {
      why[n->name] = "not back in sync " + FormatDuration(policy.node_timeout) +
                     " after its start: " + (grown ? Join(lagging) : "shard only " + blocks);
    }
  }
  return why;
}

void ShardWaves::Undo(const std::vector<const Node*>& nodes) {
  if (!action_.CanUndo()) return;
  Enter(Phase::kWave, "putting back " + Join(NodeNames(nodes)));
  std::vector<Status> undone(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes,
              [&](size_t i) { undone[i] = action_.Undo(ops_, *nodes[i]); });
  std::vector<const Node*> started;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (undone[i].ok()) {
      started.push_back(nodes[i]);
    } else {
      RolledBack(*nodes[i], false, undone[i].message());
    }
  }
  if (started.empty()) return;
  std::string grown;
  std::map<std::string, std::string> why = WaitInSync(started, &grown);
  for (const Node* n : started) {
    bool ok = why[n->name].empty();
    RolledBack(*n, ok, ok ? "put back and in sync, shard " + grown : why[n->name]);
  }
}

void ShardWaves::RolledBack(const Node& node, bool ok, const std::string& detail) {
  Status logged = ctx_.journal.Record(shard_.id, node.name, Step::kNode,
                                      ok ? Outcome::kRolledBack : Outcome::kRollbackFailed, detail);
  report_.rolled_back.emplace_back(node.name, ok ? detail : "NOT put back: " + detail);
  if (ok) {
    Emit(Event::Kind::kNode, node.name, "rolled back: " + detail);
  } else {
    Warn(node.name, "ROLLBACK FAILED: " + detail + "; check the node by hand");
  }
  if (!logged.ok()) Warn(node.name, "its rollback could not be journaled: " + logged.message());
}

std::vector<NodeStatus> ShardWaves::Sample(SampleSummary* summary) {
  std::vector<NodeStatus> sample = ops_.ProbeAll(AllNodes(), /*ask_running=*/false);
  SampleSummary s = Summarize(sample, ctx_.pb.probe, ctx_.pb.gate.max_lag);
  TimePoint now = ctx_.clock.Now();
  if (s.top > top_) {
    top_ = s.top;
    top_moved_ = now;
  } else if (top_ >= 0) {
    report_.longest_stall = std::max(report_.longest_stall, now - top_moved_);
  }
  Progress(s);
  if (summary) *summary = s;
  last_sample_ = sample;
  return sample;
}

void ShardWaves::Done(const Node& node, const std::string& detail) {
  Status logged = ctx_.journal.Record(shard_.id, node.name, Step::kNode, Outcome::kDone, detail);
  finished_.insert(node.name);
  report_.done.push_back(node.name);
  Emit(Event::Kind::kNode, node.name, std::string(action_.Verb()) + ": " + detail);
  if (!logged.ok()) Warn(node.name, "its verdict could not be journaled: " + logged.message());
}

void ShardWaves::Fail(const Node& node, const std::string& why) {
  Status logged = ctx_.journal.Record(shard_.id, node.name, Step::kNode, Outcome::kFailed, why);
  budget_.Count();
  finished_.insert(node.name);
  report_.failed.emplace_back(node.name, why);
  Warn(node.name, "FAILED: " + why);
  if (!logged.ok()) Warn(node.name, "its verdict could not be journaled: " + logged.message());
}

std::vector<const Node*> ShardWaves::Remaining() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) {
    if (options_.targets.count(n.name) && !finished_.count(n.name)) out.push_back(&n);
  }
  return out;
}

WaveShardReport ShardWaves::End(Phase verdict, const std::string& reason) {
  ended_ = true;
  for (const Node* n : Remaining()) {
    if (verdict == Phase::kCancelled) {
      report_.not_started.push_back(n->name);
    } else {
      report_.skipped.push_back(n->name);
      ctx_.journal.Note(shard_.id, n->name, Step::kNode, Outcome::kSkipped, reason);
    }
  }
  Finish(&report_, verdict, reason);
  return report_;
}

}  // namespace shardctl
