// The end of a run: what happened to each shard, when, and why; as Markdown (--report), JSON
// (--output json) and a short text summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "engine/events.h"

namespace shardctl {

struct TimelineEntry {
  int64_t unix_ms = 0;
  Duration elapsed{0};  // since the shard's recovery began
  std::string what;
};

struct ShardReport {
  int shard = 0;
  Phase verdict = Phase::kPending;  // final: Healthy, AlreadyHealthy, GaveUp or Cancelled
  std::string reason;
  int restarts = 0;  // whole-shard restarts done
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  Duration time_to_recover{0};  // start of recovery to healthy gate; 0 unless verdict Healthy
  int64_t height = -1;          // top height last seen
  std::vector<std::string> replaced_binaries;
  std::vector<std::string> far_behind;   // "s1-c (stored 120, best 900)"
  std::vector<std::string> unreachable;  // nodes left out because they could not be reached
  std::vector<TimelineEntry> timeline;

  bool healthy() const { return verdict == Phase::kHealthy || verdict == Phase::kAlreadyHealthy; }
};

struct RecoveryReport {
  std::string run_id;
  std::string network;
  std::string playbook;
  std::string journal_path;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  std::vector<ShardReport> shards;  // in the order they were scheduled

  /// Exit 0 only when this holds.
  bool AllHealthy() const;
};

std::string RenderMarkdownReport(const RecoveryReport& r);
nlohmann::json ReportToJson(const RecoveryReport& r);
/// A few lines per shard for the end of a text run.
std::string RenderTextSummary(const RecoveryReport& r);
/// "a, b, c"; "-" when empty.
std::string JoinOrDash(const std::vector<std::string>& v);
/// "1m05.3s", "850ms".
std::string FormatDuration(Duration d);

}  // namespace shardctl
