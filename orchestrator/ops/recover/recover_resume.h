// Where an interrupted recover run left each shard, so the run can be finished without
// restarting a node twice: by `shardctl resume` (from the run's journal) and by a watcher that
// takes over from one that died (from the journal or the actor's record in etcd).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "run/journal.h"

namespace shardctl {

struct RecoverResume {
  int restarts = 0;          // whole-shard restarts the run had begun on the shard
  bool starts_sent = false;  // the last one had begun its starts (every stop was confirmed)
};

/// The shards of a recover run's journal that began (a phase line) and have no final verdict.
std::map<int, RecoverResume> ReadRecoverResume(const std::vector<JournalEntry>& entries);
/// ReadRecoverResume of run_id's journal in state_dir; an error names the file.
Result<std::map<int, RecoverResume>> LoadRecoverResume(const std::string& state_dir,
                                                       const std::string& run_id);

/// {"0": {"restarts": 1, "starts_sent": true}, ...}, and back (malformed entries are skipped).
nlohmann::json RecoverResumeToJson(const std::map<int, RecoverResume>& r);
std::map<int, RecoverResume> RecoverResumeFromJson(const nlohmann::json& j);

}  // namespace shardctl
