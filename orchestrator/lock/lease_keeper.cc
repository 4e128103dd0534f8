#include "lock/lease_keeper.h"

namespace shardctl {

LeaseKeeper::LeaseKeeper(Clock& clock, Duration interval, Duration lose_after, RenewFn renew,
                         LostFn on_lost)
    : clock_(clock),
      interval_(interval),
      lose_after_(lose_after),
      renew_(std::move(renew)),
      on_lost_(std::move(on_lost)),
      last_ok_(clock.Now()) {}

LeaseKeeper::~LeaseKeeper() { Stop(); }

void LeaseKeeper::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void LeaseKeeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void LeaseKeeper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_ && !lost_) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

bool LeaseKeeper::Tick() {
  if (lost()) return false;
  Status st = renew_();
  TimePoint now = clock_.Now();
  if (st.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    last_ok_ = now;
    return true;
  }
  if (st.code() == Status::Code::kFailed) {
    MarkLost(st.message());
    return false;
  }
  Duration silent;
  {
    std::lock_guard<std::mutex> lock(mu_);
    silent = std::chrono::duration_cast<Duration>(now - last_ok_);
  }
  if (silent < lose_after_) return true;
  MarkLost("no renewal succeeded for " + std::to_string(silent.count() / 1000) +
           " s; last error: " + st.message());
  return false;
}

void LeaseKeeper::MarkLost(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (lost_) return;
    lost_ = true;
    lost_reason_ = why;
  }
  if (on_lost_) on_lost_(why);
}

bool LeaseKeeper::lost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_;
}

std::string LeaseKeeper::lost_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_reason_;
}

}  // namespace shardctl
