// An overall deadline for work that only times out per step (a download whose every read is
// quick but which never ends): after `limit`, on_expiry runs once on the watchdog's own thread,
// unless the owner disarmed it first. base/ owns the waiting, so callers need not.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "base/clock.h"

namespace shardctl {

class Watchdog {
 public:
  /// Starts counting now. on_expiry must be safe to call from another thread while the work
  /// runs (e.g. shutting a socket down).
  Watchdog(Duration limit, std::function<void()> on_expiry);
  /// Disarms and joins.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// Stops the countdown (idempotent); true when on_expiry had already run.
  bool Disarm();
  bool fired() const;

 private:
  mutable std::mutex mu_;  // guards the members below
  std::condition_variable wake_;
  bool disarmed_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace shardctl
