#include "base/watchdog.h"

namespace shardctl {

Watchdog::Watchdog(Duration limit, std::function<void()> on_expiry) {
  thread_ = std::thread([this, limit, fn = std::move(on_expiry)] {
    std::unique_lock<std::mutex> lock(mu_);
    if (wake_.wait_for(lock, limit, [this] { return disarmed_; })) return;
    fired_ = true;
    lock.unlock();
    fn();
  });
}

Watchdog::~Watchdog() {
  Disarm();
  if (thread_.joinable()) thread_.join();
}

bool Watchdog::Disarm() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    disarmed_ = true;
  }
  wake_.notify_all();
  return fired();
}

bool Watchdog::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fired_;
}

}  // namespace shardctl
