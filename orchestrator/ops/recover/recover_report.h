// The end of a recover run: what happened to each shard, when, and why; as Markdown (--report),
// JSON (--output json) and a short text summary.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "run/run_report.h"

namespace shardctl {

struct ShardReport : ShardResult {
  int restarts = 0;             // whole-shard restarts done
  Duration time_to_recover{0};  // start of recovery to healthy gate; 0 unless verdict Healthy
  int64_t height = -1;          // top height last seen
  std::vector<std::string> far_behind;   // "s1-c (stored 120, best 900)"
  std::vector<std::string> unreachable;  // nodes left out because they could not be reached

  bool healthy() const { return verdict == Phase::kHealthy || verdict == Phase::kAlreadyHealthy; }
};

struct RecoveryReport {
  RunInfo run;
  std::vector<ShardReport> shards;  // in the order they were scheduled

  /// Exit 0 only when this holds.
  bool AllHealthy() const;
};

std::string RenderMarkdownReport(const RecoveryReport& r);
nlohmann::json ReportToJson(const RecoveryReport& r);
/// A few lines per shard for the end of a text run.
std::string RenderTextSummary(const RecoveryReport& r);

}  // namespace shardctl
