// Finding and reading the journal of an earlier rolling run (resume, retry).
#pragma once

#include <string>

#include "base/status.h"
#include "cli/common.h"
#include "engine/rolling_journal.h"

namespace shardctl::cli {

/// Reads STATE_DIR/runs/RUN_ID.jsonl. An empty run_id picks the newest rolling run that did
/// not finish (resume) or, with finished_too, the newest rolling run at all (retry).
Result<RollingJournal> LoadRollingRun(const std::string& state_dir, const std::string& run_id,
                                      bool finished_too);

/// Sets o's inventory, playbook, selection and host-key flags to the run's.
void ApplyHeader(const RunHeader& h, CommonOptions* o);

}  // namespace shardctl::cli
