// The end of a wave-based run (rolling-restart, upgrade): per shard which nodes went through
// the action, which failed (and why), which were skipped or not reached; as text, Markdown
// (--report) and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "run/run_report.h"

namespace shardctl {

struct WaveShardReport : ShardResult {
  std::vector<std::vector<std::string>> waves;  // as run
  std::vector<std::string> done;
  std::vector<std::pair<std::string, std::string>> failed;  // node, why
  std::vector<std::string> skipped;      // budget spent or the shard refused before reaching them
  std::vector<std::string> not_started;  // interrupted before reaching them (resume does them)
  /// Failed nodes the action put back as they were (node, how it went: in sync or why not).
  std::vector<std::pair<std::string, std::string>> rolled_back;
  Duration longest_stall{0};  // longest time the shard's top height stood still, as probed
};

struct WaveReport {
  RunInfo run;
  std::string verb = "restarted";  // what the action did to a node, for people
  int failure_budget = 0;
  int failures = 0;
  std::vector<WaveShardReport> shards;

  /// Every selected node done, nothing failed, skipped or left (every shard kHealthy).
  bool AllDone() const;
  bool BudgetSpent() const { return failures > failure_budget; }
};

std::string RenderWaveText(const WaveReport& r);
std::string RenderWaveMarkdown(const WaveReport& r);
nlohmann::json WaveReportToJson(const WaveReport& r);

}  // namespace shardctl
