// The end of a drill: hypothesis before/after, blast radius, the choices made, per shard time to
// detect and time to recover, the timeline, and the trend over earlier runs of the same drill
// (read from their journals). As Markdown (--report), one JSON object (-o json) and a summary.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "ops/drill/drill_measures.h"
#include "ops/drill/drill_schema.h"

namespace shardctl {

struct DrillTimelineEntry {
  int64_t unix_ms = 0;
  Duration t{0};  // since the first step
  std::string what;
};

/// One earlier (or this) run of the drill, from the "drill" "done" line of its journal.
struct DrillTrendRow {
  std::string run_id;
  int64_t started_unix_ms = 0;
  uint64_t seed = 0;
  DrillOutcome outcome = DrillOutcome::kNotStarted;
  std::optional<Duration> mttr;  // the longest time to recover over its shards
};

struct DrillReport {
  std::string name;
  std::string drill_path;
  std::string run_id;
  std::string network;
  std::string playbook;
  std::string journal_path;
  std::string production_reason;  // "" unless --production
  uint64_t seed = 0;
  RecoveryMode recovery_mode = RecoveryMode::kRecover;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  std::optional<bool> hypothesis_before;  // nullopt: not checked
  std::optional<bool> hypothesis_after;
  std::vector<std::string> hypothesis_notes;  // per shard verdict lines
  std::string abort_reason;                   // "" unless aborted
  DrillOutcome outcome = DrillOutcome::kNotStarted;
  std::vector<std::string> blast_lines;
  std::vector<std::string> choices;
  std::vector<std::string> rollbacks;  // what the rollbacks did
  std::vector<ShardMeasure> shards;
  std::vector<DrillTimelineEntry> timeline;
  std::vector<DrillTrendRow> trend;  // earlier runs, oldest first, then this one

  std::optional<Duration> Mttr() const;
};

std::string RenderDrillMarkdown(const DrillReport& r);
nlohmann::json DrillReportToJson(const DrillReport& r);
/// A few lines for the end of a text run.
std::string RenderDrillSummary(const DrillReport& r);

/// The detail of the journal's closing "drill" "done" line: what the trend table reads back.
std::string TrendDetail(const DrillReport& r);
/// Earlier runs of drill `name` from STATE_DIR/runs/*.jsonl (unreadable journals are skipped),
/// oldest first, without run `skip_run`.
std::vector<DrillTrendRow> ReadDrillTrend(const std::string& state_dir, const std::string& name,
                                          const std::string& skip_run);

}  // namespace shardctl
