// What the watcher shows: the alerts a state change fires or resolves, the metrics, and the
// page's state.
#include "base/text.h"
#include "ops/watch/watcher.h"

namespace shardctl {

void Watcher::FireAlert(AlertName name, int shard, std::map<std::string, std::string> ann) {
  std::string summary = ann["summary"];
  if (!book_.Fire(name, shard, std::move(ann))) return;
  Record({.event = WatchEvent::kAlert, .shard = shard, .detail = summary, .alert = name});
}

void Watcher::ResolveAlert(AlertName name, int shard, const std::string& resolution) {
  if (!book_.Resolve(name, shard, resolution)) return;
  Record({.event = WatchEvent::kAlert,
          .shard = shard,
          .detail = resolution,
          .alert = name,
          .resolved = true});
}

void Watcher::AlertState(const StateChange& c) {
  const std::string shard = "shard " + std::to_string(c.shard);
  if (IsActionable(c.to)) {
    FireAlert(AlertName::kShardHalted, c.shard,
              {{"summary", shard + " of " + inv_.network + " is not committing blocks"},
               {"description", c.reason},
               {"state", ShardStateName(c.to)}});
    if (c.to == ShardState::kStuck) {
      FireAlert(AlertName::kShardStuck, c.shard,
                {{"summary", shard + " of " + inv_.network + " is stuck in view change"},
                 {"description", c.reason}});
    } else {
      ResolveAlert(AlertName::kShardStuck, c.shard, "no longer in view change: " + c.reason);
    }
  }
  if (c.to == ShardState::kGaveUp) {
    FireAlert(AlertName::kGaveUp, c.shard,
              {{"summary", "shardctl gave up on " + shard + ": a person must look"},
               {"description", c.reason}});
  }
  if (c.to == ShardState::kHealthy || c.to == ShardState::kDegraded) {
    std::string why = "committing again (" + std::string(ShardStateName(c.to)) + "): " + c.reason;
    for (AlertName a : {AlertName::kShardHalted, AlertName::kShardStuck, AlertName::kGaveUp,
                        AlertName::kApprovalNeeded}) {
      ResolveAlert(a, c.shard, why);
    }
  }
}

void Watcher::Publish(Duration probe_time) {
  std::vector<Alert> due = book_.Due();
  if (parts_.alerts != nullptr) parts_.alerts->Send(due);
  if (parts_.metrics != nullptr) {
    if (probe_time.count() > 0) parts_.metrics->ObserveProbeRound(probe_time);
    int64_t now = clock_.UnixMillis();
    for (const auto& [id, w] : shards_) parts_.metrics->Update(w->snapshot(), now);
    parts_.metrics->SetPaused(paused_);
    parts_.metrics->SetActor(role_ == WatchRole::kActor);
  }
  nlohmann::json page = BuildPageState();
  std::lock_guard<std::mutex> l(mu_);
  page_ = std::move(page);
}

nlohmann::json Watcher::PageState() const {
  std::lock_guard<std::mutex> l(mu_);
  return page_;
}

namespace {

nlohmann::json ShardJson(const ShardSnapshot& s, int64_t now) {
  return {
      {"shard", s.shard},
      {"state", ShardStateName(s.state)},
      {"since", FormatUtc(s.state_since_unix_ms)},
      {"reason", s.reason},
      {"height", s.height},
      {"blocks_per_s", s.blocks_per_s},
      {"block_age_s",
       s.last_block_unix_ms > 0 ? static_cast<double>(now - s.last_block_unix_ms) / 1000.0 : -1.0},
      {"view_ids", s.view_ids},
      {"view_change_ids", s.view_change_ids},
      {"normal_power", s.normal_power},
      {"total_power", s.total_power},
      {"quorum_power", s.quorum_power},
      {"down", s.down},
      {"blind", s.last_round_blind}};
}

}  // namespace

nlohmann::json Watcher::BuildPageState() const {
  int64_t now = clock_.UnixMillis();
  nlohmann::json shards = nlohmann::json::array();
  for (int id : setup_.shards) {
    nlohmann::json s = ShardJson(shards_.at(id)->snapshot(), now);
    auto held = held_.find(id);
    bool approval = held != held_.end() && (held->second.first == Guardrail::kCorrelated ||
                                            held->second.first == Guardrail::kAfterDeploy);
    s["awaiting_approval"] = approval;
    s["approval_reason"] = approval ? held->second.second : "";
    shards.push_back(s);
  }
  bool actor = role_ == WatchRole::kActor;
  return {{"network", inv_.network},
          {"mode", setup_.act ? "act" : "dry-run"},
          {"role", role_ ? WatchRoleName(*role_) : "starting"},
          {"actor", actor || !role_ ? "" : parts_.peers->other()},
          {"paused", paused_},
          {"pause_reason", pause_reason_},
          {"recovery_run", run_id_},
          {"updated", FormatUtc(now)},
          {"interval_ms", policy_.interval.count()},
          {"shards", shards},
          {"decisions", decisions_}};
}

}  // namespace shardctl
