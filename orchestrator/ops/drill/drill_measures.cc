#include "ops/drill/drill_measures.h"

#include <algorithm>

namespace shardctl {

std::optional<Duration> ShardMeasure::TimeToDetect() const {
  if (!first_fault_ms || !detected_ms) return std::nullopt;
  return Duration(*detected_ms - *first_fault_ms);
}

std::optional<Duration> ShardMeasure::TimeToRecover() const {
  if (!recovery_start_ms || !recovered_ms || !detected_ms) return std::nullopt;
  return Duration(std::max<int64_t>(0, *recovered_ms - *recovery_start_ms));
}

MeasureTracker::MeasureTracker(const Playbook& pb, const Inventory& inv,
                               const std::vector<int>& blast_shards,
                               const std::vector<int>& hypothesis_shards)
    : pb_(pb) {
  for (const Shard& s : inv.shards) {
    order_.push_back(s.id);
    ShardMeasure m;
    m.shard = s.id;
    m.in_blast_radius = std::count(blast_shards.begin(), blast_shards.end(), s.id) > 0;
    m.in_hypothesis = std::count(hypothesis_shards.begin(), hypothesis_shards.end(), s.id) > 0;
    measures_[s.id] = m;
  }
}

void MeasureTracker::FaultSent(const std::vector<const Node*>& nodes, int64_t unix_ms) {
  for (const Node* n : nodes) {
    ShardMeasure& m = measures_.at(n->shard);
    if (!m.first_fault_ms) m.first_fault_ms = unix_ms;
  }
}

void MeasureTracker::RecoveryStarted(int shard, int64_t unix_ms) {
  ShardMeasure& m = measures_.at(shard);
  if (!m.recovery_start_ms) m.recovery_start_ms = unix_ms;
}

void MeasureTracker::Recovered(int shard, int64_t unix_ms) {
  ShardMeasure& m = measures_.at(shard);
  if (m.recovery_start_ms && !m.recovered_ms) m.recovered_ms = unix_ms;
}

bool MeasureTracker::Sample(int shard, int64_t unix_ms, const SampleSummary& s) {
  Progress& p = progress_[shard];
  if (s.top > p.top) {
    if (p.top >= 0 || p.grew_ms < 0) p.grew_ms = unix_ms;
    p.top = s.top;
  }
  bool quorum = s.top >= 0 && pb_.quorum.Holds(s.normal_in_sync_power, s.total_power);
  bool growing = p.grew_ms >= 0 && unix_ms - p.grew_ms <= pb_.stuck.after.count();
  bool healthy = quorum && growing;
  ShardMeasure& m = measures_.at(shard);
  m.last_sample = s.Describe();
  if (!healthy && m.first_fault_ms && unix_ms >= *m.first_fault_ms && !m.detected_ms) {
    m.detected_ms = unix_ms;
  }
  // The 2019 trap: every node answers, yet they sit in view change and commit nothing.
  bool all_up = s.answering_power == s.total_power;
  if (!quorum && all_up && s.ViewTrouble() && m.first_fault_ms && !m.recovery_start_ms) {
    m.stuck_seen = true;
  }
  return healthy;
}

int64_t MeasureTracker::LastGrowthMs(int shard) const {
  auto it = progress_.find(shard);
  return it == progress_.end() ? -1 : it->second.grew_ms;
}

std::vector<ShardMeasure> MeasureTracker::All() const {
  std::vector<ShardMeasure> out;
  for (int id : order_) out.push_back(measures_.at(id));
  return out;
}

}  // namespace shardctl
