// The watcher's control inputs: pause, resume and approve lines other shells append to the
// watch journal; the actor election; a recovery run an earlier watcher left unfinished.
#include <nlohmann/json.hpp>

#include "model/json_text.h"
#include "ops/watch/watcher.h"

namespace shardctl {

void Watcher::ReadControl(bool replay) {
  auto lines = ReadWatchJournalFrom(parts_.journal->path(), &control_offset_);
  if (!lines.ok()) {
    // Whether the operator paused us cannot be read: stay on the safe side.
    paused_ = true;
    pause_reason_ = "the watch journal cannot be read (" + lines.status().message() +
                    "); acting is paused until it can";
    return;
  }
  for (const WatchEntry& e : *lines) Apply(e, replay);
}

void Watcher::Apply(const WatchEntry& e, bool replay) {
  switch (e.event) {
    case WatchEvent::kPause:
      paused_ = true;
      pause_reason_ = e.detail + " (" + e.watcher + ")";
      FireAlert(AlertName::kWatchPaused, -1,
                {{"summary", "shardctl watch is paused: it decides nothing new"},
                 {"description", pause_reason_}});
      break;
    case WatchEvent::kResume:
      paused_ = false;
      pause_reason_.clear();
      ResolveAlert(AlertName::kWatchPaused, -1, "resumed (" + e.watcher + ")");
      break;
    case WatchEvent::kApprove:
      // An approval is for an incident going on now: one from before this watcher started
      // does not carry over.
      if (replay || shards_.count(e.shard) == 0) break;
      guardrails_.Approve(e.shard);
      held_.erase(e.shard);
      ResolveAlert(AlertName::kApprovalNeeded, e.shard, "approved (" + e.watcher + ")");
      if (shards_[e.shard]->state() == ShardState::kGaveUp) {
        auto c = shards_[e.shard]->EndRecovery(
            false, "approved again (" + e.watcher + "): judged afresh from the next rounds");
        if (c) OnChange(*c);
      }
      break;
    case WatchEvent::kRecovery:
      // Another watcher finished the run this one meant to finish: nothing is left to do.
      if (e.result && pending_resume_ && pending_resume_->resume_of == e.run_id) {
        pending_resume_.reset();
      }
      break;
    default:
      break;
  }
}

Status Watcher::Approve(int shard, const std::string& by) {
  if (shards_.count(shard) == 0) {
    return Status::Invalid("shard " + std::to_string(shard) + " is not watched here");
  }
  return parts_.journal->Append(
      {.event = WatchEvent::kApprove, .shard = shard, .detail = "approved by " + by});
}

void Watcher::UpdateRole() {
  WatchRole role = parts_.peers->actor() ? WatchRole::kActor : WatchRole::kObserver;
  if (role_ == role) return;
  role_ = role;
  Record({.event = WatchEvent::kRole,
          .detail = role == WatchRole::kActor ? "this watcher is the actor"
                                              : "observing: " + parts_.peers->other(),
          .role = role});
  if (role != WatchRole::kActor || !setup_.act) return;
  // A run another actor left in flight is finished first, from where it stood.
  auto record = parts_.peers->LoadInFlight();
  if (!record.ok() || record->empty()) return;
  auto j = ParseJsonText(*record, "in-flight record");
  if (!j.ok() || !j->is_object()) return;
  RecoveryLauncher::Request r;
  r.resume = RecoverResumeFromJson(j->value("shards", nlohmann::json::object()));
  r.resume_of = j->value("run_id", "");
  for (const auto& [shard, at] : r.resume) r.shards.push_back(shard);
  r.why = "finishing run " + r.resume_of + " of " + j->value("actor", "a watcher that is gone");
  if (!r.shards.empty() && r.resume_of != run_id_) pending_resume_ = r;
}

void Watcher::FindUnfinishedRun() {
  uint64_t from = 0;
  auto lines = ReadWatchJournalFrom(parts_.journal->path(), &from);
  if (!lines.ok()) return;
  std::string open;
  for (const WatchEntry& e : *lines) {
    if (e.event != WatchEvent::kRecovery || e.run_id.empty()) continue;
    if (!e.result) open = e.run_id;
    if (e.result && e.run_id == open) open.clear();
  }
  if (open.empty()) return;
  auto resume = LoadRecoverResume(setup_.state_dir, open);
  if (!resume.ok()) {
    Record({.event = WatchEvent::kRecovery,
            .detail = "run " + open + " did not finish, but its journal cannot be read here (" +
                      resume.status().message() + "); `shardctl resume " + open + "` where it ran",
            .run_id = open,
            .result = Phase::kCancelled});
    return;
  }
  RecoveryLauncher::Request r;
  r.resume = std::move(*resume);
  r.resume_of = open;
  for (const auto& [shard, at] : r.resume) r.shards.push_back(shard);
  r.why = "finishing run " + open + ", which an earlier watcher left unfinished";
  if (!r.shards.empty()) pending_resume_ = r;
}

}  // namespace shardctl
