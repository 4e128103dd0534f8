#include "ops/upgrade/upgrade.h"

#include "ops/upgrade/stage.h"
#include "run/driver.h"
#include "run/wave_run.h"

namespace shardctl::upgrade {
namespace {

// `upgrade --stage-only`: the staging step alone, reported per shard.
class StageOnlyOperation : public Operation {
 public:
  StageOnlyOperation(const Inventory& inv, const Artifact& artifact, UpgradeRunVars run,
                     const WaveOptions& options)
      : inv_(inv), artifact_(artifact), run_(std::move(run)), options_(options) {}

  OperationKind Kind() const override { return OperationKind::kUpgrade; }
  std::vector<int> ShardsWithWork(const std::vector<int>& scheduled) const override {
    std::vector<int> out;
    for (int id : scheduled) {
      if (!Targets(id).empty()) out.push_back(id);
    }
    return out;
  }
  std::string Describe(const std::vector<int>& shards) const override {
    return "upgrade --stage-only of " + std::to_string(options_.targets.size()) + " node(s) in " +
           std::to_string(shards.size()) + " shard(s), sha256 " + artifact_.sha256;
  }
  std::vector<OperationPhase> Phases(const std::vector<int>& shards) override {
    shards_.resize(shards.size());
    for (size_t i = 0; i < shards.size(); ++i) Report(shards[i], &shards_[i], nullptr);
    return {OperationPhase::ForRun([this, shards](RunContext& ctx) {
      std::vector<const Node*> targets;
      for (int id : shards) {
        for (const Node* n : Targets(id)) targets.push_back(n);
      }
      auto staged = StageStep(ctx, targets, artifact_, run_, /*leave_out_failed=*/false);
      for (size_t i = 0; i < shards.size(); ++i)
        Report(shards[i], &shards_[i], staged.ok() ? &*staged : nullptr);
    })};
  }
  bool Succeeded() const override {
    for (const WaveShardReport& s : shards_) {
      if (s.verdict != Phase::kHealthy) return false;
    }
    return true;
  }
  std::string Summary() const override {
    return Succeeded() ? "every selected node staged" : "NOT every selected node staged";
  }
  WaveReport TakeReport(RunInfo run) {
    return WaveReport{std::move(run), "staged", 0, 0, std::move(shards_)};
  }

 private:
  std::vector<const Node*> Targets(int shard) const {
    std::vector<const Node*> out;
    for (const Node& n : inv_.FindShard(shard)->nodes) {
      if (options_.targets.count(n.name)) out.push_back(&n);
    }
    return out;
  }
  // The shard's part of the staging (null: it did not run, so nothing was staged).
  void Report(int shard, WaveShardReport* r, const StagingResult* staged) const {
    *r = WaveShardReport{};
    r->shard = shard;
    r->verdict = staged ? Phase::kHealthy : Phase::kCancelled;
    r->reason = staged ? "" : "staging did not run; nothing was touched";
    for (const Node* n : Targets(shard)) {
      if (!staged) {
        r->not_started.push_back(n->name);
        continue;
      }
      auto failed = staged->failed.find(n->name);
      if (failed == staged->failed.end()) {
        r->done.push_back(n->name);
        continue;
      }
      r->failed.emplace_back(n->name, failed->second);
      r->verdict = Phase::kGaveUp;
      r->reason = "staging failed on some nodes";
    }
  }

  const Inventory& inv_;
  const Artifact& artifact_;
  const UpgradeRunVars run_;
  const WaveOptions& options_;
  std::vector<WaveShardReport> shards_;  // written by the driver's thread only
};

}  // namespace

Result<WaveReport> RunUpgrade(RunContext& ctx, const Artifact& artifact,
                              UpgradeActionOptions action, const WaveOptions& options) {
  action.run.run_id = ctx.journal.run_id();
  UpgradeAction upgrade(ctx, artifact, std::move(action));
  return RunWaves(ctx, OperationKind::kUpgrade, upgrade, options);
}

Result<WaveReport> RunStageOnly(RunContext& ctx, const Artifact& artifact, UpgradeRunVars run,
                                const WaveOptions& options) {
  run.run_id = ctx.journal.run_id();
  StageOnlyOperation op(ctx.inv, artifact, std::move(run), options);
  auto info = RunOperation(ctx, op, DriverOptions{options.shards, options.resumed});
  if (!info.ok()) return info.status();
  return op.TakeReport(*info);
}

}  // namespace shardctl::upgrade
