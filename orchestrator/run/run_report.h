// What every operation's report shares: the run's identity and times, and per shard its
// verdict, reason and timeline. Operations add their own fields (ops/*/..._report.h).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "run/journal_schema.h"

namespace shardctl {

/// The run as a whole, filled by the driver.
struct RunInfo {
  std::string command;  // "recover", "rolling-restart", ...
  std::string run_id;
  std::string network;
  std::string playbook;
  std::string journal_path;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  bool interrupted = false;  // stopped before its end; stop_reason says why
  std::string stop_reason;
};

struct TimelineEntry {
  int64_t unix_ms = 0;
  Duration elapsed{0};  // since the shard's task began
  std::string what;
};

/// One shard's outcome, common to every operation.
struct ShardResult {
  int shard = 0;
  Phase verdict = Phase::kPending;  // final: Healthy, AlreadyHealthy, GaveUp or Cancelled
  std::string reason;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  std::vector<std::string> replaced_binaries;  // failed verification; known-good copy restored
  std::vector<TimelineEntry> timeline;
};

/// "- run: `ID`\n- network: ...\n- started: ...\n- finished: ... (took)\n".
std::string RunInfoMarkdown(const RunInfo& r);
/// {"command", "run", "network", "playbook", "journal", "started", "finished", "interrupted",
/// "stop_reason"}.
nlohmann::json RunInfoToJson(const RunInfo& r);
/// The shard's timeline as a Markdown table.
std::string TimelineMarkdown(const std::vector<TimelineEntry>& timeline);
nlohmann::json TimelineToJson(const std::vector<TimelineEntry>& timeline);
/// Makes s safe inside a Markdown table cell.
std::string MarkdownCell(const std::string& s);

}  // namespace shardctl
