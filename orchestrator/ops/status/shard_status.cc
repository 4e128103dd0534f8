#include "ops/status/shard_status.h"

#include <algorithm>
#include <cstdio>

#include "base/text.h"
#include "consensus/gate.h"
#include "run/context.h"
#include "run/node_ops.h"
#include "run/wait.h"

namespace shardctl {
namespace {

std::string Views(const std::set<int64_t>& ids) {
  std::string out;
  for (int64_t v : ids) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out.empty() ? "-" : out;
}

ShardStatus Boil(const Shard& shard, const Playbook& pb, const std::vector<NodeStatus>& before,
                 const std::vector<NodeStatus>& after, Duration interval) {
  SampleSummary a = Summarize(before, pb.probe, pb.gate.max_lag);
  SampleSummary b = Summarize(after, pb.probe, pb.gate.max_lag);
  ShardStatus s;
  s.shard = shard.id;
  s.height = b.top;
  s.blocks_in_interval = (a.top < 0 || b.top < 0) ? 0 : b.top - a.top;
  s.interval = interval;
  s.nodes_up = b.nodes_answering;
  s.nodes_total = static_cast<int>(shard.nodes.size());
  s.nodes_in_sync = b.nodes_in_sync;
  s.normal_power = b.normal_in_sync_power;
  s.total_power = b.total_power;
  s.quorum_power = pb.quorum.Required(b.total_power);
  s.view_ids = b.view_ids;
  s.verdict =
      JudgeShard(s.blocks_in_interval, s.normal_power, s.quorum_power, s.nodes_up, b.ViewTrouble());
  s.nodes = after;
  return s;
}

}  // namespace

std::vector<ShardStatus> CollectStatus(const Inventory& inv, const Playbook& pb,
                                       Transport& transport, Clock& clock,
                                       const CancelToken& cancel, const std::vector<int>& shards,
                                       Duration interval) {
  ReadOnlyContext ro(inv, pb, transport, clock, &cancel);
  auto before = ProbeShards(ro.get(), shards, false);
  TimePoint t0 = clock.Now();
  // Ctrl-C ends the wait early; the second sample still comes, so status always answers.
  PauseUnlessStopping(ro.get(), interval);
  auto after = ProbeShards(ro.get(), shards, true);
  std::vector<ShardStatus> result;
  for (size_t i = 0; i < shards.size(); ++i) {
    result.push_back(Boil(*inv.FindShard(shards[i]), pb, before[i], after[i], clock.Now() - t0));
  }
  return result;
}

std::string RenderStatusText(const std::vector<ShardStatus>& st, bool verbose) {
  std::string out =
      "shard   height  +blocks/interval  up     in-sync  normal-power  views       verdict\n";
  for (const ShardStatus& s : st) {
    char buf[256];
    std::string blocks = std::to_string(s.blocks_in_interval) + "/" + FormatDuration(s.interval);
    std::string power = std::to_string(s.normal_power) + "/" + std::to_string(s.total_power) +
                        " (q " + std::to_string(s.quorum_power) + ")";
    std::snprintf(buf, sizeof buf, "%5d  %7s  %16s  %2d/%-3d  %7d  %12s  %-10s  %s\n", s.shard,
                  s.height < 0 ? "?" : std::to_string(s.height).c_str(), blocks.c_str(), s.nodes_up,
                  s.nodes_total, s.nodes_in_sync, power.c_str(), Views(s.view_ids).c_str(),
                  ShardVerdictName(s.verdict));
    out += buf;
    if (!verbose) continue;
    for (const NodeStatus& n : s.nodes) {
      std::string line = "         " + n.node + ": ";
      if (n.answered) {
        line += "height " + std::to_string(n.fields.height) + ", " + n.fields.mode;
        if (n.fields.view_id) line += ", view " + std::to_string(*n.fields.view_id);
        if (n.fields.leader.value_or(false)) line += ", leader";
      } else {
        line += (n.running == false ? "stopped; " : "") + n.error;
      }
      out += line + "\n";
    }
  }
  return out;
}

nlohmann::json StatusToJson(const std::vector<ShardStatus>& st) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardStatus& s : st) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const NodeStatus& n : s.nodes) {
      nlohmann::json j = {{"node", n.node}, {"reachable", n.reachable}, {"answered", n.answered}};
      if (n.running) j["running"] = *n.running;
      if (n.answered) {
        j["height"] = n.fields.height;
        j["mode"] = n.fields.mode;
        if (n.fields.view_id) j["view_id"] = *n.fields.view_id;
        if (n.fields.view_change_id) j["view_change_id"] = *n.fields.view_change_id;
        if (n.fields.leader) j["leader"] = *n.fields.leader;
      }
      if (!n.error.empty()) j["error"] = n.error;
      nodes.push_back(j);
    }
    shards.push_back({{"shard", s.shard},
                      {"height", s.height},
                      {"blocks_in_interval", s.blocks_in_interval},
                      {"interval_ms", s.interval.count()},
                      {"nodes_up", s.nodes_up},
                      {"nodes_total", s.nodes_total},
                      {"nodes_in_sync", s.nodes_in_sync},
                      {"normal_power", s.normal_power},
                      {"total_power", s.total_power},
                      {"quorum_power", s.quorum_power},
                      {"view_ids", s.view_ids},
                      {"verdict", ShardVerdictName(s.verdict)},
                      {"nodes", nodes}});
  }
  return {{"shards", shards}};
}

}  // namespace shardctl
