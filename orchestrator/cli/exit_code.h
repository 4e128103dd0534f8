// The exit codes every subcommand shares (listed in `shardctl --help`), and the one for a
// status that stopped a command before it touched anything.
#pragma once

#include "base/status.h"

namespace shardctl::cli {

enum ExitCode {
  kExitOk = 0,        // everything selected is done and healthy
  kExitFailed = 1,    // ran, but some nodes or shards failed (details printed)
  kExitUsage = 2,     // bad flags, inventory or playbook: nothing was touched
  kExitInternal = 3,  // a bug or an environment problem (state dir unwritable, ...)
  kExitLocked = 4,    // another run holds the lock
  kExitCancelled = 130,
};

/// ExitCode for a status that stopped a command before it touched anything.
int ExitCodeFor(const Status& status);

}  // namespace shardctl::cli
