#include "ops/drill/drill_run.h"

#include <algorithm>

#include "base/parallel.h"
#include "base/text.h"
#include "consensus/gate.h"
#include "model/node_set.h"
#include "ops/drill/drill_end_check.h"
#include "ops/recover/recover.h"
#include "run/node_ops.h"

namespace shardctl {
namespace {

std::vector<const Node*> DrillShardNodes(const Shard& s) {
  std::vector<const Node*> out;
  for (const Node& n : s.nodes) out.push_back(&n);
  return out;
}

/// The playbook whose gate judges observe/wait recovery: `within` long, never "stuck" early.
Playbook ObservePlaybook(const Playbook& pb, Duration within) {
  Playbook copy = pb;
  copy.gate.within = within;
  copy.stuck.after = within + Duration(1000);
  return copy;
}

}  // namespace

DrillRun::DrillRun(RunContext& ctx, DrillSetup setup)
    : ctx_(ctx),
      s_(std::move(setup)),
      forward_(ctx),
      observe_pb_(ObservePlaybook(ctx.pb, s_.spec.recovery.within)),
      drill_ctx_(ctx.inv, ctx.pb, ctx.transport, ctx.clock, ctx.journal, forward_, drill_cancel_),
      always_ctx_(ctx.inv, ctx.pb, ctx.transport, ctx.clock, ctx.journal, forward_, never_),
      hypothesis_shards_(s_.spec.hypothesis.Resolve(ctx.inv)),
      blast_shards_(s_.spec.blast_shards.Resolve(ctx.inv)),
      sent_(s_.spec.faults.size(), false),
      undone_(s_.spec.faults.size(), false),
      tracker_(ctx.pb, ctx.inv, blast_shards_, hypothesis_shards_) {}

DrillRun::~DrillRun() { StopMonitor(); }

void DrillRun::Note(const std::string& what) {
  int64_t now = ctx_.clock.UnixMillis();
  {
    std::lock_guard<std::mutex> l(mu_);
    report_.timeline.push_back({now, Duration(now - report_.started_unix_ms), what});
  }
  if (s_.say) s_.say(what);
}

void DrillRun::Abort(const std::string& why) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!report_.abort_reason.empty()) return;
    report_.abort_reason = why;
  }
  drill_cancel_.Cancel();
  ctx_.journal.Note(-1, "", Step::kDrill, Outcome::kAborted, why);
  Note("ABORT: " + why + "; rolling back");
}

void DrillRun::Begin() {
  start_ = ctx_.clock.Now();
  report_.started_unix_ms = ctx_.clock.UnixMillis();
  report_.name = s_.spec.name;
  report_.drill_path = s_.spec.path;
  report_.run_id = ctx_.journal.run_id();
  report_.network = ctx_.inv.network;
  report_.playbook = ctx_.pb.path;
  report_.journal_path = ctx_.journal.path();
  report_.seed = s_.targets.seed;
  report_.production_reason = s_.production_reason;
  report_.recovery_mode = RecoveryModeName(s_.spec.recovery.mode);
  report_.blast_lines = s_.blast.Lines();
  for (const ResolvedStep& r : s_.targets.faults) {
    for (const std::string& c : r.choices) report_.choices.push_back(r.step->where + ": " + c);
  }
  report_.trend = ReadDrillTrend(s_.state_dir, s_.spec.name, report_.run_id);
}

DrillReport DrillRun::Run() {
  Begin();
  report_.hypothesis_before = Hypothesis(ctx_, "before the faults", ctx_.pb, false);
  if (!*report_.hypothesis_before) {
    report_.outcome = "not-started";
    Note("hypothesis did not hold before the faults: nothing was touched");
  } else {
    Body();
  }
  report_.shards = tracker_.All();
  report_.finished_unix_ms = ctx_.clock.UnixMillis();
  DrillTrendRow self{report_.run_id, report_.started_unix_ms, report_.seed, report_.outcome,
                     report_.Mttr()};
  report_.trend.push_back(self);
  ctx_.journal.Note(-1, "", Step::kDrill, Outcome::kDone, TrendDetail(report_));
  return report_;
}

/// Faults, recovery and the hypothesis after, watched by the monitor; then the rollbacks.
void DrillRun::Body() {
  monitor_ = std::thread([this] { MonitorLoop(); });
  RunTimeline();
  if (!drill_cancel_.cancelled()) Recovery();
  StopMonitor();
  if (!drill_cancel_.cancelled()) {
    report_.hypothesis_after = Hypothesis(drill_ctx_, "after recovery", ctx_.pb, false);
  }
  Rollback();
  report_.left_down = NodesLeftDown(always_ctx_, TouchedNodes(s_.targets, sent_));
  if (!report_.left_down.empty()) Note("left down at the end: " + Join(report_.left_down));
  report_.outcome = !report_.abort_reason.empty()              ? "aborted"
                    : !report_.left_down.empty()               ? "nodes-left-down"
                    : report_.hypothesis_after.value_or(false) ? "passed"
                                                               : "hypothesis-failed";
}

/// Every hypothesis shard through its own gate, in parallel; journals and notes each verdict.
bool DrillRun::Hypothesis(RunContext& c, const std::string& when, const Playbook& gate_pb,
                          bool measure) {
  std::vector<char> healthy(hypothesis_shards_.size(), 0);
  std::vector<std::string> reasons(hypothesis_shards_.size());
  ParallelFor(hypothesis_shards_.size(), 0, [&](size_t i) {
    int id = hypothesis_shards_[i];
    NodeOps ops(c, id);
    std::vector<const Node*> nodes = DrillShardNodes(*c.inv.FindShard(id));
    GateTracker gate(gate_pb, -1, c.clock.Now());
    auto verdict = GateTracker::Verdict::kPending;
    while (verdict == GateTracker::Verdict::kPending) {
      verdict = gate.Add(c.clock.Now(), ops.ProbeAll(nodes, false));
      if (verdict == GateTracker::Verdict::kPending &&
          !c.PauseUnlessStopping(gate_pb.gate.poll_interval)) {
        break;
      }
    }
    healthy[i] = verdict == GateTracker::Verdict::kHealthy;
    reasons[i] = std::string(OutcomeName(OutcomeOf(verdict))) + ": " + gate.reason();
    if (measure && healthy[i]) {
      std::lock_guard<std::mutex> l(mu_);
      tracker_.Recovered(id, c.clock.UnixMillis());
    }
  });
  bool all = true;
  for (size_t i = 0; i < hypothesis_shards_.size(); ++i) {
    all = all && healthy[i];
    std::string line = "hypothesis " + when + ": shard " + std::to_string(hypothesis_shards_[i]) +
                       " " + reasons[i];
    {
      std::lock_guard<std::mutex> l(mu_);
      report_.hypothesis_notes.push_back(line);
    }
    ctx_.journal.Note(hypothesis_shards_[i], "", Step::kHypothesis,
                      healthy[i] ? Outcome::kHeld : Outcome::kFailed, when + ": " + reasons[i]);
  }
  Note("hypothesis " + when + ": " + (all ? "held" : "did NOT hold"));
  return all;
}

void DrillRun::RunTimeline() {
  std::vector<Action> actions;
  for (size_t i = 0; i < s_.spec.faults.size(); ++i) {
    const FaultStep& step = s_.spec.faults[i];
    actions.push_back({step.at, i, false});
    if (step.duration) actions.push_back({step.at + *step.duration, i, true});
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.at < b.at; });
  t0_ = ctx_.clock.Now();
  for (const Action& a : actions) {
    Duration wait = t0_ + a.at - ctx_.clock.Now();
    if (wait.count() > 0 && !drill_ctx_.PauseUnlessStopping(wait)) return;
    if (drill_ctx_.Stopping()) return;
    const FaultStep& step = s_.spec.faults[a.step];
    const auto& nodes = s_.targets.faults[a.step].nodes;
    if (!a.undo) sent_[a.step] = true;
    bool ok = RunAction(step, nodes, a.undo);
    if (a.undo) undone_[a.step] = true;
    if (!ok && !a.undo) return Abort(step.where + ": fault \"" + step.fault + "\" failed");
  }
}

/// The fault (or its undo) on every node at once; each journaled before it is sent. Commands in
/// flight are never cut short (an abort is looked at between steps).
bool DrillRun::RunAction(const FaultStep& step, const std::vector<const Node*>& nodes, bool undo) {
  const FaultDef* fault = FindFault(ctx_.pb.faults, step.fault);
  if (fault == nullptr || (undo && fault->undo.empty())) return true;
  Step kind = undo ? Step::kUndo : Step::kFault;
  if (!undo) {
    std::lock_guard<std::mutex> l(mu_);
    tracker_.FaultSent(nodes, ctx_.clock.UnixMillis());
  }
  Note(std::string(undo ? "undo " : "fault ") + fault->name + " on " +
       FoldNodeNames(NodeNames(nodes)));
  std::vector<std::string> failures(nodes.size());
  ParallelFor(nodes.size(), 0, [&](size_t i) {
    const Node& node = *nodes[i];
    auto cmd = RenderFault(ctx_.pb, *fault, undo, node, step.params);
    Status st = cmd.ok() ? ctx_.journal.Record(node.shard, node.name, kind, Outcome::kBegin,
                                               fault->name + ": " + *cmd)
                         : cmd.status();
    if (!st.ok()) {
      failures[i] = node.name + ": not sent: " + st.message();
      return;
    }
    ExecOptions opt;
    opt.timeout = ctx_.pb.timeouts.command;
    ExecResult r = ctx_.transport.Exec(node, *cmd, opt);
    ctx_.journal.Note(node.shard, node.name, kind, r.ok() ? Outcome::kOk : Outcome::kFailed,
                      r.ok() ? "" : r.Reason());
    if (!r.ok()) failures[i] = node.name + ": " + r.Reason();
  });
  bool ok = true;
  for (const std::string& f : failures) {
    if (f.empty()) continue;
    ok = false;
    Note(std::string(undo ? "undo " : "fault ") + fault->name + " FAILED on " + f);
  }
  return ok;
}

void DrillRun::Recovery() {
  Duration wait = t0_ + s_.spec.recovery.at - ctx_.clock.Now();
  if (wait.count() > 0 && !drill_ctx_.PauseUnlessStopping(wait)) return;
  int64_t now = ctx_.clock.UnixMillis();
  {
    std::lock_guard<std::mutex> l(mu_);
    for (int id : hypothesis_shards_) tracker_.RecoveryStarted(id, now);
  }
  ctx_.journal.Note(-1, "", Step::kRecovery, Outcome::kBegin, report_.recovery_mode);
  Note(std::string("recovery: ") + report_.recovery_mode);
  if (s_.spec.recovery.mode == RecoveryMode::kRecover) {
    RecoverShards(drill_ctx_, "recovery", hypothesis_shards_);
    return;
  }
  if (s_.spec.recovery.mode == RecoveryMode::kWait) {
    Note("waiting up to " + FormatDuration(s_.spec.recovery.within) +
         " for the shards to be fixed by hand");
  }
  Hypothesis(drill_ctx_, "during recovery (" + report_.recovery_mode + ")", observe_pb_, true);
}

/// ops/recover's Recover on `shards` (empty: every shard); healthy shards are left alone.
/// Restarts and replaced binaries go into the measures.
void DrillRun::RecoverShards(RunContext& c, const std::string& why,
                             const std::vector<int>& shards) {
  auto rep = Recover(c, RecoverOptions{shards, false});
  if (!rep.ok()) {
    Note(why + ": recover could not run: " + rep.status().message());
    return;
  }
  bool recovery = &c == &drill_ctx_;
  std::lock_guard<std::mutex> l(mu_);
  for (const ShardReport& sr : rep->shards) {
    ShardMeasure& m = tracker_.measure(sr.shard);
    m.restarts += sr.restarts;
    m.replaced_binaries.insert(m.replaced_binaries.end(), sr.replaced_binaries.begin(),
                               sr.replaced_binaries.end());
    if (recovery && sr.healthy()) {
      int64_t at = sr.verdict == Phase::kHealthy ? sr.started_unix_ms + sr.time_to_recover.count()
                                                 : sr.finished_unix_ms;
      tracker_.Recovered(sr.shard, at);
    }
    std::string line = why + ": shard " + std::to_string(sr.shard) + " " + PhaseName(sr.verdict) +
                       " after " + std::to_string(sr.restarts) + " whole-shard restart(s)" +
                       (sr.reason.empty() ? "" : ": " + sr.reason);
    int64_t now = ctx_.clock.UnixMillis();
    report_.timeline.push_back({now, Duration(now - report_.started_unix_ms), line});
    if (!recovery) report_.rollbacks.push_back(line);
  }
}

/// Always runs, whatever stopped the drill: every undo not run yet (newest first), the drill's
/// own rollback actions, then recover on every shard that is still not healthy.
void DrillRun::Rollback() {
  ctx_.journal.Note(-1, "", Step::kRollback, Outcome::kBegin);
  Note("rollbacks: undo every fault not undone yet, then recover what is still broken");
  for (size_t i = s_.spec.faults.size(); i-- > 0;) {
    const FaultDef* fault = FindFault(ctx_.pb.faults, s_.spec.faults[i].fault);
    if (!sent_[i] || undone_[i] || fault == nullptr || fault->undo.empty()) continue;
    bool ok = RunAction(s_.spec.faults[i], s_.targets.faults[i].nodes, true);
    undone_[i] = true;
    report_.rollbacks.push_back("undo " + s_.spec.faults[i].fault + " on " +
                                FoldNodeNames(NodeNames(s_.targets.faults[i].nodes)) +
                                (ok ? ": ok" : ": FAILED"));
  }
  for (size_t i = 0; i < s_.spec.rollbacks.size(); ++i) {
    bool ok = RunAction(s_.spec.rollbacks[i], s_.targets.rollbacks[i].nodes, false);
    report_.rollbacks.push_back(s_.spec.rollbacks[i].fault + " on " +
                                FoldNodeNames(NodeNames(s_.targets.rollbacks[i].nodes)) +
                                (ok ? ": ok" : ": FAILED"));
  }
  RecoverShards(always_ctx_, "rollback recover", {});
  ctx_.journal.Note(-1, "", Step::kRollback, Outcome::kDone);
}

void DrillRun::MonitorLoop() {
  const Inventory& inv = ctx_.inv;
  while (!monitor_stop_.load()) {
    TimePoint next = ctx_.clock.Now() + ctx_.pb.gate.poll_interval;
    std::vector<std::vector<NodeStatus>> samples(inv.shards.size());
    ParallelFor(inv.shards.size(), 0, [&](size_t i) {
      NodeOps ops(always_ctx_, inv.shards[i].id);
      samples[i] = ops.ProbeAll(DrillShardNodes(inv.shards[i]), false);
    });
    int64_t now = ctx_.clock.UnixMillis();
    {
      std::lock_guard<std::mutex> l(mu_);
      for (size_t i = 0; i < samples.size(); ++i) {
        tracker_.Sample(inv.shards[i].id, now,
                        Summarize(samples[i], ctx_.pb.probe, ctx_.pb.gate.max_lag));
      }
    }
    CheckAbort(now);
    while (!monitor_stop_.load() && ctx_.clock.Now() < next) ctx_.clock.SleepFor(Duration(20));
  }
}

void DrillRun::CheckAbort(int64_t now_unix) {
  if (ctx_.Stopping()) return Abort(ctx_.StopReason());
  if (ctx_.clock.Now() - start_ > s_.spec.abort.time_limit) {
    return Abort("time limit of " + FormatDuration(s_.spec.abort.time_limit) + " reached");
  }
  for (const Shard& shard : ctx_.inv.shards) {
    if (s_.spec.blast_shards.Contains(shard.id)) continue;
    int64_t grew;
    {
      std::lock_guard<std::mutex> l(mu_);
      grew = tracker_.LastGrowthMs(shard.id);
    }
    if (grew >= 0 && now_unix - grew > s_.spec.abort.outside_halt.count()) {
      return Abort("shard " + std::to_string(shard.id) +
                   " is outside the blast radius and committed no block for " +
                   FormatDuration(Duration(now_unix - grew)));
    }
  }
}

void DrillRun::StopMonitor() {
  monitor_stop_.store(true);
  if (monitor_.joinable()) monitor_.join();
}

}  // namespace shardctl
