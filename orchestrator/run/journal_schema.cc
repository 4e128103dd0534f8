#include "run/journal_schema.h"

#include <array>
#include <utility>

namespace shardctl {
namespace {

// Each table is the only place its words are spelled.
constexpr std::array<std::pair<Step, const char*>, 19> kSteps{{
    {Step::kRun, "run"},
    {Step::kPhase, "phase"},
    {Step::kShard, "shard"},
    {Step::kAssess, "assess"},
    {Step::kConfirmDown, "confirm-down"},
    {Step::kSyncCheck, "sync-check"},
    {Step::kGate, "gate"},
    {Step::kWave, "wave"},
    {Step::kNode, "restart"},
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
}};

constexpr std::array<std::pair<Outcome, const char*>, 26> kOutcomes{{
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
}};

constexpr std::array<std::pair<Phase, const char*>, 14> kPhases{{
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

template <typename T, size_t N>
const char* NameIn(const std::array<std::pair<T, const char*>, N>& table, T value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename T, size_t N>
std::optional<T> FindIn(const std::array<std::pair<T, const char*>, N>& table,
                        const std::string& text) {
  for (const auto& [v, name] : table) {
    if (text == name) return v;
  }
  return std::nullopt;
}

}  // namespace

bool IsFinal(Phase p) {
  return p == Phase::kHealthy || p == Phase::kAlreadyHealthy || p == Phase::kGaveUp ||
         p == Phase::kCancelled;
}

std::string StepName(const JournalStep& s) {
  if (s.step == Step::kCommand) return CommandKey(s.command);
  return NameIn(kSteps, s.step);
}

std::optional<JournalStep> ParseStep(const std::string& text) {
  if (auto step = FindIn(kSteps, text)) return JournalStep(*step);
  if (auto id = CommandFromKey(text)) return JournalStep(*id);
  return std::nullopt;
}

const char* OutcomeName(Outcome o) { return NameIn(kOutcomes, o); }
std::optional<Outcome> ParseOutcome(const std::string& text) { return FindIn(kOutcomes, text); }
const char* PhaseName(Phase p) { return NameIn(kPhases, p); }
std::optional<Phase> ParsePhase(const std::string& text) { return FindIn(kPhases, text); }

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
