// One probe of every node of a shard, boiled down to what consensus judgements need.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "consensus/node_status.h"
#include "model/playbook.h"

namespace shardctl {

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
  /// "height 120, 3 of 5 power Normal in sync, 0 in view change, views {7,9}".
  std::string Describe() const;
};

SampleSummary Summarize(const std::vector<NodeStatus>& nodes, const ProbeMap& map, int max_lag);

/// Answering, in the normal mode, and within max_lag of the shard's top: the in-sync test every
/// judgement uses.
bool InSyncNormal(const NodeStatus& n, int64_t top, const ProbeMap& map, int max_lag);
/// The same with the playbook's probe map and gate.max_lag.
bool InSyncNormal(const NodeStatus& n, const SampleSummary& s, const Playbook& pb);

}  // namespace shardctl
