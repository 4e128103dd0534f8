#include "consensus/sample.h"

#include <algorithm>

namespace shardctl {

bool InSyncNormal(const NodeStatus& n, int64_t top, const ProbeMap& map, int max_lag) {
  return n.answered && n.fields.mode == map.normal_mode && top - n.fields.height <= max_lag;
}

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
    if (s.top - n.fields.height <= max_lag) s.nodes_in_sync++;
    if (InSyncNormal(n, s.top, map, max_lag)) s.normal_in_sync_power += n.power;
    if (n.fields.mode == map.view_changing_mode) s.nodes_view_changing++;
    if (n.fields.view_id) s.view_ids.insert(*n.fields.view_id);
  }
  return s;
}

bool InSyncNormal(const NodeStatus& n, const SampleSummary& s, const Playbook& pb) {
  return InSyncNormal(n, s.top, pb.probe, pb.gate.max_lag);
}

}  // namespace shardctl
