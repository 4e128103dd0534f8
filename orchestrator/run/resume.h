// What the journal of a run with a header (rolling-restart, upgrade, rollback, a recover that
// watch started) says: the run header (enough to run it again) and, per node, how far its action
// got. Pure functions over journal entries; resume and retry decide from them what to touch.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "run/journal.h"

namespace shardctl {

/// An upgrade's release, as its run was started (the header's "params"): enough to fetch and
/// check it again on resume.
struct ReleaseParams {
  std::string artifact;  // --artifact FILE|URL
  std::string sha256;    // --sha256
  std::string version;   // --version, or ""
  bool allow_partial = false;
  bool stage_only = false;  // --stage-only: the run stages and verifies, and restarts nothing
};

/// A recover run that `watch` started (its runs carry a header so that resume finishes them).
struct RecoverParams {
  std::string started_by;  // "watch"
  std::string why;         // the decision that started it
  std::string resume_of;   // the interrupted run it finishes, or ""
};

/// The run header, journaled first (Step::kRun, Outcome::kHeader, detail: JSON).
struct RunHeader {
  OperationKind command = OperationKind::kRollingRestart;
  std::string inventory;  // absolute paths
  std::string playbook;
  std::vector<int> shards;         // selection as given
  std::vector<std::string> nodes;  // --node globs as given
  std::vector<std::string> only;   // exact node names (retry); empty: the selection decides
  std::string known_hosts;         // --known-hosts, if given
  bool accept_new_host_keys = false;
  std::string retry_of;     // run id whose failed and skipped nodes this run retries
  std::string rollback_of;  // rollback: the upgrade run whose nodes it puts back
  ReleaseParams release;    // upgrade: the release
  RecoverParams recover;    // recover: who started it and why
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

/// Reads STATE_DIR/runs/RUN_ID.jsonl. An empty run_id picks the newest run with a header
/// (wave-based, or a recover that watch started) that did not finish (unfinished_only: resume)
/// or the newest such run at all (retry); a journal
/// met on the way that cannot be read is an error naming its file and line, never skipped.
Result<RunJournal> FindRun(const std::string& state_dir, const std::string& run_id,
                           bool unfinished_only);

/// What a new run does with an earlier run's nodes: which operation (from the header, as a
/// type), with which files and selection, on which nodes.
struct RunPlan {
  RunHeader header;  // the run to start: the earlier one's, with only/retry_of/rollback_of set
  std::string resume_run_id;                     // resume: continue this run, in its journal
  std::set<std::string> leave;                   // resume: done, failed or skipped: not touched
  std::map<std::string, NodeHistory> in_flight;  // resume: interrupted mid-action
  std::set<std::string> done_before;  // resume: nodes the run finished (an upgrade's canaries)
};

/// Resume: the same operation from where it stopped. An error when the run finished.
Result<RunPlan> PlanResume(const RunJournal& run);
/// Retry: a rolling restart of a finished rolling restart's failed and skipped nodes
/// (header.only; empty when it has none). An error for an unfinished run, or an upgrade or
/// rollback (retrying would restart their failed nodes on the old binary).
Result<RunPlan> PlanRetry(const RunJournal& run);
/// Rollback: the previous binary back on every node an upgrade run upgraded (header.only; empty
/// when it upgraded none). An error when the run is not an upgrade.
Result<RunPlan> PlanRollback(const RunJournal& run);

/// running: is_running's answer now (nullopt: unknown). Never restarts a node whose start went
/// out and that runs: that would restart it twice.
ResumeAction DecideResume(const NodeHistory& h, std::optional<bool> running);

}  // namespace shardctl
