// A counting semaphore whose waits give up on cancel or at a deadline.
#pragma once

#include <condition_variable>
#include <mutex>

#include "base/cancel.h"
#include "base/clock.h"

namespace shardctl {

/// Bounds how many callers hold a slot at once. Thread-safe.
class SlotLimiter {
 public:
  explicit SlotLimiter(int slots) : free_(slots < 1 ? 1 : slots) {}

  /// Waits for a slot. Returns false (holding nothing) if cancel (may be null) gets set first;
  /// cancel is looked at every 100 ms.
  bool Acquire(const CancelToken* cancel) {
    std::unique_lock<std::mutex> lock(mu_);
    while (free_ == 0) {
      if (cancel != nullptr && cancel->cancelled()) return false;
      cv_.wait_for(lock, Duration(100));
    }
    --free_;
    return true;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

}  // namespace shardctl
