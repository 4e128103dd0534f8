// Everything one mutating run holds so no other run touches the same nodes: the etcd key of the
// network (when the inventory has lock.etcd) and the node leases of every shard it touches,
// kept alive in the background until released. The run driver's lock step.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lock/etcd_lock.h"
#include "lock/lease_keeper.h"
#include "lock/node_leases.h"

namespace shardctl {

class RunLeases {
 public:
  /// transport, inv and clock must outlive this object.
  RunLeases(Transport& transport, const Inventory& inv, Clock& clock, NodeLeaseConfig cfg,
            LeaseHolder me);
  /// Stops renewing and releases everything.
  ~RunLeases();
  RunLeases(const RunLeases&) = delete;
  RunLeases& operator=(const RunLeases&) = delete;

  /// Takes the etcd key (if configured), then the node leases of each shard. On any refusal
  /// gives back everything taken and returns kFailed naming the holder (run id, operator,
  /// start) and where; other codes when etcd or the nodes could not be asked. Each expired
  /// lease taken over adds a line to *notes.
  Status Acquire(const std::vector<int>& shards, std::vector<std::string>* notes);
  /// Renews in the background (every third of each TTL). on_lost is called once, from a
  /// renewing thread, when a lease is lost: the run must then start no new step.
  void Keep(std::function<void(const std::string& why)> on_lost);
  /// Stops renewing and gives everything back (best effort). Idempotent.
  void Release();

  bool lost() const;
  std::string lost_reason() const;

 private:
  void Lost(const std::string& why);

  std::unique_ptr<EtcdLock> etcd_;  // null without lock.etcd
  NodeLeases nodes_;
  Clock& clock_;
  Duration node_ttl_;
  std::unique_ptr<LeaseKeeper> etcd_keeper_;
  std::unique_ptr<LeaseKeeper> node_keeper_;

  mutable std::mutex mu_;  // guards the members below
  std::function<void(const std::string&)> on_lost_;
  std::string lost_reason_;
};

}  // namespace shardctl
