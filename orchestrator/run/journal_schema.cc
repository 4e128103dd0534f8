#include "run/journal_schema.h"

#include "base/enum_names.h"

namespace shardctl {
namespace {

// Each table is the only place its words are spelled.
constexpr EnumNames<Step, 20> kSteps{{
    {Step::kRun, "run"},
    {Step::kPhase, "phase"},
    {Step::kShard, "shard"},
    {Step::kAssess, "assess"},
    {Step::kConfirmDown, "confirm-down"},
    {Step::kSyncCheck, "sync-check"},
    {Step::kGate, "gate"},
    {Step::kWave, "wave"},
    {Step::kNode, "node"},
    {Step::kLease, "lease"},
    {Step::kLockBreak, "lock-break"},
    {Step::kDrill, "drill"},
    {Step::kHypothesis, "hypothesis"},
    {Step::kFault, "fault"},
    {Step::kUndo, "undo"},
    {Step::kRecovery, "recovery"},
    {Step::kRollback, "rollbacks"},  // not "rollback": that is the upgrade's playbook command
    {Step::kStaging, "staging"},
    {Step::kSoak, "soak"},
    {Step::kExec, "exec"},
}};

constexpr EnumNames<Outcome, 27> kOutcomes{{
    {Outcome::kBegin, "begin"},
    {Outcome::kOk, "ok"},
    {Outcome::kFailed, "failed"},
    {Outcome::kDone, "done"},
    {Outcome::kSkipped, "skipped"},
    {Outcome::kResume, "resume"},
    {Outcome::kHeader, "header"},
    {Outcome::kResumed, "resumed"},
    {Outcome::kFinished, "finished"},
    {Outcome::kInterrupted, "interrupted"},
    {Outcome::kOutsideWindow, "outside-window"},
    {Outcome::kWindowOverride, "window-override"},
    {Outcome::kSample, "sample"},
    {Outcome::kPending, "pending"},
    {Outcome::kHealthy, "healthy"},
    {Outcome::kStuck, "stuck"},
    {Outcome::kHalted, "halted"},
    {Outcome::kHeld, "held"},
    {Outcome::kTookOver, "took-over"},
    {Outcome::kLost, "lost"},
    {Outcome::kNotFound, "not-found"},
    {Outcome::kProduction, "production"},
    {Outcome::kAborted, "aborted"},
    {Outcome::kPartial, "partial"},
    {Outcome::kRolledBack, "rolled-back"},
    {Outcome::kRollbackFailed, "rollback-failed"},
    {Outcome::kStaged, "staged"},
}};

constexpr EnumNames<Phase, 14> kPhases{{
    {Phase::kPending, "pending"},
    {Phase::kAssess, "assess"},
    {Phase::kStop, "stop"},
    {Phase::kConfirmDown, "confirm-down"},
    {Phase::kVerify, "verify"},
    {Phase::kSyncCheck, "sync-check"},
    {Phase::kStart, "start"},
    {Phase::kWave, "wave"},
    {Phase::kGate, "gate"},
    {Phase::kBackoff, "backoff"},
    {Phase::kHealthy, "healthy"},
    {Phase::kAlreadyHealthy, "already-healthy"},
    {Phase::kGaveUp, "gave-up"},
    {Phase::kCancelled, "cancelled"},
}};

constexpr EnumNames<OperationKind, 6> kOperations{{
    {OperationKind::kRecover, "recover"},
    {OperationKind::kRollingRestart, "rolling-restart"},
    {OperationKind::kUpgrade, "upgrade"},
    {OperationKind::kRollback, "rollback"},
    {OperationKind::kDrill, "drill"},
    {OperationKind::kWatch, "watch"},
}};

constexpr EnumNames<ResumeAction, 5> kResumeActions{{
    {ResumeAction::kLeave, "leave"},
    {ResumeAction::kRestart, "restart"},
    {ResumeAction::kStartAgain, "start-again"},
    {ResumeAction::kWaitForSync, "wait-for-sync"},
    {ResumeAction::kAskOperator, "ask-operator"},
}};

constexpr EnumNames<EventKind, 7> kEventKinds{{
    {EventKind::kRunStarted, "run-started"},
    {EventKind::kPhase, "phase"},
    {EventKind::kNode, "node"},
    {EventKind::kWarning, "warning"},
    {EventKind::kProgress, "progress"},
    {EventKind::kShardDone, "shard-done"},
    {EventKind::kRunDone, "run-done"},
}};

}  // namespace

bool IsFinal(Phase p) {
  return p == Phase::kHealthy || p == Phase::kAlreadyHealthy || p == Phase::kGaveUp ||
         p == Phase::kCancelled;
}

std::string StepName(const JournalStep& s) {
  if (s.step == Step::kCommand) return CommandKey(s.command);
  return NameIn(kSteps, s.step);
}

std::optional<JournalStep> ParseStep(std::string_view text) {
  if (auto step = ValueIn(kSteps, text)) return JournalStep(*step);
  if (auto id = CommandFromKey(std::string(text))) return JournalStep(*id);
  return std::nullopt;
}

const char* OutcomeName(Outcome o) { return NameIn(kOutcomes, o); }
std::optional<Outcome> ParseOutcome(std::string_view text) { return ValueIn(kOutcomes, text); }
const char* PhaseName(Phase p) { return NameIn(kPhases, p); }
std::optional<Phase> ParsePhase(std::string_view text) { return ValueIn(kPhases, text); }
const char* OperationName(OperationKind k) { return NameIn(kOperations, k); }
std::optional<OperationKind> ParseOperation(std::string_view text) {
  return ValueIn(kOperations, text);
}
const char* ResumeActionName(ResumeAction a) { return NameIn(kResumeActions, a); }
const char* EventKindName(EventKind k) { return NameIn(kEventKinds, k); }

Outcome OutcomeOf(GateTracker::Verdict v) {
  switch (v) {
    case GateTracker::Verdict::kPending:
      return Outcome::kPending;
    case GateTracker::Verdict::kHealthy:
      return Outcome::kHealthy;
    case GateTracker::Verdict::kStuck:
      return Outcome::kStuck;
    case GateTracker::Verdict::kHalted:
      break;
  }
  return Outcome::kHalted;
}

}  // namespace shardctl
