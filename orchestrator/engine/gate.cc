#include "engine/gate.h"

#include <algorithm>

#include "engine/report.h"

namespace shardctl {
namespace {

std::string Seconds(Duration d) { return FormatDuration(d); }

}  // namespace

std::string SampleSummary::Describe() const {
  std::string views;
  for (int64_t v : view_ids) views += (views.empty() ? "" : ",") + std::to_string(v);
  return "height " + std::to_string(top) + ", " + std::to_string(normal_in_sync_power) + " of " +
         std::to_string(total_power) + " power Normal in sync, " +
         std::to_string(nodes_view_changing) + " in view change, views {" + views + "}";
}

SampleSummary Summarize(const std::vector<NodeStatus>& nodes, const ProbeMap& map, int max_lag) {
  SampleSummary s;
  for (const NodeStatus& n : nodes) {
    s.total_power += n.power;
    if (!n.answered) continue;
    s.top = std::max(s.top, n.fields.height);
  }
  for (const NodeStatus& n : nodes) {
    if (!n.answered) continue;
    s.nodes_answering++;
    s.answering_power += n.power;
    bool in_sync = s.top - n.fields.height <= max_lag;
    if (in_sync) s.nodes_in_sync++;
    if (in_sync && n.fields.mode == map.normal_mode) s.normal_in_sync_power += n.power;
    if (n.fields.mode == map.view_changing_mode) s.nodes_view_changing++;
    if (n.fields.view_id) s.view_ids.insert(*n.fields.view_id);
  }
  return s;
}

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

const char* VerdictName(GateTracker::Verdict v) {
  switch (v) {
    case GateTracker::Verdict::kPending:
      return "pending";
    case GateTracker::Verdict::kHealthy:
      return "healthy";
    case GateTracker::Verdict::kStuck:
      return "stuck";
    case GateTracker::Verdict::kHalted:
      return "halted";
  }
  return "?";
}

}  // namespace shardctl
