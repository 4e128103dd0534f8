#include "ops/watch/guardrails.h"

#include "base/text.h"

namespace shardctl {

void Guardrails::NoteHalt(int shard) { halted_at_[shard] = clock_.Now(); }

void Guardrails::NoteDeploy(const std::string& what) {
  deploy_at_ = clock_.Now();
  deploy_what_ = what;
}

void Guardrails::NoteRecovery(int shard) { recoveries_[shard].push_back(clock_.Now()); }

void Guardrails::Approve(int shard) {
  approved_.insert(shard);
  recoveries_.erase(shard);
}

int Guardrails::RecoveriesInWindow(int shard) {
  std::deque<TimePoint>& times = recoveries_[shard];
  while (!times.empty() && clock_.Now() - times.front() >= policy_.window) times.pop_front();
  return static_cast<int>(times.size());
}

int Guardrails::HaltsInWindow() {
  int n = 0;
  for (const auto& [shard, at] : halted_at_) {
    if (clock_.Now() - at <= policy_.correlated_window) ++n;
  }
  return n;
}

std::optional<Decision> Guardrails::NeedsApproval(int shard) {
  if (Approved(shard)) return std::nullopt;
  int halts = HaltsInWindow();
  if (halts > policy_.correlated_shards) {
    return Decision{shard, false, Guardrail::kCorrelated,
                    std::to_string(halts) + " shards halted within " +
                        FormatDuration(policy_.correlated_window) + " (more than " +
                        std::to_string(policy_.correlated_shards) +
                        "): waiting for `shardctl watch approve " + std::to_string(shard) + "`"};
  }
  if (deploy_at_ && clock_.Now() - *deploy_at_ < policy_.after_deploy) {
    return Decision{shard, false, Guardrail::kAfterDeploy,
                    "a version change was seen " + FormatDuration(clock_.Now() - *deploy_at_) +
                        " ago (" + deploy_what_ + "): waiting for `shardctl watch approve " +
                        std::to_string(shard) + "`"};
  }
  return std::nullopt;
}

std::optional<Decision> Guardrails::Hold(int shard, const FleetFacts& f) {
  if (!f.actor) {
    return Decision{shard, false, Guardrail::kNotActor,
                    "observing: " + (f.actor_name.empty() ? "another watcher" : f.actor_name) +
                        " is the actor"};
  }
  if (f.paused) {
    return Decision{shard, false, Guardrail::kPaused, "watch is paused: " + f.pause_reason};
  }
  if (RecoveriesInWindow(shard) >= policy_.max_recoveries) {
    return Decision{shard, false, Guardrail::kMaxRecoveries,
                    std::to_string(RecoveriesInWindow(shard)) + " recoveries within " +
                        FormatDuration(policy_.window) + " (max_recoveries " +
                        std::to_string(policy_.max_recoveries) + "): giving up on this shard"};
  }
  if (auto approval = NeedsApproval(shard)) return approval;
  if (!f.act) {
    return Decision{shard, false, Guardrail::kDryRun,
                    "dry-run: would recover shard " + std::to_string(shard) +
                        " now (run with --act to let watch act)"};
  }
  if (f.run_in_flight) {
    return Decision{shard, false, Guardrail::kRecoveryInFlight,
                    "waiting for the recovery run in flight to end"};
  }
  return std::nullopt;
}

std::vector<Decision> Guardrails::Decide(const std::vector<int>& confirmed, const FleetFacts& f) {
  std::vector<Decision> out;
  int going = 0;
  for (int shard : confirmed) {
    if (auto held = Hold(shard, f)) {
      out.push_back(*held);
    } else if (going >= policy_.max_shards_at_once) {
      out.push_back({shard, false, Guardrail::kMaxShardsAtOnce,
                     std::to_string(going) + " shard(s) recovering already (max_shards_at_once " +
                         std::to_string(policy_.max_shards_at_once) + ")"});
    } else {
      ++going;
      out.push_back({shard, true, Guardrail::kDryRun, "confirmed; recovering"});
    }
  }
  return out;
}

}  // namespace shardctl
