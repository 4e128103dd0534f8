#include "ops/drill/drill_run.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/parallel.h"
#include "base/text.h"
#include "model/node_set.h"
#include "ops/recover/shard_recovery.h"
#include "run/node_ops.h"
#include "run/shard_gates.h"
#include "run/wait.h"

namespace shardctl {
namespace {

using When = OperationPhase::When;

/// The playbook whose gate judges observe/wait recovery: `within` long, never "stuck" early.
Playbook ObservePlaybook(const Playbook& pb, Duration within) {
  Playbook copy = pb;
  copy.gate.within = within;
  copy.stuck.after = within + Duration(1000);
  return copy;
}

std::vector<int> AllShards(const Inventory& inv) {
  std::vector<int> ids;
  for (const Shard& s : inv.shards) ids.push_back(s.id);
  return ids;
}

}  // namespace

DrillOperation::DrillOperation(const Inventory& inv, const Playbook& pb, DrillSetup setup)
    : inv_(inv),
      s_(std::move(setup)),
      observe_pb_(ObservePlaybook(pb, s_.spec.recovery.within)),
      hypothesis_shards_(s_.spec.hypothesis.Resolve(inv)),
      blast_shards_(s_.spec.blast_shards.Resolve(inv)),
      sent_(s_.spec.faults.size(), false),
      undone_(s_.spec.faults.size(), false),
      tracker_(pb, inv, blast_shards_, hypothesis_shards_) {
  report_.name = s_.spec.name;
  report_.drill_path = s_.spec.path;
  report_.seed = s_.targets.seed;
  report_.production_reason = s_.production_reason;
  report_.recovery_mode = s_.spec.recovery.mode;
  report_.blast_lines = s_.blast.Lines();
  for (const ResolvedStep& r : s_.targets.faults) {
    for (const std::string& c : r.choices) report_.choices.push_back(r.step->where + ": " + c);
  }
}

DrillOperation::~DrillOperation() { StopMonitor(); }

std::string DrillOperation::Describe(const std::vector<int>& shards) const {
  return "drill " + s_.spec.name + ": " + std::to_string(s_.spec.faults.size()) +
         " fault step(s), recovery " + RecoveryModeName(s_.spec.recovery.mode) + ", seed " +
         std::to_string(s_.targets.seed) + ", " + std::to_string(shards.size()) + " shard(s)";
}

std::vector<OperationPhase> DrillOperation::Phases(const std::vector<int>&) {
  using P = OperationPhase;
  auto recover = [this](RunContext& ctx, const Shard& shard, size_t) {
    RecoverShard(ctx, shard, /*rollback=*/false);
  };
  auto rollback_recover = [this](RunContext& ctx, const Shard& shard, size_t) {
    RecoverShard(ctx, shard, /*rollback=*/true);
  };
  std::vector<P> phases = {
      P::ForRun([this](RunContext& ctx) { Begin(ctx); }),         // hypothesis before
      P::ForRun([this](RunContext& ctx) { Faults(ctx); }),        // the timeline, monitored
      P::ForRun([this](RunContext& ctx) { StartRecovery(ctx); })  // at recovery.at_s
  };
  if (s_.spec.recovery.mode == RecoveryMode::kRecover) {
    phases.push_back(P::ForEachShard(recover, nullptr));
  } else {
    phases.push_back(P::ForRun([this](RunContext& ctx) { Observe(ctx); }));
  }
  phases.push_back(P::ForRun([this](RunContext& ctx) { After(ctx); }));  // hypothesis after
  // What always runs, whatever stopped the drill.
  phases.push_back(P::ForRun([this](RunContext& ctx) { Rollbacks(ctx); }, When::kAlways));
  phases.push_back(P::ForEachShard(rollback_recover, nullptr, When::kAlways));
  phases.push_back(P::ForRun([this](RunContext& ctx) { End(ctx); }, When::kAlways));
  return phases;
}

bool DrillOperation::Succeeded() const { return report_.outcome == DrillOutcome::kPassed; }

std::string DrillOperation::Summary() const {
  return std::string("drill ") + DrillOutcomeName(report_.outcome);
}

DrillReport DrillOperation::TakeReport(const RunInfo& run) {
  StopMonitor();
  std::lock_guard<std::mutex> l(mu_);
  report_.run_id = run.run_id;
  report_.network = run.network;
  report_.playbook = run.playbook;
  report_.journal_path = run.journal_path;
  return std::move(report_);
}

bool DrillOperation::InHypothesis(int shard) const {
  return std::count(hypothesis_shards_.begin(), hypothesis_shards_.end(), shard) > 0;
}

void DrillOperation::Note(RunContext& ctx, const std::string& what) {
  int64_t now = ctx.clock.UnixMillis();
  {
    std::lock_guard<std::mutex> l(mu_);
    report_.timeline.push_back({now, Duration(now - report_.started_unix_ms), what});
  }
  if (s_.say) s_.say(what);
}

void DrillOperation::Abort(RunContext& ctx, const std::string& why) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!report_.abort_reason.empty()) return;
    report_.abort_reason = why;
  }
  ctx.Abort("drill aborted: " + why);
  ctx.journal.Note(-1, "", Step::kDrill, Outcome::kAborted, why);
  Note(ctx, "ABORT: " + why + "; rolling back");
}

// The drill's begin lines, then the hypothesis before anything is touched.
void DrillOperation::Begin(RunContext& ctx) {
  start_ = ctx.clock.Now();
  report_.started_unix_ms = ctx.clock.UnixMillis();
  nlohmann::json begin = {
      {"drill", s_.spec.name}, {"file", s_.spec.path}, {"seed", s_.targets.seed}};
  if (!ctx.journal.Record(-1, "", Step::kDrill, Outcome::kBegin, begin.dump()).ok()) return;
  if (!s_.production_reason.empty())
    ctx.journal.Note(-1, "", Step::kDrill, Outcome::kProduction, s_.production_reason);
  Hypothesis(ctx, "before the faults", ctx.pb, false, &report_.hypothesis_before);
  started_ = report_.hypothesis_before.value_or(false);
  if (!started_) Note(ctx, "hypothesis did not hold before the faults: nothing was touched");
}

/// Every hypothesis shard through its own gate; journals and notes each verdict.
void DrillOperation::Hypothesis(RunContext& ctx, const std::string& when, const Playbook& gate_pb,
                                bool measure, std::optional<bool>* held) {
  bool all = true;
  for (const ShardGate& g : GateShards(ctx, gate_pb, hypothesis_shards_)) {
    bool healthy = g.verdict == GateTracker::Verdict::kHealthy;
    all = all && healthy;
    std::string reason = std::string(OutcomeName(OutcomeOf(g.verdict))) + ": " + g.reason;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (measure && healthy) tracker_.Recovered(g.shard, g.decided_unix_ms);
      report_.hypothesis_notes.push_back("hypothesis " + when + ": shard " +
                                         std::to_string(g.shard) + " " + reason);
    }
    ctx.journal.Note(g.shard, "", Step::kHypothesis, healthy ? Outcome::kHeld : Outcome::kFailed,
                     when + ": " + reason);
  }
  Note(ctx, "hypothesis " + when + ": " + (all ? "held" : "did NOT hold"));
  if (held) *held = all;
}

// The faults (and timed undos) at their times, watched by the monitor. An abort stops it
// between steps; a command in flight always finishes.
void DrillOperation::Faults(RunContext& ctx) {
  if (!started_) return;
  Monitor(ctx);
  std::vector<Action> actions;
  for (size_t i = 0; i < s_.spec.faults.size(); ++i) {
    const FaultStep& step = s_.spec.faults[i];
    actions.push_back({step.at, i, false});
    if (step.duration) actions.push_back({step.at + *step.duration, i, true});
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.at < b.at; });
  t0_ = ctx.clock.Now();
  for (const Action& a : actions) {
    Duration wait = t0_ + a.at - ctx.clock.Now();
    if (wait.count() > 0 && !PauseUnlessStopping(ctx, wait)) return;
    if (ctx.Stopping()) return;
    const FaultStep& step = s_.spec.faults[a.step];
    if (!a.undo) sent_[a.step] = true;
    bool ok = RunAction(ctx, step, s_.targets.faults[a.step].nodes, a.undo);
    if (a.undo) undone_[a.step] = true;
    if (!ok && !a.undo) return Abort(ctx, step.where + ": fault \"" + step.fault + "\" failed");
  }
}

/// The fault (or its undo) on every node at once (nodes.parallel), each through NodeOps.
bool DrillOperation::RunAction(RunContext& ctx, const FaultStep& step,
                               const std::vector<const Node*>& nodes, bool undo) {
  const FaultDef* fault = FindFault(ctx.pb.faults, step.fault);
  if (fault == nullptr || (undo && fault->undo.empty())) return true;
  if (!undo) {
    std::lock_guard<std::mutex> l(mu_);
    tracker_.FaultSent(nodes, ctx.clock.UnixMillis());
  }
  std::string what = std::string(undo ? "undo " : "fault ") + fault->name;
  Note(ctx, what + " on " + FoldNodeNames(NodeNames(nodes)));
  std::vector<std::string> failures(nodes.size());
  ParallelFor(nodes.size(), ctx.pb.parallel_nodes, [&](size_t i) {
    NodeOps ops(ctx, nodes[i]->shard);
    auto command = ops.Fault(*nodes[i], *fault, undo, step.params);
    Status sent = command.ok() ? ops.Do(*nodes[i], *command) : command.status();
    if (!sent.ok()) failures[i] = nodes[i]->name + ": " + sent.message();
  });
  bool ok = true;
  for (const std::string& f : failures) {
    if (f.empty()) continue;
    ok = false;
    Note(ctx, what + " FAILED on " + f);
  }
  return ok;
}

// Waits for recovery.at, then marks the recovery's start on every hypothesis shard.
void DrillOperation::StartRecovery(RunContext& ctx) {
  if (!started_) return;
  Duration wait = t0_ + s_.spec.recovery.at - ctx.clock.Now();
  if (wait.count() > 0 && !PauseUnlessStopping(ctx, wait)) return;
  const char* mode = RecoveryModeName(s_.spec.recovery.mode);
  {
    std::lock_guard<std::mutex> l(mu_);
    for (int id : hypothesis_shards_) tracker_.RecoveryStarted(id, ctx.clock.UnixMillis());
  }
  ctx.journal.Note(-1, "", Step::kRecovery, Outcome::kBegin, mode);
  Note(ctx, std::string("recovery: ") + mode);
}

/// ShardRecovery on one shard (a healthy one is left alone); restarts and replaced binaries go
/// into the measures. rollback: the rollbacks' recovery of every shard.
void DrillOperation::RecoverShard(RunContext& ctx, const Shard& shard, bool rollback) {
  if (!started_ || (!rollback && !InHypothesis(shard.id))) return;
  ShardReport sr = ShardRecovery(ctx, shard, /*force=*/false).Run();
  std::string line = std::string(rollback ? "rollback recover" : "recovery") + ": shard " +
                     std::to_string(sr.shard) + " " + PhaseName(sr.verdict) + " after " +
                     std::to_string(sr.restarts) + " whole-shard restart(s)" +
                     (sr.reason.empty() ? "" : ": " + sr.reason);
  std::lock_guard<std::mutex> l(mu_);
  ShardMeasure& m = tracker_.measure(sr.shard);
  m.restarts += sr.restarts;
  m.replaced_binaries.insert(m.replaced_binaries.end(), sr.replaced_binaries.begin(),
                             sr.replaced_binaries.end());
  if (!rollback && sr.healthy()) {
    int64_t at = sr.verdict == Phase::kHealthy ? sr.started_unix_ms + sr.time_to_recover.count()
                                               : sr.finished_unix_ms;
    tracker_.Recovered(sr.shard, at);
  }
  int64_t now = ctx.clock.UnixMillis();
  report_.timeline.push_back({now, Duration(now - report_.started_unix_ms), line});
  if (rollback) report_.rollbacks.push_back(line);
}

// observe / wait: the hypothesis watched for recovery.within, touching nothing.
void DrillOperation::Observe(RunContext& ctx) {
  if (!started_) return;
  if (s_.spec.recovery.mode == RecoveryMode::kWait) {
    Note(ctx, "waiting up to " + FormatDuration(s_.spec.recovery.within) +
                  " for the shards to be fixed by hand");
  }
  std::string when =
      std::string("during recovery (") + RecoveryModeName(s_.spec.recovery.mode) + ")";
  Hypothesis(ctx, when, observe_pb_, /*measure=*/true, nullptr);
}

void DrillOperation::After(RunContext& ctx) {
  StopMonitor();
  if (started_) Hypothesis(ctx, "after recovery", ctx.pb, false, &report_.hypothesis_after);
}

/// Always runs, whatever stopped the drill: every undo not run yet (newest first), then the
/// drill's own rollback actions. The rollback-recover phase then recovers what is still broken.
void DrillOperation::Rollbacks(RunContext& ctx) {
  StopMonitor();
  if (!started_) return;
  ctx.journal.Note(-1, "", Step::kRollback, Outcome::kBegin);
  Note(ctx, "rollbacks: undo every fault not undone yet, then recover what is still broken");
  for (size_t i = s_.spec.faults.size(); i-- > 0;) {
    const FaultDef* fault = FindFault(ctx.pb.faults, s_.spec.faults[i].fault);
    if (!sent_[i] || undone_[i] || fault == nullptr || fault->undo.empty()) continue;
    bool ok = RunAction(ctx, s_.spec.faults[i], s_.targets.faults[i].nodes, true);
    undone_[i] = true;
    report_.rollbacks.push_back("undo " + s_.spec.faults[i].fault + " on " +
                                FoldNodeNames(NodeNames(s_.targets.faults[i].nodes)) +
                                (ok ? ": ok" : ": FAILED"));
  }
  for (size_t i = 0; i < s_.spec.rollbacks.size(); ++i) {
    bool ok = RunAction(ctx, s_.spec.rollbacks[i], s_.targets.rollbacks[i].nodes, false);
    report_.rollbacks.push_back(s_.spec.rollbacks[i].fault + " on " +
                                FoldNodeNames(NodeNames(s_.targets.rollbacks[i].nodes)) +
                                (ok ? ": ok" : ": FAILED"));
  }
}

/// The outcome, the measures and the trend, and the drill's closing line (what the trend of
/// later runs reads back).
void DrillOperation::End(RunContext& ctx) {
  if (started_) ctx.journal.Note(-1, "", Step::kRollback, Outcome::kDone);
  std::lock_guard<std::mutex> l(mu_);
  report_.outcome = !started_                                  ? DrillOutcome::kNotStarted
                    : !report_.abort_reason.empty()            ? DrillOutcome::kAborted
                    : report_.hypothesis_after.value_or(false) ? DrillOutcome::kPassed
                                                               : DrillOutcome::kHypothesisFailed;
  report_.shards = tracker_.All();
  report_.finished_unix_ms = ctx.clock.UnixMillis();
  report_.run_id = ctx.journal.run_id();
  report_.trend = ReadDrillTrend(s_.state_dir, s_.spec.name, report_.run_id);
  report_.trend.push_back(
      {report_.run_id, report_.started_unix_ms, report_.seed, report_.outcome, report_.Mttr()});
  ctx.journal.Note(-1, "", Step::kDrill, Outcome::kDone, TrendDetail(report_));
}

/// Samples every shard each poll interval in a thread of its own, for the measures and the
/// abort conditions, until StopMonitor.
void DrillOperation::Monitor(RunContext& run_ctx) {
  monitor_ctx_ =
      std::make_unique<RunContext>(run_ctx.inv, run_ctx.pb, run_ctx.transport, run_ctx.clock,
                                   run_ctx.journal, monitor_events_, monitor_stop_);
  monitor_ = std::thread([this, &run_ctx] {
    std::vector<int> shards = AllShards(inv_);
    RunContext& ctx = *monitor_ctx_;
    PollUntil(ctx, {.every = ctx.pb.gate.poll_interval, .stop = StopRule::kEndEarly}, [&] {
      std::vector<std::vector<NodeStatus>> samples = ProbeShards(ctx, shards, false);
      int64_t now = ctx.clock.UnixMillis();
      {
        std::lock_guard<std::mutex> l(mu_);
        for (size_t i = 0; i < samples.size(); ++i) {
          tracker_.Sample(shards[i], now, Summarize(samples[i], ctx.pb.probe, ctx.pb.gate.max_lag));
        }
      }
      CheckAbort(run_ctx, now);
      return false;
    });
  });
}

void DrillOperation::CheckAbort(RunContext& ctx, int64_t now_unix) {
  if (ctx.Stopping()) return Abort(ctx, ctx.StopReason());
  if (ctx.clock.Now() - start_ > s_.spec.abort.time_limit) {
    return Abort(ctx, "time limit of " + FormatDuration(s_.spec.abort.time_limit) + " reached");
  }
  for (const Shard& shard : inv_.shards) {
    if (s_.spec.blast_shards.Contains(shard.id)) continue;
    int64_t grew;
    {
      std::lock_guard<std::mutex> l(mu_);
      grew = tracker_.LastGrowthMs(shard.id);
    }
    if (grew >= 0 && now_unix - grew > s_.spec.abort.outside_halt.count()) {
      return Abort(ctx, "shard " + std::to_string(shard.id) +
                            " is outside the blast radius and committed no block for " +
                            FormatDuration(Duration(now_unix - grew)));
    }
  }
}

void DrillOperation::StopMonitor() {
  monitor_stop_.Cancel();
  if (monitor_.joinable()) monitor_.join();
}

Result<DrillReport> RunDrill(RunContext& ctx, DrillSetup setup) {
  DrillOperation op(ctx.inv, ctx.pb, std::move(setup));
  auto run = RunOperation(ctx, op, DriverOptions{});
  if (!run.ok()) return run.status();
  return op.TakeReport(*run);
}

}  // namespace shardctl
