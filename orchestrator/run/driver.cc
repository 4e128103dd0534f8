#include "run/driver.h"

#include "base/parallel.h"

namespace shardctl {

OperationPhase OperationPhase::ForRun(RunFn run, When when) {
  OperationPhase p;
  p.scope = Scope::kRun;
  p.when = when;
  p.run = std::move(run);
  return p;
}

OperationPhase OperationPhase::ForEachShard(ShardFn shard, SkipFn skipped, When when) {
  OperationPhase p;
  p.scope = Scope::kEachShard;
  p.when = when;
  p.shard = std::move(shard);
  p.skipped = std::move(skipped);
  return p;
}

OperationPhase OperationPhase::WatchEachShard(ShardFn shard, When when) {
  OperationPhase p = ForEachShard(std::move(shard), nullptr, when);
  p.watching = true;
  return p;
}

Result<std::vector<int>> ScheduledShards(const Inventory& inv, const Playbook& pb,
                                         const std::vector<int>& selected) {
  SHARDCTL_RETURN_IF_ERROR(CheckPlaybookAgainst(pb, inv));
  std::vector<int> ids = selected;
  if (ids.empty()) {
    for (const Shard& s : inv.shards) ids.push_back(s.id);
  }
  for (int id : ids) {
    if (inv.FindShard(id) == nullptr) {
      return Status::Invalid(inv.path + ": no shard " + std::to_string(id) + " in the inventory");
    }
  }
  return OrderShards(pb, ids);
}

namespace {

RunInfo Begun(RunContext& ctx, const Operation& op) {
  RunInfo info;
  info.command = OperationName(op.Kind());
  info.run_id = ctx.journal.run_id();
  info.network = ctx.inv.network;
  info.playbook = ctx.pb.path;
  info.journal_path = ctx.journal.path();
  info.started_unix_ms = ctx.clock.UnixMillis();
  return info;
}

void End(RunContext& ctx, const Operation& op, RunInfo* info) {
  info->finished_unix_ms = ctx.clock.UnixMillis();
  info->interrupted = ctx.Stopping();
  info->stop_reason = ctx.StopReason();
  Status logged = ctx.journal.Record(-1, "", Step::kRun,
                                     info->interrupted ? Outcome::kInterrupted : Outcome::kFinished,
                                     op.Summary());
  if (!logged.ok()) {
    info->interrupted = true;
    info->stop_reason = "the run's end could not be journaled: " + logged.message();
  }
  ctx.Emit(Event{.kind = Event::Kind::kRunDone,
                 .unix_ms = info->finished_unix_ms,
                 .shard = -1,
                 .node = "",
                 .elapsed = Duration(info->finished_unix_ms - info->started_unix_ms),
                 .message = op.Summary()});
}

// One phase: in the run's context, or (kAlways) in one only a journal failure stops.
void RunPhase(RunContext& ctx, const Operation& op, const OperationPhase& phase,
              const std::vector<int>& shards) {
  std::unique_ptr<RunContext> always;
  if (phase.when == OperationPhase::When::kAlways) always = RunContext::Unstoppable(ctx);
  RunContext& c = always ? *always : ctx;
  if (phase.scope == OperationPhase::Scope::kRun) {
    if (!c.Stopping()) phase.run(c);
    return;
  }
  ParallelFor(shards.size(), phase.watching ? 0 : op.ParallelShards(c.pb), [&](size_t i) {
    const Shard& shard = *c.inv.FindShard(shards[i]);
    if (!c.Stopping()) return phase.shard(c, shard, i);
    if (phase.skipped) phase.skipped(shard, i, c.StopReason());
  });
}

}  // namespace

Result<RunInfo> RunOperation(RunContext& ctx, Operation& op, const DriverOptions& options) {
  auto order = ScheduledShards(ctx.inv, ctx.pb, options.shards);
  if (!order.ok()) return order.status();
  std::vector<int> shards = op.ShardsWithWork(*order);
  RunInfo info = Begun(ctx, op);
  SHARDCTL_RETURN_IF_ERROR(ctx.journal.Record(-1, "", Step::kRun,
                                              options.resumed ? Outcome::kResumed : Outcome::kBegin,
                                              op.Describe(shards)));
  ctx.Emit(Event{.kind = Event::Kind::kRunStarted,
                 .unix_ms = info.started_unix_ms,
                 .shard = -1,
                 .node = "",
                 .message = info.run_id});
  for (const OperationPhase& phase : op.Phases(shards)) RunPhase(ctx, op, phase, shards);
  End(ctx, op, &info);
  return info;
}

}  // namespace shardctl
