// The watch journal: STATE_DIR/watch/NETWORK.jsonl, one JSON line per state change, decision
// (taken or held, with the guardrail), recovery run, alert and control command, fsync'd. It is
// the audit trail, the source of `watch report`, and the control channel: `watch pause`,
// `resume` and `approve` (and the page's button) append their line to it and every watcher of
// that state dir reads it, so they work from any shell, with or without --listen.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/append_file.h"
#include "base/clock.h"
#include "base/status.h"
#include "ops/watch/watch_schema.h"
#include "run/journal_schema.h"

namespace shardctl {

/// One line. Fields beyond event/shard/detail are written only where they apply.
struct WatchEntry {
  int64_t unix_ms = 0;
  std::string watcher{};  // "user@host pid N" of the writer
  WatchEvent event = WatchEvent::kStart;
  int shard = -1;  // -1: the whole network
  std::string detail{};
  // kState
  ShardState from = ShardState::kUnknown;
  ShardState to = ShardState::kUnknown;
  int64_t last_block_unix_ms = 0;
  // kDecision: acted, or held by a guardrail
  bool acted = false;
  std::optional<Guardrail> guardrail{};
  // kDecision (acted) and kRecovery: the recovery run; kRecovery end lines carry its result
  std::string run_id{};
  std::optional<Phase> result{};
  // kAlert
  std::optional<AlertName> alert{};
  bool resolved = false;
  // kRole
  std::optional<WatchRole> role{};
};

std::string WatchEntryLine(const WatchEntry& e);
/// Errors name where ("FILE:LINE") and the field.
Result<WatchEntry> ParseWatchEntry(const std::string& line, const std::string& where);

/// STATE_DIR/watch/NETWORK.jsonl
std::string WatchJournalPath(const std::string& state_dir, const std::string& network);
/// "user@host pid N": who writes a line.
std::string ThisWatcher();

/// Appends lines. Thread-safe. A failed write is kept (failure()) and makes the watcher stop
/// acting: an action it cannot journal is never taken.
class WatchJournal {
 public:
  /// Creates STATE_DIR/watch (mode 0700) and opens the network's journal for appending.
  static Result<std::unique_ptr<WatchJournal>> Open(const std::string& state_dir,
                                                    const std::string& network, Clock& clock);
  /// Stamps time and writer, writes and fsyncs.
  Status Append(WatchEntry e);
  bool failed() const;
  std::string failure() const;
  const std::string& path() const { return file_->path(); }

 private:
  WatchJournal(std::unique_ptr<AppendFile> file, Clock& clock)
      : file_(std::move(file)), clock_(clock) {}

  const std::unique_ptr<AppendFile> file_;
  Clock& clock_;
  const std::string watcher_ = ThisWatcher();
  mutable std::mutex mu_;  // guards failure_
  std::string failure_;
};

/// Reads the lines a journal holds from *offset on (0: the start), and moves *offset past the
/// last whole line. A line being written (no newline yet) is left for the next read; a line
/// that does not parse is an error naming FILE:LINE. A missing file reads as empty.
Result<std::vector<WatchEntry>> ReadWatchJournalFrom(const std::string& path, uint64_t* offset);

}  // namespace shardctl
