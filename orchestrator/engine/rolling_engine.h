// `shardctl rolling-restart` (and its resume and retry): restarts the selected nodes shard by
// shard in quorum-safe waves (design.md section 5, "Rolling safety"), counting failures against
// one budget for the whole run.
#pragma once

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "engine/events.h"
#include "engine/journal.h"
#include "engine/rolling_journal.h"
#include "engine/rolling_report.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl {

struct RollingOptions {
  std::vector<int> shards;        // empty: every shard of the inventory (playbook order)
  std::set<std::string> targets;  // the nodes to restart; others are only probed
  /// Resume: nodes whose restart was interrupted, with their journaled history. They are
  /// re-assessed (is_running) and brought back first, before any new wave.
  std::map<std::string, NodeHistory> in_flight;
  int failure_budget = 0;  // node failures tolerated over the whole run
  bool resumed = false;    // journal "resumed" instead of "begin" for the run
};

/// Node failures counted over the whole run, shared by every shard. Thread-safe.
class FailureBudget {
 public:
  explicit FailureBudget(int budget) : budget_(budget) {}
  void Count() { failures_.fetch_add(1); }
  /// More failures than the budget allows: nothing new may start.
  bool Spent() const { return failures_.load() > budget_; }
  int failures() const { return failures_.load(); }
  int budget() const { return budget_; }

 private:
  const int budget_;
  std::atomic<int> failures_{0};
};

/// Holds references only; everything passed in must outlive Run(). `stop` is the operator's
/// Ctrl-C: it is looked at between waves, so a wave in flight always finishes (its nodes back
/// up and in sync, or failed) and no node is left stopped by an interruption. Commands are
/// never cancelled mid-flight by it; a second Ctrl-C (which exits at once) is the hard stop.
class RollingEngine {
 public:
  RollingEngine(const Inventory& inv, const Playbook& pb, Transport& transport, Clock& clock,
                Journal& journal, Observer& observer, const CancelToken& stop);

  /// Validates first (templates render for every node, shards exist) and touches nothing if
  /// that fails.
  Result<RollingReport> Run(const RollingOptions& options);

 private:
  const Inventory& inv_;
  const Playbook& pb_;
  Transport& transport_;
  Clock& clock_;
  Journal& journal_;
  Observer& observer_;
  const CancelToken& stop_;
};

}  // namespace shardctl
