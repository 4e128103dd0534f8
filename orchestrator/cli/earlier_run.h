// What resume, retry and rollback share: they start from an earlier run (RUN_ID, found and
// read by run/resume.h's FindRun), with its inventory, playbook and selection.
#pragma once

#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/options.h"
#include "cli/wave_command.h"
#include "run/resume.h"

namespace shardctl::cli {

/// Parses an optional RUN_ID (run_help says what it picks by default) and the SSH, output,
/// action, report and failure-budget flags. Same contract as ParseCommandLine.
bool ParseRunCommand(const std::vector<std::string>& args, const std::string& run_help,
                     const HelpText& help, CommonOptions* o, WaveRequest* r, std::string* run_id,
                     int* exit_code);

/// Sets o's inventory, playbook, selection and host-key flags to the run's.
void ApplyHeader(const RunHeader& h, CommonOptions* o);
/// The other way: h's inventory, playbook and known_hosts (absolute), selection and host-key
/// flags from o, so a later resume runs with the same ones.
void FlagsToHeader(const CommonOptions& o, RunHeader* h);

/// What resume, retry and rollback do with run RUN_ID (or the newest, see FindRun) in
/// o->state_dir: `plan` (PlanResume, PlanRetry, PlanRollback) into r->plan, and o set to the
/// run's files and selection. Prints why not and returns false with *exit_code set.
bool PlanFromEarlierRun(const std::string& run_id, bool unfinished_only,
                        Result<RunPlan> (*plan)(const RunJournal&), CommonOptions* o,
                        WaveRequest* r, int* exit_code);

}  // namespace shardctl::cli
