// Time as an interface so the engine runs the same against the wall clock and a test's fake.
#pragma once

#include <chrono>
#include <mutex>

namespace shardctl {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

/// The steady clock at millisecond resolution: what RealClock::Now() returns, for code that
/// must measure real time whatever clock the run uses (socket and channel timeouts).
TimePoint SteadyNow();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  /// Blocks (or, for a fake, advances time) by d.
  virtual void SleepFor(Duration d) = 0;
  /// Wall-clock time for journals and reports, in milliseconds since the Unix epoch.
  virtual int64_t UnixMillis() = 0;
};

/// The process-wide steady clock. Thread-safe.
class RealClock : public Clock {
 public:
  TimePoint Now() override;
  void SleepFor(Duration d) override;
  int64_t UnixMillis() override;
};

/// Time moves only when someone sleeps or calls Advance. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t unix_millis_at_zero = 1'700'000'000'000)
      : unix_at_zero_(unix_millis_at_zero) {}
  TimePoint Now() override;
  void SleepFor(Duration d) override { Advance(d); }
  int64_t UnixMillis() override;
  void Advance(Duration d);

 private:
  std::mutex mu_;
  Duration now_{0};
  int64_t unix_at_zero_;
};

}  // namespace shardctl
