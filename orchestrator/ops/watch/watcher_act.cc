// The watcher's decisions: confirmed verdicts through the guardrails, then a recovery run (or
// the journaled reason why not), and the run's end.
#include "base/text.h"
#include "model/json_text.h"
#include "ops/watch/watcher.h"

namespace shardctl {

void Watcher::Decide() {
  std::vector<int> ready;
  for (int id : setup_.shards) {
    if (shards_.at(id)->Confirmed()) ready.push_back(id);
  }
  if (ready.empty()) return;
  FleetFacts facts{.act = setup_.act && parts_.launcher != nullptr,
                   .actor = role_ == WatchRole::kActor,
                   .actor_name = parts_.peers->other(),
                   .paused = paused_,
                   .pause_reason = pause_reason_,
                   .run_in_flight = !run_id_.empty() || pending_resume_.has_value()};
  std::vector<int> candidates;  // would act (or, in a dry run, would have acted)
  for (const Decision& d : guardrails_.Decide(ready, facts)) {
    auto held = held_.find(d.shard);
    bool said = held != held_.end() && held->second.first == d.held;
    if (d.go || (d.held == Guardrail::kDryRun && !said)) {
      candidates.push_back(d.shard);
    } else {
      Held(d);
    }
  }
  if (candidates.empty()) return;
  // Confirmation: a fresh probe round must repeat the verdict; one bad sample never acts.
  auto looks = Probe(candidates);
  std::vector<int> go;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Observe(candidates[i], looks[i]);
    if (!shards_.at(candidates[i])->Confirmed()) continue;
    if (facts.act) {
      go.push_back(candidates[i]);
    } else {
      Held(guardrails_.Decide({candidates[i]}, facts).front());
    }
  }
  if (!go.empty()) Act(go);
}

void Watcher::Held(const Decision& d) {
  // Once per incident and guardrail: the details (counts, ages) change every round.
  auto it = held_.find(d.shard);
  if (it != held_.end() && it->second.first == d.held) return;
  held_[d.shard] = {d.held, d.detail};
  Record({.event = WatchEvent::kDecision,
          .shard = d.shard,
          .detail = d.detail,
          .acted = false,
          .guardrail = d.held});
  NoteDecision(d.shard, std::string("held: ") + GuardrailName(d.held), d.detail);
  if (d.held == Guardrail::kCorrelated || d.held == Guardrail::kAfterDeploy) {
    FireAlert(AlertName::kApprovalNeeded, d.shard,
              {{"summary", "shard " + std::to_string(d.shard) + " needs approval to recover"},
               {"description", d.detail}});
  }
  if (d.held == Guardrail::kMaxRecoveries) {
    if (auto c = shards_.at(d.shard)->GiveUp(d.detail)) OnChange(*c);
  }
  // The shard's page says what was (not) done about it, and why.
  for (AlertName a : {AlertName::kShardHalted, AlertName::kShardStuck}) {
    book_.Annotate(a, d.shard, "decision", std::string(GuardrailName(d.held)) + ": " + d.detail);
  }
}

void Watcher::NoteDecision(int shard, const std::string& decision, const std::string& detail) {
  constexpr size_t kKept = 50;
  decisions_.push_back({{"time", FormatUtc(clock_.UnixMillis())},
                        {"shard", shard},
                        {"decision", decision},
                        {"detail", detail}});
  if (decisions_.size() > kKept) decisions_.erase(decisions_.begin());
}

void Watcher::Act(const std::vector<int>& shards) {
  RecoveryLauncher::Request r;
  r.shards = shards;
  std::vector<std::string> reasons;
  for (int id : shards) {
    reasons.push_back("shard " + std::to_string(id) + " " +
                      ShardStateName(shards_.at(id)->state()) + ": " +
                      shards_.at(id)->snapshot().reason);
  }
  r.why = "confirmed: " + Join(reasons, "; ");
  StartRun(r, /*counts=*/true);
}

void Watcher::StartRun(const RecoveryLauncher::Request& r, bool counts) {
  auto before = [&](const std::string& run_id) {
    for (int id : r.shards) {
      SHARDCTL_RETURN_IF_ERROR(parts_.journal->Append({.event = WatchEvent::kDecision,
                                                       .shard = id,
                                                       .detail = r.why,
                                                       .acted = true,
                                                       .run_id = run_id}));
    }
    return parts_.journal->Append(
        {.event = WatchEvent::kRecovery, .detail = r.why, .run_id = run_id});
  };
  auto progress = [this](const std::string& run_id, const std::map<int, RecoverResume>& p) {
    SaveProgress(run_id, p);
  };
  auto started = parts_.launcher->Start(r, before, progress);
  if (!started.ok()) {
    bool held = started.status().code() == Status::Code::kLocked;
    for (int id : r.shards) {
      Held({id, false, held ? Guardrail::kLockHeld : Guardrail::kLockError,
            started.status().message()});
    }
    return;
  }
  run_id_ = *started;
  run_shards_ = {r.shards.begin(), r.shards.end()};
  for (int id : r.shards) {
    held_.erase(id);
    if (counts) guardrails_.NoteRecovery(id);
    NoteDecision(id, "recover: run " + run_id_, r.why);
    if (auto c = shards_.at(id)->BeginRecovery("run " + run_id_ + ": " + r.why)) OnChange(*c);
    ResolveAlert(AlertName::kApprovalNeeded, id, "recovery started: run " + run_id_);
    FireAlert(
        AlertName::kRecoveryStarted, id,
        {{"summary", "shardctl recovers shard " + std::to_string(id) + " (run " + run_id_ + ")"},
         {"description", r.why},
         {"run_id", run_id_}});
  }
}

void Watcher::ResumePending() {
  if (!pending_resume_ || !setup_.act || parts_.launcher == nullptr) return;
  if (role_ != WatchRole::kActor || parts_.launcher->Running()) return;
  // Finishing a run that stopped nodes comes before anything new, paused or not: a shard is
  // never left half restarted.
  RecoveryLauncher::Request r = *pending_resume_;
  StartRun(r, /*counts=*/false);
  if (!run_id_.empty()) pending_resume_.reset();
}

void Watcher::CheckRun() {
  if (parts_.launcher == nullptr) return;
  if (auto finished = parts_.launcher->Poll()) EndRun(*finished);
}

void Watcher::EndRun(const RecoveryLauncher::Finished& f) {
  for (const auto& [shard, out] : f.shards) {
    Record({.event = WatchEvent::kRecovery,
            .shard = shard,
            .detail = out.reason,
            .run_id = f.run_id,
            .result = out.verdict});
    if (parts_.metrics) parts_.metrics->RecoveryEnded(shard, out.verdict, f.took);
    bool healthy = out.verdict == Phase::kHealthy || out.verdict == Phase::kAlreadyHealthy;
    std::string what = "run " + f.run_id + " " + PhaseName(out.verdict) + " after " +
                       FormatDuration(f.took) + ": " + out.reason;
    ResolveAlert(AlertName::kRecoveryStarted, shard, what);
    if (shards_.count(shard) == 0) continue;
    if (auto c = shards_.at(shard)->EndRecovery(healthy, (healthy ? "recovered by " : "") + what)) {
      OnChange(*c);
    }
  }
  bool all = true;
  for (const auto& [shard, out] : f.shards) {
    all = all && (out.verdict == Phase::kHealthy || out.verdict == Phase::kAlreadyHealthy);
  }
  Record({.event = WatchEvent::kRecovery,
          .detail = "run ended after " + FormatDuration(f.took),
          .run_id = f.run_id,
          .result = all ? Phase::kHealthy : Phase::kGaveUp});
  SaveProgress(f.run_id, {});  // nothing left for a successor to finish
  run_id_.clear();
  run_shards_.clear();
}

void Watcher::SaveProgress(const std::string& run_id, const std::map<int, RecoverResume>& p) {
  std::string record;
  if (!p.empty()) {
    record = ToJsonText(
        {{"run_id", run_id}, {"actor", ThisWatcher()}, {"shards", RecoverResumeToJson(p)}});
  }
  (void)parts_.peers->SaveInFlight(record);  // best effort: etcd down costs the successor detail
}

}  // namespace shardctl
