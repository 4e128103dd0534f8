// Who holds what, in both backends: what `shardctl lock status` shows and `lock break` acts on.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lock/etcd_lock.h"
#include "lock/node_leases.h"

namespace shardctl {

struct LockStatus {
  bool etcd_configured = false;
  std::vector<EtcdHolder> etcd;        // every key under the prefix
  std::string etcd_error;              // set when etcd could not be read
  std::vector<NodeLeaseAnswer> nodes;  // one per inventory node, in inventory order

  /// True when every node answered and etcd (if configured) was read.
  bool complete() const;
};

/// Reads the lease of every node of inv and, if inv configures etcd, every key under its prefix.
LockStatus ReadLockStatus(Transport& transport, const Inventory& inv, const NodeLeaseConfig& cfg);

/// {"etcd": {...}, "nodes": [...]} for `-o json`.
nlohmann::json LockStatusToJson(const LockStatus& s);
/// A few lines per backend; node expiries are shown relative to each node's own clock.
std::string RenderLockStatusText(const LockStatus& s);

/// What `lock break` did on each backend, for the journal and the operator.
struct BreakResult {
  std::vector<std::string> lines;  // "etcd: revoked ...", "s0-n1: removed", ...
  bool found = false;              // the run held something somewhere
  bool complete = true;            // every node answered and etcd (if any) was reached
};

/// Removes run_id's etcd key (revoking its lease) and replaces its lease file on every node of
/// inv by a tombstone naming broken_by ("WHO at WHEN: WHY"), so the broken run says who broke it.
BreakResult BreakLocks(Transport& transport, const Inventory& inv, const NodeLeaseConfig& cfg,
                       const std::string& run_id, const std::string& broken_by);

}  // namespace shardctl
