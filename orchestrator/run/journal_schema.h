// The journal's vocabulary: what a line is about (Step), what it says happened (Outcome) and
// where a shard is (Phase), as types with one string mapping each. Every writer uses these and
// resume reads them back, so a typo cannot silently break resume.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "consensus/gate.h"
#include "model/playbook.h"

namespace shardctl {

/// What a journal line is about.
enum class Step {
  kRun,          // the run as a whole (shard -1): header, begin, end, window
  kPhase,        // a shard entered a phase; the outcome names it
  kShard,        // a shard's final verdict
  kAssess,       // a look at a shard before acting
  kConfirmDown,  // every stopped node reported down
  kSyncCheck,    // stored heights compared
  kGate,         // the consensus gate's verdict
  kWave,         // a wave of nodes began
  kNode,         // one node's whole node action (restart, upgrade, rollback): begin, done,
                 // failed, skipped, resume, rolled-back
  kLease,        // the run's leases on the nodes and etcd: held, took-over, lost
  kLockBreak,    // `shardctl lock break`: begin, ok, not-found
  kDrill,        // a drill as a whole: begin (detail: JSON), production, aborted, done (trend)
  kHypothesis,   // a drill's steady-state check of one shard: held or failed
  kFault,        // a drill fault on one node: begin (detail: the command), ok, failed
  kUndo,         // the undo of a drill fault on one node: begin, ok, failed
  kRecovery,     // a drill's recovery began (detail: its mode)
  kRollback,     // a drill's rollbacks: begin, done
  kStaging,      // upgrade: the release staged on every target (run line): ok, failed, partial
  kSoak,         // upgrade: a shard's canaries soaking (shard line): begin, ok, failed
  kExec,         // `shardctl exec` on one node: begin (detail: the command), ok, failed
  kCommand,      // one playbook command on one node; JournalStep::command says which
};

/// A step and, for kCommand, the playbook command. Converts implicitly from either, so a
/// writer says `Record(shard, node, Step::kNode, ...)` or `Record(shard, node, CommandId::kStop,
/// ...)`.
struct JournalStep {
  JournalStep() = default;
  JournalStep(Step s) : step(s) {}                                  // NOLINT(runtime/explicit)
  JournalStep(CommandId id) : step(Step::kCommand), command(id) {}  // NOLINT(runtime/explicit)
  bool operator==(const JournalStep& o) const {
    return step == o.step && (step != Step::kCommand || command == o.command);
  }

  Step step = Step::kRun;
  CommandId command = CommandId::kProbe;  // meaningful for kCommand only
};

/// Where a shard is in an operation, for every operation (journal kPhase and kShard lines,
/// events, reports). The last four are final verdicts.
enum class Phase {
  kPending,
  kAssess,          // looking at the shard before acting
  kStop,            // stopping every node of the shard (recover)
  kConfirmDown,     // waiting until every stopped node reports down
  kVerify,          // verifying binaries, restoring the known-good one
  kSyncCheck,       // comparing stored heights
  kStart,           // starting nodes
  kWave,            // a wave of nodes going through the node action (rolling, upgrade)
  kGate,            // waiting for the consensus gate
  kBackoff,         // waiting before the next whole-shard restart
  kHealthy,         // final: the operation reached its goal and the shard is healthy
  kAlreadyHealthy,  // final: healthy as found; left alone
  kGaveUp,          // final: the operation stopped short; the reason says why
  kCancelled,       // final: stopped by the operator or a journal failure
};

/// Healthy, AlreadyHealthy, GaveUp, Cancelled.
bool IsFinal(Phase p);

/// What happened, on every line but kPhase and kShard (which carry a Phase).
enum class Outcome {
  kBegin,  // written (and fsync'd) before the action is sent
  kOk,
  kFailed,
  kDone,
  kSkipped,
  kResume,          // resume re-assessed an interrupted node
  kHeader,          // the run header (detail: JSON)
  kResumed,         // a resumed run began again
  kFinished,        // the run reached its end
  kInterrupted,     // the run stopped early (operator, journal failure)
  kOutsideWindow,   // an emergency run outside the maintenance window
  kWindowOverride,  // planned work outside the window, with the operator's reason
  kSample,          // an assessment sample
  kPending,         // gate verdicts: still watching ...
  kHealthy,         // ... healthy
  kStuck,           // ... stuck in view change
  kHalted,          // ... no progress within the gate's time
  kHeld,            // leases: every lease the run needs is held
  kTookOver,        // ... an expired lease of another run was taken over
  kLost,            // ... a lease was lost: nothing new starts
  kNotFound,        // lock break: the run held nothing
  kProduction,      // a drill on a network not marked for drills, with the operator's reason
  kAborted,         // a drill's abort condition tripped (detail: which); rollbacks follow
  kPartial,         // staging failed on some nodes and --allow-partial left them out
  kRolledBack,      // a failed node was put back as it was (upgrade: previous binary) and is
                    // in sync again
  kRollbackFailed,  // ... putting it back failed, or it is not in sync afterwards
  kStaged,          // upgrade: the release was found staged already (verify_staged), not sent
};

/// What resume does with a node of an interrupted run (journaled on its "resume" line).
enum class ResumeAction {
  kLeave,        // done, failed or skipped: not touched again
  kRestart,      // never begun, or begun and still running before its stop took effect
  kStartAgain,   // stopped (or the start did not take): verify, start, wait for sync
  kWaitForSync,  // started and running: only wait until it is in sync
  kAskOperator,  // in flight and its state cannot be read: touch nothing
};

/// What an event tells whoever watches a run (run/events.h; "event" in -o json output).
enum class EventKind {
  kRunStarted,  // message: run id
  kPhase,       // a shard entered `phase`
  kNode,        // something about one node (node set), e.g. binary restored
  kWarning,     // something a person should read; node may be set
  kProgress,    // a gate/assess sample: height, nodes_up
  kShardDone,   // phase is final; message is the reason
  kRunDone,
};

/// The operation a run is: the run header's "command", the begin line's and the report's.
enum class OperationKind {
  kRecover,
  kRollingRestart,
  kUpgrade,
  kRollback,
  kDrill,
  kWatch,  // the watch loop itself (its recoveries are kRecover runs)
};

/// The one mapping to and from the journal's text (base/enum_names.h tables, in the .cc).
std::string StepName(const JournalStep& s);
std::optional<JournalStep> ParseStep(std::string_view text);
const char* OutcomeName(Outcome o);
std::optional<Outcome> ParseOutcome(std::string_view text);
const char* PhaseName(Phase p);
std::optional<Phase> ParsePhase(std::string_view text);
const char* OperationName(OperationKind k);
std::optional<OperationKind> ParseOperation(std::string_view text);
const char* ResumeActionName(ResumeAction a);
const char* EventKindName(EventKind k);
/// The journal's word for a gate verdict.
Outcome OutcomeOf(GateTracker::Verdict v);

}  // namespace shardctl
