// The journal: every action a run takes, one JSON line each, on disk before the action is sent
// (write, then fsync). It is the audit trail, the source of the report, and what a later
// `resume` reads to re-attach instead of re-running. Vocabulary: run/journal_schema.h.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/append_file.h"
#include "base/clock.h"
#include "base/status.h"
#include "run/journal_schema.h"

namespace shardctl {

/// One line. kBegin is written before an action is sent; the same step's result follows.
/// Run-wide lines have shard -1, shard-wide lines an empty node. kPhase and kShard lines carry
/// `phase` in place of `outcome`.
struct JournalEntry {
  int64_t unix_ms = 0;
  std::string run;
  int shard = -1;
  std::string node;
  JournalStep step;
  Outcome outcome = Outcome::kOk;
  Phase phase = Phase::kPending;
  std::string detail;

  /// The line's "outcome" text: the phase's name on kPhase/kShard lines, else the outcome's.
  std::string OutcomeText() const;
};

/// The line as written ("time", "unix_ms", "run", "shard", "node", "step", "outcome",
/// "detail"); never throws (bad UTF-8 is replaced).
std::string JournalLine(const JournalEntry& e);
/// Parses one line; where ("FILE:LINE") prefixes errors, which name the field and what was
/// expected (an unknown step or outcome too).
Result<JournalEntry> ParseJournalLine(const std::string& line, const std::string& where);

/// "20240501T031245Z-3fa9c1": sortable UTC time plus a random suffix.
std::string NewRunId(int64_t unix_ms);
/// $XDG_STATE_HOME/shardctl (if absolute), else HOME/.local/state/shardctl where HOME is $HOME
/// if absolute, else the user's home in the password database; "" when none is absolute.
std::string DefaultStateDir();
/// STATE_DIR/runs/RUN_ID.jsonl
std::string JournalPath(const std::string& state_dir, const std::string& run_id);

/// Appends to one run's journal. Thread-safe: lines from many threads never interleave.
/// A failed write is sticky: failed() turns true and stays so, and the run starts nothing new.
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
  Status Record(int shard, const std::string& node, JournalStep step, Outcome outcome,
                const std::string& detail = "");
  /// Record for a line that follows what it describes (an outcome, a sample): nothing waits on it,
  /// so a failed write is only kept in failure(), which stops the run before its next action.
  void Note(int shard, const std::string& node, JournalStep step, Outcome outcome,
            const std::string& detail = "");
  /// A kPhase or kShard line.
  Status RecordPhase(int shard, Step step, Phase phase, const std::string& detail);

  /// The first write error, if any ("" when every write succeeded).
  std::string failure() const;
  bool failed() const { return !failure().empty(); }
  const std::string& path() const { return path_; }
  const std::string& run_id() const { return run_id_; }

 private:
  Journal(std::unique_ptr<AppendFile> file, std::string path, std::string run_id, Clock& clock)
      : file_(std::move(file)), path_(std::move(path)), run_id_(std::move(run_id)), clock_(clock) {}

  const std::unique_ptr<AppendFile> file_;  // null: disabled
  const std::string path_;
  const std::string run_id_;
  Clock& clock_;
  mutable std::mutex mu_;  // guards failure_
  std::string failure_;    // GUARDED_BY(mu_)
};

/// The largest journal ReadJournal accepts (64 MiB, ~300,000 lines).
inline constexpr size_t kMaxJournalBytes = size_t{64} << 20;

/// Reads a journal back (a regular file of at most kMaxJournalBytes). A torn last line (crash
/// mid-write) is skipped; any other bad line is an error naming FILE:LINE.
Result<std::vector<JournalEntry>> ReadJournal(const std::string& path);
/// ReadJournal on text already read; path is only used in messages.
Result<std::vector<JournalEntry>> ParseJournalText(const std::string& text,
                                                   const std::string& path);

}  // namespace shardctl
