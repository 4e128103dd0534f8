// The guardrails between a confirmed verdict and a recovery (docs/watch.md, "Guardrails"):
// dry-run, the actor election, the kill switch, max_recoveries per window, the correlated-
// failure and after-deploy rules (approval first), and how many shards recover at once. Pure
// logic on the watcher's facts; the lock, the last guardrail, is tried when starting the run.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/watch_policy.h"
#include "ops/watch/watch_schema.h"

namespace shardctl {

/// What the watcher knows when it decides.
struct FleetFacts {
  bool act = false;            // --act
  bool actor = true;           // this watcher is the actor (always, without an election)
  std::string actor_name{};    // who is, when not us
  bool paused = false;         // the kill switch is on
  std::string pause_reason{};  // ... and why
  bool run_in_flight = false;  // a recovery run of this watcher is still running
};

/// The outcome for one confirmed shard: go, or held by a guardrail (detail says what exactly).
struct Decision {
  int shard = 0;
  bool go = false;
  Guardrail held = Guardrail::kDryRun;  // when !go
  std::string detail;
};

/// Not thread-safe: the watcher's loop owns it.
class Guardrails {
 public:
  /// policy and clock must outlive this object.
  Guardrails(const WatchPolicy& policy, Clock& clock) : policy_(policy), clock_(clock) {}

  /// A shard entered halted or stuck (the correlated-failure rule counts these).
  void NoteHalt(int shard);
  /// A node reported a new version (the after-deploy rule).
  void NoteDeploy(const std::string& what);
  /// A recovery of shard began (max_recoveries per window counts these).
  void NoteRecovery(int shard);
  /// The operator approved shard: its next recoveries may pass the correlated-failure and
  /// after-deploy rules, and a gave-up shard gets its max_recoveries back.
  void Approve(int shard);
  /// The shard commits again: its incident is over, its approval lapses.
  void EndIncident(int shard) { approved_.erase(shard); }
  bool Approved(int shard) const { return approved_.count(shard) > 0; }
  /// Recoveries of shard begun within the last window.
  int RecoveriesInWindow(int shard);

  /// Decides for the confirmed shards, in the order given.
  std::vector<Decision> Decide(const std::vector<int>& confirmed, const FleetFacts& facts);

 private:
  std::optional<Decision> Hold(int shard, const FleetFacts& facts);
  std::optional<Decision> NeedsApproval(int shard);
  int HaltsInWindow();

  const WatchPolicy& policy_;
  Clock& clock_;
  std::map<int, TimePoint> halted_at_;               // shard -> last halt seen
  std::map<int, std::deque<TimePoint>> recoveries_;  // shard -> recoveries begun
  std::optional<TimePoint> deploy_at_;
  std::string deploy_what_;
  std::set<int> approved_;
};

}  // namespace shardctl
