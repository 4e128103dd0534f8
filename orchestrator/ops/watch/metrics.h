// The watcher's Prometheus metrics (docs/watch.md, "Metrics"), kept in a prometheus-cpp
// registry and rendered by its text serializer. Names follow Prometheus conventions: the
// shardctl_ prefix, base units, _total counters, labels network, shard, node (and state,
// result). Thread-safe: the loop updates, the HTTP server's thread renders.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/inventory.h"
#include "ops/watch/shard_watch.h"
#include "run/journal_schema.h"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace shardctl {

class WatchMetrics {
 public:
  /// Every series of every shard and node of inv is created here, so a scrape sees them all
  /// from the start. version goes into shardctl_build_info.
  WatchMetrics(const Inventory& inv, const std::vector<int>& shards, const std::string& version);
  ~WatchMetrics();
  WatchMetrics(const WatchMetrics&) = delete;
  WatchMetrics& operator=(const WatchMetrics&) = delete;

  /// A shard's height, state, block age and nodes, from its snapshot; now_unix_ms for the age.
  void Update(const ShardSnapshot& s, int64_t now_unix_ms);
  void ObserveProbeRound(Duration d);
  /// A recovery run ended for shard with this verdict after d.
  void RecoveryEnded(int shard, Phase verdict, Duration d);
  void SetPaused(bool paused);
  void SetActor(bool actor);
  /// The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct ShardSeries;

  std::string network_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* recoveries_ = nullptr;
  prometheus::Gauge* paused_ = nullptr;
  prometheus::Gauge* actor_ = nullptr;
  prometheus::Histogram* probe_duration_ = nullptr;
  prometheus::Histogram* recovery_duration_ = nullptr;
  std::map<int, std::unique_ptr<ShardSeries>> shards_;  // fixed after construction
};

}  // namespace shardctl
