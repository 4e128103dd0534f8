// The consensus gate: is a shard healthy, halted, or stuck in view change (docs/architecture.md)?
// Pure logic over probe samples; the caller does the probing and the waiting.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "consensus/node_status.h"
#include "consensus/sample.h"
#include "model/playbook.h"

namespace shardctl {

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

}  // namespace shardctl
