// Two or more `watch --act` processes, one actor: each campaigns for the etcd key
// PREFIX+NETWORK+"/watch-actor" with a lease of the inventory's lock.etcd ttl_s (the same
// lease mechanism as the run lock, lock/etcd_lock.h). The holder keeps it alive; the others
// try again every tick and win within ttl_s + one tick once the holder dies.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "lock/etcd_lock.h"
#include "lock/lease_keeper.h"

namespace shardctl {

/// The election key of a network.
std::string ActorElectionKey(const EtcdLockConfig& cfg, const std::string& network);
/// Where the actor records a recovery run in flight (no lease: it outlives a dead actor, so
/// the next one can finish the run).
std::string InFlightRecoveryKey(const EtcdLockConfig& cfg, const std::string& network);

class ActorElection {
 public:
  /// clock must outlive this object. tick: how often a non-actor tries and the actor renews
  /// (at most a third of ttl_s is used when shorter).
  ActorElection(EtcdClient client, const std::string& network, LeaseHolder me, Clock& clock,
                Duration tick);
  /// Stops and, when actor, gives the key back so another watcher takes over at once.
  ~ActorElection();
  ActorElection(const ActorElection&) = delete;
  ActorElection& operator=(const ActorElection&) = delete;

  /// Campaigns on a background thread (first attempt at once).
  void Start();
  /// One round on the caller's thread: renew when actor, else try to win.
  void Tick();

  bool actor() const;
  /// Who holds the key when this watcher does not ("" unknown), or why it could not ask.
  std::string other() const;

 private:
  void Campaign();
  void Renew();

  EtcdLock lock_;
  Clock& clock_;
  const Duration lose_after_;  // an actor that cannot renew this long steps down
  std::unique_ptr<LeaseKeeper> ticker_;

  mutable std::mutex mu_;  // guards the members below
  bool actor_ = false;
  TimePoint last_renewed_;
  std::string other_;
};

}  // namespace shardctl
