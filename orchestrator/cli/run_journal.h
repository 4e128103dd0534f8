// Finding and reading the journal of an earlier rolling run (resume, retry).
#pragma once

#include <string>

#include "base/status.h"
#include "cli/common.h"
#include "cli/rolling_command.h"
#include "run/resume.h"

namespace shardctl::cli {

/// Reads STATE_DIR/runs/RUN_ID.jsonl. An empty run_id picks the newest rolling run that did
/// not finish (resume) or, with finished_too, the newest rolling run at all (retry); a journal
/// met on the way that cannot be read is an error naming its file and line, never skipped.
Result<RunJournal> LoadRollingRun(const std::string& state_dir, const std::string& run_id,
                                  bool finished_too);

/// Parses what resume and retry share: an optional RUN_ID (run_help says what it picks by
/// default) and the SSH, output, action, report and rolling flags. Same contract as
/// ParseCommandLine.
bool ParseRunCommand(const std::vector<std::string>& args, const std::string& run_help,
                     const HelpText& help, CommonOptions* o, RollingRequest* r, std::string* run_id,
                     int* exit_code);

/// Sets o's inventory, playbook, selection and host-key flags to the run's.
void ApplyHeader(const RunHeader& h, CommonOptions* o);

}  // namespace shardctl::cli
