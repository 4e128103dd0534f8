#include "ops/recover/recover.h"

#include "ops/recover/shard_recovery.h"
#include "run/driver.h"

namespace shardctl {
namespace {

class RecoverOperation : public Operation {
 public:
  RecoverOperation(bool force, std::map<int, RecoverResume> resume)
      : force_(force), resume_(std::move(resume)) {}

  OperationKind Kind() const override { return OperationKind::kRecover; }
  std::string Describe(const std::vector<int>& shards) const override {
    return "recover " + std::to_string(shards.size()) + " shard(s)" + (force_ ? ", --force" : "");
  }
  /// A halted shard gains nothing by waiting for another one's recovery.
  int ParallelShards(const Playbook& pb) const override { return pb.recover_parallel_shards; }
  std::vector<OperationPhase> Phases(const std::vector<int>& shards) override {
    shards_.resize(shards.size());
    return {OperationPhase::ForEachShard(
        [this](RunContext& ctx, const Shard& shard, size_t slot) {
          shards_[slot] = ShardRecovery(ctx, shard, force_, ResumeOf(shard.id)).Run();
        },
        [this](const Shard& shard, size_t slot, const std::string& why) {
          shards_[slot].shard = shard.id;
          shards_[slot].verdict = Phase::kCancelled;
          shards_[slot].reason = "not started: " + why + "; nothing was touched";
        })};
  }
  bool Succeeded() const override {
    for (const ShardReport& s : shards_) {
      if (!s.healthy()) return false;
    }
    return true;
  }
  std::string Summary() const override {
    return Succeeded() ? "all selected shards healthy" : "NOT all selected shards healthy";
  }

  std::vector<ShardReport> TakeShards() { return std::move(shards_); }

 private:
  std::optional<RecoverResume> ResumeOf(int shard) const {
    auto it = resume_.find(shard);
    return it == resume_.end() ? std::nullopt : std::optional(it->second);
  }

  const bool force_;
  const std::map<int, RecoverResume> resume_;
  std::vector<ShardReport> shards_;  // slot i written by the driver's thread for slot i only
};

}  // namespace

Result<RecoveryReport> Recover(RunContext& ctx, const RecoverOptions& options) {
  RecoverOperation op(options.force, options.resume);
  auto run = RunOperation(ctx, op, DriverOptions{.shards = options.shards});
  if (!run.ok()) return run.status();
  return RecoveryReport{*run, op.TakeShards()};
}

}  // namespace shardctl
