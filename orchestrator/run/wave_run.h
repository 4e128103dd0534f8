// A wave-based operation (rolling-restart, upgrade, rollback) on the driver: every shard with a
// target through ShardWaves with the operation's node action, one failure budget for the run.
// Its phases: the action's Prepare (once for the run: an upgrade stages its release there),
// every shard's canaries when the action wants them first (ShardWaves::Lead, shards.parallel at
// once), then every shard's waves (ShardWaves::Run).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "run/context.h"
#include "run/driver.h"
#include "run/node_action.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl {

class WavesOperation : public Operation {
 public:
  /// inv and action must outlive the operation.
  WavesOperation(OperationKind kind, const Inventory& inv, NodeAction& action,
                 const WaveOptions& options);
  ~WavesOperation() override;

  OperationKind Kind() const override { return kind_; }
  /// Shards with something to do: a target or an interrupted node.
  std::vector<int> ShardsWithWork(const std::vector<int>& scheduled) const override;
  std::string Describe(const std::vector<int>& shards) const override;
  std::vector<OperationPhase> Phases(const std::vector<int>& shards) override;
  bool Succeeded() const override;
  std::string Summary() const override;

  WaveReport Report(RunInfo run) const;

 private:
  /// The action's run-wide step: what it leaves out is skipped; an error refuses every shard.
  void Prepare(RunContext& ctx);
  /// Slot's assessment, resumed nodes and canary wave (and soak), before any shard's waves.
  void Lead(RunContext& ctx, const Shard& shard, size_t slot);
  void RunShard(RunContext& ctx, const Shard& shard, size_t slot);
  void SkipShard(const Shard& shard, size_t slot, const std::string& why);
  /// A shard refused before it began (Prepare failed, the budget spent): its targets are
  /// skipped (journaled).
  void Skip(RunContext& ctx, const Shard& shard, size_t slot, const std::string& why);
  bool IsTarget(const std::string& node) const;

  const OperationKind kind_;
  const Inventory& inv_;
  NodeAction& action_;
  WaveOptions options_;                  // a copy: Prepare may leave targets out
  std::string refused_;                  // why Prepare refused every shard ("" when it did not)
  FailureBudget budget_;                 // shared by every shard's thread
  std::vector<WaveShardReport> shards_;  // slot i written by the driver's thread for slot i only
  std::vector<std::unique_ptr<ShardWaves>> led_;  // slot i's shard, when Lead led it
};

/// Runs a WavesOperation through the driver. Validates first and touches nothing if that
/// fails.
Result<WaveReport> RunWaves(RunContext& ctx, OperationKind kind, NodeAction& action,
                            const WaveOptions& options);

}  // namespace shardctl
