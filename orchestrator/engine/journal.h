// The journal: every action the engine takes, one JSON line each, on disk before the action is
// sent (write, fflush-equivalent, fsync). It is the audit trail, the source of the report, and
// what a later `resume` reads to re-attach instead of re-running.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace shardctl {

/// One line. Outcome "begin" is written before an action is sent; the same step's result
/// follows ("ok", "failed", ...). Run-wide lines have shard -1, shard-wide lines an empty node.
struct JournalEntry {
  int64_t unix_ms = 0;
  std::string run;
  int shard = -1;
  std::string node;
  std::string step;
  std::string outcome;
  std::string detail;
};

nlohmann::json JournalEntryToJson(const JournalEntry& e);
/// where: "FILE:LINE" for messages.
Result<JournalEntry> JournalEntryFromJson(const nlohmann::json& j, const std::string& where);

/// "2024-05-01T03:12:45.120Z".
std::string FormatUtc(int64_t unix_ms);
/// "20240501T031245Z-3fa9c1": sortable UTC time plus a random suffix.
std::string NewRunId(int64_t unix_ms);
/// $XDG_STATE_HOME/shardctl, else $HOME/.local/state/shardctl.
std::string DefaultStateDir();
/// STATE_DIR/runs/RUN_ID.jsonl
std::string JournalPath(const std::string& state_dir, const std::string& run_id);

/// Appends to one run's journal. Thread-safe: lines from many threads never interleave.
class Journal {
 public:
  /// Creates STATE_DIR/runs (mode 0700) and opens the run's file for appending.
  static Result<std::unique_ptr<Journal>> Open(const std::string& state_dir,
                                               const std::string& run_id, Clock& clock);
  /// A journal that writes nothing (status, plan: they only read). path() is empty.
  static std::unique_ptr<Journal> Disabled(Clock& clock);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Stamps time and run id, writes the line and fsyncs. An error means the line may not be on
  /// disk: the caller must not send the action it describes.
  Status Append(JournalEntry e);
  Status Record(int shard, const std::string& node, const std::string& step,
                const std::string& outcome, const std::string& detail = "");

  const std::string& path() const { return path_; }
  const std::string& run_id() const { return run_id_; }

 private:
  Journal(int fd, std::string path, std::string run_id, Clock& clock)
      : fd_(fd), path_(std::move(path)), run_id_(std::move(run_id)), clock_(clock) {}

  std::mutex mu_;
  int fd_;
  std::string path_;
  std::string run_id_;
  Clock& clock_;
};

/// Reads a journal back. A torn last line (crash mid-write) is skipped; any other bad line is
/// an error naming FILE:LINE.
Result<std::vector<JournalEntry>> ReadJournal(const std::string& path);

}  // namespace shardctl
