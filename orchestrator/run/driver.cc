#include "run/driver.h"

#include "base/parallel.h"

namespace shardctl {

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
  info.command = op.Command();
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
  op.Prepare(shards);
  ParallelFor(shards.size(), op.ParallelShards(ctx.pb), [&](size_t i) {
    const Shard& shard = *ctx.inv.FindShard(shards[i]);
    if (ctx.Stopping()) return op.SkipShard(ctx, shard, i, ctx.StopReason());
    op.RunShard(ctx, shard, i);
  });
  End(ctx, op, &info);
  return info;
}

}  // namespace shardctl
