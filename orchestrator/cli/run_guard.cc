#include "cli/run_guard.h"

#include <pwd.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/command.h"
#include "cli/common.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

std::string UserName() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return std::to_string(geteuid());
}

std::string HostName() {
  char buf[256] = "?";
  gethostname(buf, sizeof buf - 1);
  return buf;
}

}  // namespace

LockHolder ThisProcessHolder(const std::string& run_id, const std::string& command) {
  return {run_id,  static_cast<int>(getpid()), HostName(), UserName(),
          command, RealClock().UnixMillis()};
}

std::unique_ptr<RunLock> TakeRunLock(const std::string& state_dir, const std::string& network,
                                     const std::string& run_id, const std::string& command,
                                     int* exit_code) {
  std::string previous;
  auto lock = RunLock::Acquire(state_dir, network, ThisProcessHolder(run_id, command), &previous);
  if (!lock.ok()) {
    PrintError(lock.status());
    *exit_code = lock.status().code() == Status::Code::kFailed ? kExitLocked : kExitInternal;
    return nullptr;
  }
  if (!previous.empty()) {
    PrintError("note: took over the lock of " + previous + ", which ended without releasing it");
  }
  return std::move(*lock);
}

std::string OutsideWindow(const Playbook& pb, int64_t unix_ms) {
  if (!pb.window || pb.window->Contains(unix_ms / 1000)) return "";
  int64_t next = pb.window->NextOpening(unix_ms / 1000);
  return "outside the maintenance window (" + pb.window->ToString() + ")" +
         (next < 0 ? "" : "; it opens next at " + FormatUtc(next * 1000));
}

}  // namespace shardctl::cli
