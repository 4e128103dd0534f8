// recover through the mutating-command pipeline; `plan` is its dry run.
#pragma once

#include <map>

#include "cli/options.h"
#include "ops/recover/recover_resume.h"

namespace shardctl::cli {

/// Runs recover with o's flags (o.dry_run: print the plan, touch nothing). resume: shards an
/// interrupted run left mid-recovery (`shardctl resume` of a recover run). Returns an ExitCode.
int RunRecover(const CommonOptions& o, bool force, std::map<int, RecoverResume> resume = {});

}  // namespace shardctl::cli
