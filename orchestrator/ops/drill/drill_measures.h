// What a drill measures per shard, from the probe samples taken while it runs: when the outage
// showed (time to detect), whether the shard was seen stuck in view change, and when it was back
// (time to recover). Pure; the drill feeds it samples and the times of its own steps.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "consensus/sample.h"
#include "model/inventory.h"
#include "model/playbook.h"

namespace shardctl {

struct ShardMeasure {
  int shard = 0;
  bool in_blast_radius = false;
  bool in_hypothesis = false;
  std::optional<int64_t> first_fault_ms;     // first step that touched the shard (unix ms)
  std::optional<int64_t> detected_ms;        // first sample after it that saw it unhealthy
  std::optional<int64_t> recovery_start_ms;  // recovery began (or this shard's recover did)
  std::optional<int64_t> recovered_ms;       // the gate passed again after that
  bool stuck_seen = false;  // before recovery: every node up, yet no quorum, in view change
  int restarts = 0;         // whole-shard restarts by recovery and rollbacks
  std::vector<std::string> replaced_binaries;
  std::string last_sample;  // SampleSummary::Describe of the last sample

  std::optional<Duration> TimeToDetect() const;
  std::optional<Duration> TimeToRecover() const;
};

/// Feeds samples of every shard; not thread-safe (the drill holds a lock around it).
class MeasureTracker {
 public:
  MeasureTracker(const Playbook& pb, const Inventory& inv, const std::vector<int>& blast_shards,
                 const std::vector<int>& hypothesis_shards);

  /// A step touched these nodes at unix_ms.
  void FaultSent(const std::vector<const Node*>& nodes, int64_t unix_ms);
  /// Recovery of the shard began at unix_ms.
  void RecoveryStarted(int shard, int64_t unix_ms);
  /// The gate passed for the shard at unix_ms.
  void Recovered(int shard, int64_t unix_ms);
  /// One sample of a shard. Returns true when it is healthy: a quorum of its power Normal and
  /// in sync, and its top grew within the playbook's stuck.after.
  bool Sample(int shard, int64_t unix_ms, const SampleSummary& s);
  /// unix ms of the shard's last new block seen (-1: none yet).
  int64_t LastGrowthMs(int shard) const;

  ShardMeasure& measure(int shard) { return measures_.at(shard); }
  std::vector<ShardMeasure> All() const;  // inventory order

 private:
  struct Progress {
    int64_t top = -1;
    int64_t grew_ms = -1;
  };
  const Playbook& pb_;
  std::vector<int> order_;
  std::map<int, ShardMeasure> measures_;
  std::map<int, Progress> progress_;
};

}  // namespace shardctl
