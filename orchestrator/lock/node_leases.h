// Leases on the nodes themselves: a run holds a shard when the lease file on more than half of
// the shard's nodes (by count) names it, so two runs can never hold one shard at once.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "lock/lease_holder.h"
#include "lock/node_lease_script.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl {

/// The playbook's "lease" section (docs/playbooks.md) and the time each lease command may take.
struct NodeLeaseConfig {
  LeasePolicy policy;
  Duration command_timeout{15000};
};

/// What one node said about its lease (status, break, refusals).
struct NodeLeaseAnswer {
  std::string node;
  int shard = 0;
  bool answered = false;  // false: error holds why (unreachable, timeout, bad answer)
  std::string error;
  NodeLeaseReply reply;
};

/// Runs op on every node in nodes at once and parses each answer (broken_by: for kBreak, the
/// tombstone's "WHO at WHEN: WHY").
std::vector<NodeLeaseAnswer> RunNodeLeaseOp(Transport& transport, const Inventory& inv,
                                            const std::vector<const Node*>& nodes,
                                            const NodeLeaseConfig& cfg, NodeLeaseOp op,
                                            const LeaseHolder& run,
                                            const std::string& broken_by = "");

/// The node leases of one run. Acquire, Renew and Release may be called from different threads.
class NodeLeases {
 public:
  /// transport, inv and clock must outlive this object.
  NodeLeases(Transport& transport, const Inventory& inv, Clock& clock, NodeLeaseConfig cfg,
             LeaseHolder me);

  /// Takes the lease on every node of shard. Ok when more than half of its nodes are ours; each
  /// expired lease taken over adds a line to *notes. Otherwise gives back what it took and
  /// returns kFailed naming the holder (run id, operator, start) and where it holds, or the
  /// nodes that did not answer.
  Status Acquire(int shard, std::vector<std::string>* notes);
  /// One renewal round over every node taken. A node that does not answer keeps its last
  /// expiry. kFailed when some shard no longer has more than half of its nodes ours.
  Status Renew();
  /// Removes every lease taken (best effort: a node that does not answer keeps it until it
  /// expires). Idempotent.
  void Release();
  /// Shards held, ascending.
  std::vector<int> shards() const;

 private:
  int HeldCount(int shard, TimePoint now) const;  // requires mu_
  std::vector<const Node*> Nodes(int shard) const;

  Transport& transport_;
  const Inventory& inv_;
  Clock& clock_;
  const NodeLeaseConfig cfg_;
  const LeaseHolder me_;

  mutable std::mutex mu_;
  std::map<int, std::map<std::string, TimePoint>> valid_until_;  // shard -> node -> ours until
};

}  // namespace shardctl
