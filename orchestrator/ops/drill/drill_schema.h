// A drill's words in its file, its journal lines and its report: the recovery mode and the
// outcome, as types with one string table each (base/enum_names.h).
#pragma once

#include <optional>
#include <string_view>

namespace shardctl {

/// The drill file's recovery.mode.
enum class RecoveryMode {
  kRecover,  // shardctl recover on the hypothesis shards
  kObserve,  // watch the gate, touch nothing
  kWait,     // wait for someone to fix the shards by hand, watching the gate
};

/// How a drill ended (report, journal trend line).
enum class DrillOutcome {
  kPassed,            // the hypothesis held after recovery
  kHypothesisFailed,  // ... it did not
  kAborted,           // an abort condition tripped (the operator's stop included)
  kNotStarted,        // the hypothesis did not hold before the faults: nothing was touched
};

const char* RecoveryModeName(RecoveryMode m);
std::optional<RecoveryMode> ParseRecoveryMode(std::string_view text);
const char* DrillOutcomeName(DrillOutcome o);
std::optional<DrillOutcome> ParseDrillOutcome(std::string_view text);

}  // namespace shardctl
