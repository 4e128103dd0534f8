// One run at a time per network and state dir. The lock is an flock(2) on
// STATE_DIR/<network>.lock, so it dies with its holder (no stale lock can block a 3 a.m. run);
// the file's content says who holds it, for the refusal message.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace shardctl {

struct LockHolder {
  std::string run_id;
  int pid = 0;
  std::string host;
  std::string user;
  std::string command;
  int64_t since_unix_ms = 0;
};

/// Held while alive; releases (and empties the file) on destruction. Not copyable.
class RunLock {
 public:
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  /// Takes the lock for network in state_dir (created if missing). Returns kLocked with the
  /// holder's run id, pid, user, host, command and start time when another live process holds
  /// it. When the previous holder died without releasing, *took_over_from (if given) gets its
  /// description and the lock is taken.
  static Result<std::unique_ptr<RunLock>> Acquire(const std::string& state_dir,
                                                  const std::string& network, const LockHolder& me,
                                                  std::string* took_over_from = nullptr);

  /// Who holds network's lock in state_dir now, without taking it (nullopt: nobody).
  static std::optional<LockHolder> Holder(const std::string& state_dir, const std::string& network);

  const std::string& path() const { return path_; }

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

/// "run 20261125T1801-ab12 (pid 4242, alice@ops-1, 'shardctl recover', since 18:01:07 UTC)".
std::string DescribeHolder(const LockHolder& h);

}  // namespace shardctl
