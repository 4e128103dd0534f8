// The end of a rolling restart: per shard which nodes were restarted, which failed (and why),
// which were skipped or not reached; as text, Markdown (--report) and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "engine/events.h"

namespace shardctl {

struct RollingShardReport {
  int shard = 0;
  Phase verdict = Phase::kPending;  // Healthy (all selected nodes done), GaveUp, Cancelled
  std::string reason;
  std::vector<std::vector<std::string>> waves;  // as run
  std::vector<std::string> done;
  std::vector<std::pair<std::string, std::string>> failed;  // node, why
  std::vector<std::string> skipped;      // budget spent or the shard refused before reaching them
  std::vector<std::string> not_started;  // interrupted before reaching them (resume does them)
  std::vector<std::string> replaced_binaries;
  Duration longest_stall{0};  // longest time the shard's top height stood still, as probed
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
};

struct RollingReport {
  std::string run_id;
  std::string network;
  std::string playbook;
  std::string journal_path;
  int failure_budget = 0;
  int failures = 0;
  bool cancelled = false;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  std::vector<RollingShardReport> shards;

  /// Every selected node restarted, nothing failed, skipped or left (every shard kHealthy).
  bool AllDone() const;
  bool BudgetSpent() const { return failures > failure_budget; }
};

std::string RenderRollingText(const RollingReport& r);
std::string RenderRollingMarkdown(const RollingReport& r);
nlohmann::json RollingReportToJson(const RollingReport& r);

}  // namespace shardctl
