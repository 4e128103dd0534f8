// `shardctl recover`: every selected shard through ShardRecovery, in the playbook's order, as
// many at once as the playbook allows.
#pragma once

#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "engine/events.h"
#include "engine/journal.h"
#include "engine/report.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl {

struct RecoverOptions {
  std::vector<int> shards;  // empty: every shard of the inventory
  bool force = false;       // restart shards that look healthy too
};

/// Holds references only; everything passed in must outlive Run(). observer may be called from
/// several threads but never concurrently (the engine serialises the calls).
class RecoverEngine {
 public:
  RecoverEngine(const Inventory& inv, const Playbook& pb, Transport& transport, Clock& clock,
                Journal& journal, Observer& observer, const CancelToken& cancel);

  /// Validates first (every template renders for every node, every shard exists) and touches
  /// nothing if that fails. Then recovers; the report says what happened to each shard.
  Result<RecoveryReport> Run(const RecoverOptions& options);

 private:
  const Inventory& inv_;
  const Playbook& pb_;
  Transport& transport_;
  Clock& clock_;
  Journal& journal_;
  Observer& observer_;
  const CancelToken& cancel_;
};

/// What every run and plan checks before it touches anything: the playbook against the inventory
/// (every template renders for every node), then the shards it would touch, in order. Errors
/// name the template and node, or a shard id the inventory lacks.
Result<std::vector<int>> ScheduledShards(const Inventory& inv, const Playbook& pb,
                                         const std::vector<int>& selected);

}  // namespace shardctl
