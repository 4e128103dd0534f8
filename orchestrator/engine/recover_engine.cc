#include "engine/recover_engine.h"

#include <atomic>

#include "engine/engine_context.h"
#include "engine/parallel.h"
#include "engine/shard_recovery.h"

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

RecoverEngine::RecoverEngine(const Inventory& inv, const Playbook& pb, Transport& transport,
                             Clock& clock, Journal& journal, Observer& observer,
                             const CancelToken& cancel)
    : inv_(inv),
      pb_(pb),
      transport_(transport),
      clock_(clock),
      journal_(journal),
      observer_(observer),
      cancel_(cancel) {}

Result<RecoveryReport> RecoverEngine::Run(const RecoverOptions& options) {
  auto order = ScheduledShards(inv_, pb_, options.shards);
  if (!order.ok()) return order.status();
  ObserverHub hub;
  hub.Add(&observer_);
  EngineContext ctx{pb_, transport_, clock_, journal_, hub, cancel_};

  RecoveryReport report;
  report.run_id = journal_.run_id();
  report.network = inv_.network;
  report.playbook = pb_.path;
  report.journal_path = journal_.path();
  report.started_unix_ms = clock_.UnixMillis();
  SHARDCTL_RETURN_IF_ERROR(journal_.Record(
      -1, "", "run", "begin",
      "recover " + std::to_string(order->size()) + " shard(s), playbook " + pb_.path));
  hub.OnEvent(Event{Event::Kind::kRunStarted, report.started_unix_ms, -1, "", Phase::kPending, 0,
                    -1, -1, 0, Duration(0), report.run_id});

  report.shards.resize(order->size());
  ParallelFor(order->size(), pb_.parallel_shards, [&](size_t i) {
    const Shard& shard = *inv_.FindShard((*order)[i]);
    if (cancel_.cancelled()) {
      report.shards[i].shard = shard.id;
      report.shards[i].verdict = Phase::kCancelled;
      report.shards[i].reason = "cancelled before this shard was started; nothing was touched";
      return;
    }
    report.shards[i] = ShardRecovery(ctx, shard, options.force).Run();
  });

  report.finished_unix_ms = clock_.UnixMillis();
  (void)journal_.Record(-1, "", "run", report.AllHealthy() ? "healthy" : "not-healthy", "");
  hub.OnEvent(Event{
      Event::Kind::kRunDone, report.finished_unix_ms, -1, "", Phase::kPending, 0, -1, -1, 0,
      Duration(report.finished_unix_ms - report.started_unix_ms),
      report.AllHealthy() ? "all selected shards healthy" : "NOT all selected shards healthy"});
  return report;
}

}  // namespace shardctl
