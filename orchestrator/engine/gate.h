// The consensus gate (design.md section 5): is a shard healthy, halted, or stuck in view change?
// Pure logic over probe samples; the caller does the probing and the waiting.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "engine/node_status.h"
#include "model/playbook.h"

namespace shardctl {

/// One sample of a shard, boiled down.
struct SampleSummary {
  int64_t top = -1;  // highest height any node reported; -1: nobody answered
  int total_power = 0;
  int answering_power = 0;
  int normal_in_sync_power = 0;  // mode Normal and within max_lag of top
  int nodes_answering = 0;
  int nodes_in_sync = 0;
  int nodes_view_changing = 0;
  std::set<int64_t> view_ids;

  /// Answering nodes are in view change, or disagree on the view.
  bool ViewTrouble() const { return nodes_view_changing > 0 || view_ids.size() > 1; }
  /// "3 of 5 power Normal in sync, views {7,9}".
  std::string Describe() const;
};

SampleSummary Summarize(const std::vector<NodeStatus>& nodes, const ProbeMap& map, int max_lag);

/// Feeds samples taken after a (re)start and says when the shard is healthy, stuck or halted.
/// Not thread-safe; one per gate.
class GateTracker {
 public:
  enum class Verdict { kPending, kHealthy, kStuck, kHalted };

  /// baseline: the height the top must grow from (-1: the first answered sample's top).
  GateTracker(const Playbook& pb, int64_t baseline, TimePoint start);

  Verdict Add(TimePoint now, const std::vector<NodeStatus>& nodes);
  /// Why the last verdict was reached (for reports and the journal).
  const std::string& reason() const { return reason_; }
  const SampleSummary& last() const { return last_; }
  int64_t baseline() const { return baseline_; }

 private:
  Verdict Healthy();
  Verdict Stuck(TimePoint now);
  Verdict Halted();

  const Playbook& pb_;
  int64_t baseline_;
  TimePoint start_;
  int64_t best_top_ = -1;
  std::optional<TimePoint> trouble_since_;
  SampleSummary last_;
  std::string reason_;
};

const char* VerdictName(GateTracker::Verdict v);

}  // namespace shardctl
