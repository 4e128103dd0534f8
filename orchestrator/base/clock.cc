#include "base/clock.h"

#include <thread>

namespace shardctl {

TimePoint SteadyNow() {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

TimePoint RealClock::Now() { return SteadyNow(); }

void RealClock::SleepFor(Duration d) { std::this_thread::sleep_for(d); }

int64_t RealClock::UnixMillis() {
  return std::chrono::duration_cast<Duration>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TimePoint FakeClock::Now() {
  std::lock_guard<std::mutex> l(mu_);
  return TimePoint(now_);
}

int64_t FakeClock::UnixMillis() {
  std::lock_guard<std::mutex> l(mu_);
  return unix_at_zero_ + now_.count();
}

void FakeClock::Advance(Duration d) {
  std::lock_guard<std::mutex> l(mu_);
  now_ += d;
}

}  // namespace shardctl
