// Keeps a lease alive: renews it every interval on a background thread until stopped, and says
// once, through a callback, when it is lost so the run starts nothing new.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "base/status.h"

namespace shardctl {

class LeaseKeeper {
 public:
  /// One renewal. Ok: kept. kFailed: lost for good (message says why). Any other code: this
  /// round failed (unreachable, timeout); the lease is lost once nothing succeeded for
  /// lose_after.
  using RenewFn = std::function<Status()>;
  /// Called once, from the renewing thread (or Tick's caller), when the lease is lost.
  using LostFn = std::function<void(const std::string& why)>;

  /// clock must outlive this object. interval paces the thread (real time: the thread waits on
  /// a condition variable so Stop is prompt); lose_after is measured on clock.
  LeaseKeeper(Clock& clock, Duration interval, Duration lose_after, RenewFn renew, LostFn on_lost);
  /// Stops the thread.
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  /// Starts renewing every interval on a thread (first renewal after one interval).
  void Start();
  /// Stops and joins the thread; a renewal in flight finishes first. Idempotent.
  void Stop();
  /// One renewal round now, on the caller's thread (the thread calls this; tests call it with a
  /// FakeClock). Returns false once the lease is lost; after that it renews nothing.
  bool Tick();

  bool lost() const;
  /// Why it was lost; "" while held.
  std::string lost_reason() const;

 private:
  void Loop();
  void MarkLost(const std::string& why);

  Clock& clock_;
  const Duration interval_;
  const Duration lose_after_;
  RenewFn renew_;
  LostFn on_lost_;
  std::thread thread_;

  mutable std::mutex mu_;  // guards the members below
  std::condition_variable wake_;
  bool stopping_ = false;
  bool lost_ = false;
  std::string lost_reason_;
  TimePoint last_ok_;
};

}  // namespace shardctl
