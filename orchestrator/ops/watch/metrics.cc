#include "ops/watch/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace shardctl {
namespace {

using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;

prometheus::Family<Gauge>& GaugeFamily(prometheus::Registry& r, const std::string& name,
                                       const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

struct WatchMetrics::ShardSeries {
  Gauge* height = nullptr;
  Gauge* block_age = nullptr;
  std::map<ShardState, Gauge*> state;
  std::map<std::string, Gauge*> node_up;
  std::map<Phase, Counter*> recoveries;
};

WatchMetrics::WatchMetrics(const Inventory& inv, const std::vector<int>& shards,
                           const std::string& version)
    : network_(inv.network), registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  auto& height =
      GaugeFamily(r, "shardctl_shard_height", "Highest block any node of the shard reports");
  auto& state = GaugeFamily(r, "shardctl_shard_state", "1 for the shard's current watch state");
  auto& age = GaugeFamily(r, "shardctl_shard_last_block_age_seconds",
                          "Seconds since the watcher saw the shard's height grow");
  auto& up = GaugeFamily(r, "shardctl_node_up", "1 when the node answered the last probe");
  recoveries_ = &prometheus::BuildCounter()
                     .Name("shardctl_recoveries_total")
                     .Help("Recovery runs watch started, by how they ended")
                     .Register(r);
  for (int id : shards) {
    auto s = std::make_unique<ShardSeries>();
    std::map<std::string, std::string> labels = {{"network", network_},
                                                 {"shard", std::to_string(id)}};
    s->height = &height.Add(labels);
    s->block_age = &age.Add(labels);
    for (ShardState st : AllShardStates()) {
      auto l = labels;
      l["state"] = ShardStateName(st);
      s->state[st] = &state.Add(l);
    }
    for (const Node& n : inv.FindShard(id)->nodes) {
      auto l = labels;
      l["node"] = n.name;
      s->node_up[n.name] = &up.Add(l);
    }
    for (Phase p : {Phase::kHealthy, Phase::kAlreadyHealthy, Phase::kGaveUp, Phase::kCancelled}) {
      auto l = labels;
      l["result"] = PhaseName(p);
      s->recoveries[p] = &recoveries_->Add(l);
    }
    shards_[id] = std::move(s);
  }
  std::map<std::string, std::string> net = {{"network", network_}};
  paused_ = &GaugeFamily(r, "shardctl_watch_paused", "1 while watch is paused").Add(net);
  actor_ =
      &GaugeFamily(r, "shardctl_watch_actor", "1 while this watcher is the one that acts").Add(net);
  GaugeFamily(r, "shardctl_build_info", "The running shardctl").Add({{"version", version}}).Set(1);
  probe_duration_ =
      &prometheus::BuildHistogram()
           .Name("shardctl_probe_duration_seconds")
           .Help("Time one probe round of every watched node took")
           .Register(r)
           .Add(net, Histogram::BucketBoundaries{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  recovery_duration_ =
      &prometheus::BuildHistogram()
           .Name("shardctl_recovery_duration_seconds")
           .Help("Time from a recovery run's start to a shard's verdict")
           .Register(r)
           .Add(net, Histogram::BucketBoundaries{1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800});
}

WatchMetrics::~WatchMetrics() = default;

void WatchMetrics::Update(const ShardSnapshot& s, int64_t now_unix_ms) {
  auto it = shards_.find(s.shard);
  if (it == shards_.end()) return;
  ShardSeries& m = *it->second;
  m.height->Set(static_cast<double>(s.height));
  if (s.last_block_unix_ms > 0) {
    m.block_age->Set(static_cast<double>(now_unix_ms - s.last_block_unix_ms) / 1000.0);
  }
  for (auto& [st, g] : m.state) g->Set(st == s.state ? 1 : 0);
  for (const NodeStatus& n : s.nodes) {
    auto up = m.node_up.find(n.node);
    if (up != m.node_up.end()) up->second->Set(n.answered ? 1 : 0);
  }
}

void WatchMetrics::ObserveProbeRound(Duration d) { probe_duration_->Observe(Seconds(d)); }

void WatchMetrics::RecoveryEnded(int shard, Phase verdict, Duration d) {
  auto it = shards_.find(shard);
  if (it == shards_.end()) return;
  auto c = it->second->recoveries.find(verdict);
  if (c != it->second->recoveries.end()) c->second->Increment();
  recovery_duration_->Observe(Seconds(d));
}

void WatchMetrics::SetPaused(bool paused) { paused_->Set(paused ? 1 : 0); }
void WatchMetrics::SetActor(bool actor) { actor_->Set(actor ? 1 : 0); }

std::string WatchMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace shardctl
