#include "ops/drill/drill_schema.h"

#include "base/enum_names.h"

namespace shardctl {
namespace {

constexpr EnumNames<RecoveryMode, 3> kRecoveryModes{{
    {RecoveryMode::kRecover, "recover"},
    {RecoveryMode::kObserve, "observe"},
    {RecoveryMode::kWait, "wait"},
}};

constexpr EnumNames<DrillOutcome, 4> kDrillOutcomes{{
    {DrillOutcome::kPassed, "passed"},
    {DrillOutcome::kHypothesisFailed, "hypothesis-failed"},
    {DrillOutcome::kAborted, "aborted"},
    {DrillOutcome::kNotStarted, "not-started"},
}};

}  // namespace

const char* RecoveryModeName(RecoveryMode m) { return NameIn(kRecoveryModes, m); }
std::optional<RecoveryMode> ParseRecoveryMode(std::string_view text) {
  return ValueIn(kRecoveryModes, text);
}
const char* DrillOutcomeName(DrillOutcome o) { return NameIn(kDrillOutcomes, o); }
std::optional<DrillOutcome> ParseDrillOutcome(std::string_view text) {
  return ValueIn(kDrillOutcomes, text);
}

}  // namespace shardctl
