// The other watchers of a network through etcd: the actor election on the lock's lease and the
// record of the recovery run in flight, which outlives a dead actor.
#pragma once

#include <string>

#include "lock/actor_election.h"
#include "ops/watch/recovery_launcher.h"

namespace shardctl {

class EtcdPeers : public WatchPeers {
 public:
  /// Campaigns at once and every tick.
  EtcdPeers(const EtcdLockConfig& cfg, const std::string& network, Clock& clock, Duration tick);

  bool actor() const override { return election_.actor(); }
  std::string other() const override { return election_.other(); }
  Status SaveInFlight(const std::string& record) override;
  Result<std::string> LoadInFlight() override;

 private:
  EtcdClient client_;
  const std::string key_;
  ActorElection election_;
};

}  // namespace shardctl
