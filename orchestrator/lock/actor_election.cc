#include "lock/actor_election.h"

#include <algorithm>

namespace shardctl {

std::string ActorElectionKey(const EtcdLockConfig& cfg, const std::string& network) {
  return EtcdLockKey(cfg, network) + "/watch-actor";
}

std::string InFlightRecoveryKey(const EtcdLockConfig& cfg, const std::string& network) {
  return EtcdLockKey(cfg, network) + "/watch-recovery";
}

ActorElection::ActorElection(EtcdClient client, const std::string& network, LeaseHolder me,
                             Clock& clock, Duration tick)
    : lock_(client, std::move(me), ActorElectionKey(client.config(), network)),
      clock_(clock),
      lose_after_(Duration(client.config().ttl_s * 1000 / 2)) {
  Duration every = std::min(tick, Duration(client.config().ttl_s * 1000 / 3));
  // The keeper is only the ticking thread here: its renew never reports a loss.
  ticker_ = std::make_unique<LeaseKeeper>(
      clock, std::max(every, Duration(100)), Duration::max(),
      [this] {
        Tick();
        return Status::Ok();
      },
      nullptr);
}

ActorElection::~ActorElection() {
  ticker_->Stop();
  if (actor()) (void)lock_.Release();
}

void ActorElection::Start() {
  Tick();
  ticker_->Start();
}

void ActorElection::Tick() {
  if (actor()) {
    Renew();
  } else {
    Campaign();
  }
}

void ActorElection::Campaign() {
  Status st = lock_.Acquire();
  std::lock_guard<std::mutex> l(mu_);
  actor_ = st.ok();
  last_renewed_ = clock_.Now();
  other_ = st.ok() ? "" : st.message();
}

void ActorElection::Renew() {
  Status st = lock_.Renew();
  TimePoint now = clock_.Now();
  std::lock_guard<std::mutex> l(mu_);
  if (st.ok()) {
    last_renewed_ = now;
    return;
  }
  // Gone for good, or unreachable for long enough that another watcher may hold it now.
  if (st.code() == Status::Code::kFailed || now - last_renewed_ >= lose_after_) {
    actor_ = false;
    other_ = "lost the actor lease: " + st.message();
  }
}

bool ActorElection::actor() const {
  std::lock_guard<std::mutex> l(mu_);
  return actor_;
}

std::string ActorElection::other() const {
  std::lock_guard<std::mutex> l(mu_);
  return other_;
}

}  // namespace shardctl
