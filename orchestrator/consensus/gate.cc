#include "consensus/gate.h"

#include <algorithm>

#include "base/text.h"

namespace shardctl {
namespace {

std::string Seconds(Duration d) { return FormatDuration(d); }

}  // namespace

GateTracker::GateTracker(const Playbook& pb, int64_t baseline, TimePoint start)
    : pb_(pb), baseline_(baseline), start_(start) {}

GateTracker::Verdict GateTracker::Add(TimePoint now, const std::vector<NodeStatus>& nodes) {
  last_ = Summarize(nodes, pb_.probe, pb_.gate.max_lag);
  if (baseline_ < 0) baseline_ = last_.top;
  bool progress = best_top_ >= 0 && last_.top > best_top_;
  best_top_ = std::max(best_top_, last_.top);
  if (Healthy() == Verdict::kHealthy) return Verdict::kHealthy;
  if (progress || !last_.ViewTrouble()) {
    trouble_since_.reset();
  } else if (!trouble_since_) {
    trouble_since_ = now;
  }
  if (Stuck(now) == Verdict::kStuck) return Verdict::kStuck;
  if (now - start_ >= pb_.gate.within) return Halted();
  return Verdict::kPending;
}

GateTracker::Verdict GateTracker::Healthy() {
  int quorum = pb_.quorum.Required(last_.total_power);
  if (baseline_ < 0 || last_.top < baseline_ + pb_.gate.min_new_blocks) return Verdict::kPending;
  if (last_.normal_in_sync_power < quorum) return Verdict::kPending;
  reason_ = "+" + std::to_string(last_.top - baseline_) + " blocks; " + last_.Describe();
  return Verdict::kHealthy;
}

GateTracker::Verdict GateTracker::Stuck(TimePoint now) {
  if (!trouble_since_ || now - *trouble_since_ < pb_.stuck.after) return Verdict::kPending;
  reason_ = "stuck in view change for " + Seconds(now - *trouble_since_) + ": " + last_.Describe();
  return Verdict::kStuck;
}

GateTracker::Verdict GateTracker::Halted() {
  int64_t grown = baseline_ < 0 ? 0 : best_top_ - baseline_;
  if (last_.nodes_answering == 0) {
    reason_ = "no node answered the probe within " + Seconds(pb_.gate.within);
  } else if (grown <= 0) {
    reason_ = "halted: no new block within " + Seconds(pb_.gate.within) + "; " + last_.Describe();
  } else {
    reason_ = "not healthy within " + Seconds(pb_.gate.within) + ": +" + std::to_string(grown) +
              " of " + std::to_string(pb_.gate.min_new_blocks) + " blocks; " + last_.Describe();
  }
  return Verdict::kHalted;
}

}  // namespace shardctl
