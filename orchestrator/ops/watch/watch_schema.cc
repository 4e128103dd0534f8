#include "ops/watch/watch_schema.h"

#include <array>
#include <utility>

namespace shardctl {
namespace {

// One table per enum: the value and its only spelling.
template <typename E, size_t N>
using Table = std::array<std::pair<E, const char*>, N>;

constexpr Table<ShardState, 7> kStates = {{{ShardState::kUnknown, "unknown"},
                                           {ShardState::kHealthy, "healthy"},
                                           {ShardState::kDegraded, "degraded"},
                                           {ShardState::kHalted, "halted"},
                                           {ShardState::kStuck, "stuck"},
                                           {ShardState::kRecovering, "recovering"},
                                           {ShardState::kGaveUp, "gave-up"}}};

constexpr Table<Guardrail, 10> kGuardrails = {{{Guardrail::kDryRun, "dry-run"},
                                               {Guardrail::kNotActor, "not-actor"},
                                               {Guardrail::kPaused, "paused"},
                                               {Guardrail::kMaxRecoveries, "max-recoveries"},
                                               {Guardrail::kCorrelated, "correlated-failure"},
                                               {Guardrail::kAfterDeploy, "after-deploy"},
                                               {Guardrail::kMaxShardsAtOnce, "max-shards-at-once"},
                                               {Guardrail::kRecoveryInFlight, "recovery-in-flight"},
                                               {Guardrail::kLockHeld, "lock-held"},
                                               {Guardrail::kLockError, "lock-error"}}};

constexpr Table<AlertName, 7> kAlerts = {{{AlertName::kShardHalted, "ShardctlShardHalted"},
                                          {AlertName::kShardStuck, "ShardctlShardStuck"},
                                          {AlertName::kRecoveryStarted, "ShardctlRecoveryStarted"},
                                          {AlertName::kGaveUp, "ShardctlRecoveryGaveUp"},
                                          {AlertName::kApprovalNeeded, "ShardctlApprovalNeeded"},
                                          {AlertName::kWatchPaused, "ShardctlWatchPaused"},
                                          {AlertName::kWatchdog, "Watchdog"}}};

constexpr Table<WatchEvent, 12> kEvents = {{{WatchEvent::kStart, "start"},
                                            {WatchEvent::kStop, "stop"},
                                            {WatchEvent::kRole, "role"},
                                            {WatchEvent::kState, "state"},
                                            {WatchEvent::kBlind, "blind"},
                                            {WatchEvent::kVersion, "version"},
                                            {WatchEvent::kDecision, "decision"},
                                            {WatchEvent::kRecovery, "recovery"},
                                            {WatchEvent::kAlert, "alert"},
                                            {WatchEvent::kPause, "pause"},
                                            {WatchEvent::kResume, "resume"},
                                            {WatchEvent::kApprove, "approve"}}};

constexpr Table<WatchRole, 2> kRoles = {
    {{WatchRole::kActor, "actor"}, {WatchRole::kObserver, "observer"}}};

template <typename E, size_t N>
const char* NameIn(const Table<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const Table<E, N>& table, const std::string& text) {
  for (const auto& [v, name] : table) {
    if (text == name) return v;
  }
  return std::nullopt;
}

}  // namespace

const char* ShardStateName(ShardState s) { return NameIn(kStates, s); }
std::optional<ShardState> ParseShardState(const std::string& t) { return ParseIn(kStates, t); }
const std::vector<ShardState>& AllShardStates() {
  static const std::vector<ShardState> all = [] {
    std::vector<ShardState> v;
    for (const auto& [s, name] : kStates) v.push_back(s);
    return v;
  }();
  return all;
}
const char* GuardrailName(Guardrail g) { return NameIn(kGuardrails, g); }
std::optional<Guardrail> ParseGuardrail(const std::string& t) { return ParseIn(kGuardrails, t); }
const char* AlertNameText(AlertName a) { return NameIn(kAlerts, a); }
std::optional<AlertName> ParseAlertName(const std::string& t) { return ParseIn(kAlerts, t); }
const char* WatchEventName(WatchEvent e) { return NameIn(kEvents, e); }
std::optional<WatchEvent> ParseWatchEvent(const std::string& t) { return ParseIn(kEvents, t); }
const char* WatchRoleName(WatchRole r) { return NameIn(kRoles, r); }
std::optional<WatchRole> ParseWatchRole(const std::string& t) { return ParseIn(kRoles, t); }

bool IsActionable(ShardState s) { return s == ShardState::kHalted || s == ShardState::kStuck; }

}  // namespace shardctl
