// What the journal of a wave-based run (rolling-restart, upgrade) says: the run header (enough
// to run it again) and, per node, how far its action got. Pure functions over journal entries;
// resume and retry decide from them what to touch.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "run/journal.h"

namespace shardctl {

/// The run header, journaled first (Step::kRun, Outcome::kHeader, detail: JSON).
struct RunHeader {
  std::string command = "rolling-restart";
  std::string inventory;  // absolute paths
  std::string playbook;
  std::vector<int> shards;         // selection as given
  std::vector<std::string> nodes;  // --node globs as given
  std::vector<std::string> only;   // exact node names (retry); empty: the selection decides
  std::string known_hosts;         // --known-hosts, if given
  bool accept_new_host_keys = false;
  std::string retry_of;  // run id whose failed and skipped nodes this run retries
  /// The operation's own flags, to run it again (upgrade: artifact, sha256, version).
  std::map<std::string, std::string> params;
};

std::string RunHeaderToJson(const RunHeader& h);
Result<RunHeader> RunHeaderFromJson(const std::string& text);

/// Where one node's action stands in a journal.
enum class NodeProgress {
  kNotStarted,
  kInFlight,  // begun, no verdict: the process died or was interrupted
  kDone,
  kFailed,
  kSkipped,  // the failure budget was spent before it was reached
};

struct NodeHistory {
  NodeProgress progress = NodeProgress::kNotStarted;
  std::optional<CommandId> last_command;  // the last command begun on it
  bool start_sent = false;                // a start was begun after the last stop
  std::string detail;                     // the verdict's detail (why it failed / was skipped)
};

struct RunJournal {
  std::optional<RunHeader> header;
  std::string run_id;
  bool finished = false;  // the run wrote its final line
  std::map<std::string, NodeHistory> nodes;

  std::vector<std::string> NodesIn(NodeProgress p) const;
};

/// Folds the entries of one run's journal (in order). Fails when there is no run header.
Result<RunJournal> ReadRunJournal(const std::vector<JournalEntry>& entries);

/// What resume does with a node, given its history and (for in-flight nodes) is_running now.
enum class ResumeAction {
  kLeave,        // done, failed or skipped: not touched again
  kRestart,      // never begun, or begun and still running before its stop took effect
  kStartAgain,   // stopped (or the start did not take): verify, start, wait for sync
  kWaitForSync,  // started and running: only wait until it is in sync
  kAskOperator,  // in flight and its state cannot be read: touch nothing
};

const char* ResumeActionName(ResumeAction a);

/// running: is_running's answer now (nullopt: unknown). Never restarts a node whose start went
/// out and that runs: that would restart it twice.
ResumeAction DecideResume(const NodeHistory& h, std::optional<bool> running);

}  // namespace shardctl
