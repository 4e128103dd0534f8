#include "engine/rolling_engine.h"

#include "engine/engine_context.h"
#include "engine/parallel.h"
#include "engine/recover_engine.h"
#include "engine/shard_rolling.h"

namespace shardctl {
namespace {

// Shards with something to do: a target or an interrupted node.
std::vector<int> ShardsWithWork(const Inventory& inv, const std::vector<int>& order,
                                const RollingOptions& o) {
  std::vector<int> out;
  for (int id : order) {
    for (const Node& n : inv.FindShard(id)->nodes) {
      if (o.targets.count(n.name) || o.in_flight.count(n.name)) {
        out.push_back(id);
        break;
      }
    }
  }
  return out;
}

}  // namespace

RollingEngine::RollingEngine(const Inventory& inv, const Playbook& pb, Transport& transport,
                             Clock& clock, Journal& journal, Observer& observer,
                             const CancelToken& stop)
    : inv_(inv),
      pb_(pb),
      transport_(transport),
      clock_(clock),
      journal_(journal),
      observer_(observer),
      stop_(stop) {}

Result<RollingReport> RollingEngine::Run(const RollingOptions& options) {
  auto order = ScheduledShards(inv_, pb_, options.shards);
  if (!order.ok()) return order.status();
  std::vector<int> shards = ShardsWithWork(inv_, *order, options);
  ObserverHub hub;
  hub.Add(&observer_);
  // Commands and waits always run to their end; `stop_` is looked at between waves only.
  CancelToken never;
  EngineContext ctx{pb_, transport_, clock_, journal_, hub, never};
  FailureBudget budget(options.failure_budget);

  RollingReport report;
  report.run_id = journal_.run_id();
  report.network = inv_.network;
  report.playbook = pb_.path;
  report.journal_path = journal_.path();
  report.failure_budget = options.failure_budget;
  report.started_unix_ms = clock_.UnixMillis();
  SHARDCTL_RETURN_IF_ERROR(
      journal_.Record(-1, "", "run", options.resumed ? "resumed" : "begin",
                      "rolling-restart of " + std::to_string(options.targets.size()) +
                          " node(s) in " + std::to_string(shards.size()) +
                          " shard(s), failure budget " + std::to_string(options.failure_budget)));
  hub.OnEvent(Event{Event::Kind::kRunStarted, report.started_unix_ms, -1, "", Phase::kPending, 0,
                    -1, -1, 0, Duration(0), report.run_id});

  report.shards.resize(shards.size());
  ParallelFor(shards.size(), pb_.parallel_shards, [&](size_t i) {
    const Shard& shard = *inv_.FindShard(shards[i]);
    if (stop_.cancelled() || budget.Spent()) {
      RollingShardReport& r = report.shards[i];
      r.shard = shard.id;
      r.verdict = stop_.cancelled() ? Phase::kCancelled : Phase::kGaveUp;
      r.reason = stop_.cancelled() ? "interrupted before this shard began; nothing was touched"
                                   : "failure budget spent before this shard began";
      for (const Node& n : shard.nodes) {
        if (!options.targets.count(n.name)) continue;
        (stop_.cancelled() ? r.not_started : r.skipped).push_back(n.name);
        if (!stop_.cancelled())
          (void)journal_.Record(shard.id, n.name, kNodeStep, "skipped", r.reason);
      }
      return;
    }
    report.shards[i] = ShardRolling(ctx, shard, options, budget, stop_).Run();
  });

  report.failures = budget.failures();
  for (const RollingShardReport& s : report.shards) {
    report.cancelled = report.cancelled || s.verdict == Phase::kCancelled;
  }
  report.finished_unix_ms = clock_.UnixMillis();
  (void)journal_.Record(-1, "", "run", report.cancelled ? "interrupted" : "finished",
                        report.AllDone() ? "every selected node restarted" : "not all done");
  hub.OnEvent(Event{
      Event::Kind::kRunDone, report.finished_unix_ms, -1, "", Phase::kPending, 0, -1, -1, 0,
      Duration(report.finished_unix_ms - report.started_unix_ms),
      report.AllDone() ? "every selected node restarted" : "NOT every selected node restarted"});
  return report;
}

}  // namespace shardctl
