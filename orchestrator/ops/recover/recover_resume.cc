#include "ops/recover/recover_resume.h"

#include <nlohmann/json.hpp>

#include "base/text.h"

namespace shardctl {

std::map<int, RecoverResume> ReadRecoverResume(const std::vector<JournalEntry>& entries) {
  std::map<int, RecoverResume> shards;
  for (const JournalEntry& e : entries) {
    if (e.shard < 0) continue;
    if (e.step.step == Step::kShard) {
      shards.erase(e.shard);
    } else if (e.step.step == Step::kPhase) {
      // The same rule the live progress follows (a restart's kStop, then its kStart phase):
      // starts go out only after every stop was confirmed.
      RecoverResume& r = shards[e.shard];
      if (e.phase == Phase::kStop) {
        r.restarts++;
        r.starts_sent = false;
      } else if (e.phase == Phase::kStart) {
        r.starts_sent = true;
      }
    } else if (e.step == JournalStep(CommandId::kStart) && e.outcome == Outcome::kBegin) {
      shards[e.shard].starts_sent = true;
    }
  }
  return shards;
}

Result<std::map<int, RecoverResume>> LoadRecoverResume(const std::string& state_dir,
                                                       const std::string& run_id) {
  auto entries = ReadJournal(JournalPath(state_dir, run_id));
  if (!entries.ok()) return entries.status();
  return ReadRecoverResume(*entries);
}

nlohmann::json RecoverResumeToJson(const std::map<int, RecoverResume>& r) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [shard, at] : r) {
    j[std::to_string(shard)] = {{"restarts", at.restarts}, {"starts_sent", at.starts_sent}};
  }
  return j;
}

std::map<int, RecoverResume> RecoverResumeFromJson(const nlohmann::json& j) {
  std::map<int, RecoverResume> out;
  if (!j.is_object()) return out;
  for (const auto& [key, v] : j.items()) {
    auto shard = ParseDecimal(key, 0, 1000000);
    if (!shard || !v.is_object()) continue;
    RecoverResume r;
    if (v.contains("restarts") && v["restarts"].is_number_integer()) r.restarts = v["restarts"];
    if (v.contains("starts_sent") && v["starts_sent"].is_boolean()) {
      r.starts_sent = v["starts_sent"];
    }
    out[static_cast<int>(*shard)] = r;
  }
  return out;
}

}  // namespace shardctl
