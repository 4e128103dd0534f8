// The watch's wire vocabulary: shard states, the guardrails that hold an action back, alert
// names, the watch journal's line kinds and a watcher's role. Each is an enum with exactly one
// string table (watch_schema.cc), used by every writer, the reader, the page and the metrics.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace shardctl {

/// Where a watched shard stands (docs/watch.md, "States").
enum class ShardState {
  kUnknown,     // no answer yet since the watcher started
  kHealthy,     // committing, every node Normal and in sync
  kDegraded,    // committing (quorum holds), some nodes down, silent or behind
  kHalted,      // no new block for halt_after
  kStuck,       // halted, and the answering nodes are in view change or on different views
  kRecovering,  // a recovery run of this watcher works on it
  kGaveUp,      // max_recoveries used up within window_s; no more actions until healthy
};

/// What held a confirmed action back (journal `decision` lines with outcome "held").
enum class Guardrail {
  kDryRun,            // --dry-run (the default): journaled and alerted, nothing touched
  kNotActor,          // another watcher is the actor (etcd election); this one observes
  kPaused,            // `shardctl watch pause`
  kMaxRecoveries,     // max_recoveries per window_s used up: gave-up
  kCorrelated,        // more than correlated_shards halting within correlated_window_s
  kAfterDeploy,       // a version change seen within after_deploy_s
  kMaxShardsAtOnce,   // max_shards_at_once recovering already
  kRecoveryInFlight,  // a recovery run of this watcher is still running
  kLockHeld,          // another operator's run holds the network (detail names it)
  kLockError,         // the lock could not be asked (etcd or nodes unreachable)
};

/// The alerts watch sends (label alertname). "Recovered" is not an alert of its own: it
/// resolves the shard's halted, stuck and recovery-started alerts.
enum class AlertName {
  kShardHalted,
  kShardStuck,
  kRecoveryStarted,
  kGaveUp,
  kApprovalNeeded,
  kWatchPaused,
  kWatchdog,  // always firing while the watcher runs: a dead-man's switch
};

/// The kind of a watch journal line.
enum class WatchEvent {
  kStart,     // a watcher started (detail: mode, policy)
  kStop,      // a watcher ended
  kRole,      // actor or observer (etcd election)
  kState,     // a shard's state changed (from, to, reason)
  kBlind,     // a probe round in which no node of a shard answered: state kept, nothing decided
  kVersion,   // a node reported a new version (a deploy)
  kDecision,  // a confirmed verdict: acted (run id) or held (guardrail)
  kRecovery,  // a recovery run began or ended (run id, shards, result)
  kAlert,     // an alert fired or resolved
  kPause,     // `watch pause` (reason, by whom)
  kResume,    // `watch resume`
  kApprove,   // `watch approve SHARD` or the page's button
};

/// A watcher's part when several watch one network.
enum class WatchRole { kActor, kObserver };

const char* ShardStateName(ShardState s);
std::optional<ShardState> ParseShardState(const std::string& text);
const std::vector<ShardState>& AllShardStates();
const char* GuardrailName(Guardrail g);
std::optional<Guardrail> ParseGuardrail(const std::string& text);
/// The alertname label ("ShardctlShardHalted", "Watchdog").
const char* AlertNameText(AlertName a);
std::optional<AlertName> ParseAlertName(const std::string& text);
const char* WatchEventName(WatchEvent e);
std::optional<WatchEvent> ParseWatchEvent(const std::string& text);
const char* WatchRoleName(WatchRole r);
std::optional<WatchRole> ParseWatchRole(const std::string& text);

/// Halted and stuck: the verdicts that lead to a recovery.
bool IsActionable(ShardState s);

}  // namespace shardctl
