// recover through the mutating-command pipeline; `plan` is its dry run.
#pragma once

#include "cli/options.h"

namespace shardctl::cli {

/// Runs recover with o's flags (o.dry_run: print the plan, touch nothing). Returns an ExitCode.
int RunRecover(const CommonOptions& o, bool force);

}  // namespace shardctl::cli
