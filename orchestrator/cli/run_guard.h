// What every command that changes nodes checks before it touches one: that no other run holds
// the network, and whether the playbook's maintenance window is open.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "model/playbook.h"
#include "run/run_lock.h"

namespace shardctl::cli {

/// This process as the holder of run_id's lock (pid, user, host, command, now).
LockHolder ThisProcessHolder(const std::string& run_id, const std::string& command);

/// Takes the network's run lock under state_dir for run_id. Prints the refusal (who holds it,
/// since when) and returns nullptr when another live run holds it; prints a line when it takes
/// over a lock whose holder died.
std::unique_ptr<RunLock> TakeRunLock(const std::string& state_dir, const std::string& network,
                                     const std::string& run_id, const std::string& command,
                                     int* exit_code);

/// "" when the playbook has no window or it is open at unix_ms; else a sentence saying which
/// window and when it opens next.
std::string OutsideWindow(const Playbook& pb, int64_t unix_ms);

}  // namespace shardctl::cli
