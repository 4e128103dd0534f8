#include "run/wave_run.h"

#include <memory>

#include "base/parallel.h"
#include "run/driver.h"

namespace shardctl {
namespace {

class WavesOperation : public Operation {
 public:
  WavesOperation(std::string command, RunContext& ctx, NodeAction& action,
                 const WaveOptions& options)
      : command_(std::move(command)),
        ctx_(ctx),
        inv_(ctx.inv),
        action_(action),
        options_(options),
        budget_(options.failure_budget) {}

  std::string Command() const override { return command_; }

  // Shards with something to do: a target or an interrupted node.
  std::vector<int> ShardsWithWork(const std::vector<int>& scheduled) const override {
    std::vector<int> out;
    for (int id : scheduled) {
      for (const Node& n : inv_.FindShard(id)->nodes) {
        if (options_.targets.count(n.name) || options_.in_flight.count(n.name)) {
          out.push_back(id);
          break;
        }
      }
    }
    return out;
  }

  std::string Describe(const std::vector<int>& shards) const override {
    return command_ + " of " + std::to_string(options_.targets.size()) + " node(s) in " +
           std::to_string(shards.size()) + " shard(s), failure budget " +
           std::to_string(options_.failure_budget);
  }

  // The action's run-wide step (an upgrade's staging): what it leaves out is skipped; an error
  // refuses every shard.
  void Prepare(const std::vector<int>& shards) override {
    shards_.resize(shards.size());
    std::vector<const Node*> targets;
    for (const Shard& shard : inv_.shards) {
      for (const Node& n : shard.nodes) {
        if (options_.targets.count(n.name) || options_.in_flight.count(n.name))
          targets.push_back(&n);
      }
    }
    auto left_out = action_.Prepare(ctx_, targets);
    if (!left_out.ok()) {
      refused_ = left_out.status().message();
      return;
    }
    for (const auto& [name, why] : *left_out) {
      options_.targets.erase(name);
      options_.in_flight.erase(name);
      options_.left_out[name] = why;
    }
    if (action_.CanariesFirst()) LeadEveryShard(shards);
  }

  void RunShard(RunContext& ctx, const Shard& shard, size_t slot) override {
    if (!refused_.empty()) return Skip(ctx, shard, slot, refused_);
    if (ShardWaves* led = Led(slot)) {
      shards_[slot] = led->Run();
      return;
    }
    if (budget_.Spent()) return Skip(ctx, shard, slot, "failure budget spent before it began");
    shards_[slot] = ShardWaves(ctx, shard, action_, options_, budget_).Run();
  }

  void SkipShard(RunContext&, const Shard& shard, size_t slot, const std::string& why) override {
    if (ShardWaves* led = Led(slot)) {
      shards_[slot] = led->Cancel(why);
      return;
    }
    WaveShardReport& r = shards_[slot];
    r.shard = shard.id;
    r.verdict = Phase::kCancelled;
    r.reason = why + " before this shard began; nothing was touched";
    for (const Node& n : shard.nodes) {
      if (options_.targets.count(n.name)) r.not_started.push_back(n.name);
    }
  }

  bool Succeeded() const override {
    for (const WaveShardReport& s : shards_) {
      if (s.verdict != Phase::kHealthy) return false;
    }
    return true;
  }
  std::string Summary() const override {
    return Succeeded() ? std::string("every selected node ") + action_.Verb()
                       : std::string("NOT every selected node ") + action_.Verb();
  }

  WaveReport Report(RunInfo run) const {
    return WaveReport{std::move(run), action_.Verb(), budget_.budget(), budget_.failures(),
                      shards_};
  }

 private:
  // A shard the budget ran out on before it began: its targets are skipped (journaled).
  void Skip(RunContext& ctx, const Shard& shard, size_t slot, const std::string& why) {
    WaveShardReport& r = shards_[slot];
    r.shard = shard.id;
    r.verdict = Phase::kGaveUp;
    r.reason = why;
    for (const Node& n : shard.nodes) {
      if (!options_.targets.count(n.name)) continue;
      r.skipped.push_back(n.name);
      ctx.journal.Note(shard.id, n.name, Step::kNode, Outcome::kSkipped, why);
    }
  }

  // Every shard's first part (assessment, canary wave and soak) at once, before any shard's
  // other waves: one canary per shard keeps every shard's quorum, and the run soaks once
  // instead of once per round of `shards.parallel`. RunShard then goes on from there.
  void LeadEveryShard(const std::vector<int>& shards) {
    if (!refused_.empty()) return;
    led_.resize(shards.size());
    ParallelFor(shards.size(), static_cast<int>(shards.size()), [&](size_t i) {
      if (ctx_.Stopping() || budget_.Spent()) return;  // the driver skips the shard untouched
      led_[i] = std::make_unique<ShardWaves>(ctx_, *inv_.FindShard(shards[i]), action_, options_,
                                             budget_);
      led_[i]->Lead();
    });
  }

  ShardWaves* Led(size_t slot) const { return slot < led_.size() ? led_[slot].get() : nullptr; }

  const std::string command_;
  RunContext& ctx_;
  const Inventory& inv_;
  NodeAction& action_;
  WaveOptions options_;                  // a copy: Prepare may leave targets out
  std::string refused_;                  // why Prepare refused every shard ("" when it did not)
  FailureBudget budget_;                 // shared by every shard's thread
  std::vector<WaveShardReport> shards_;  // slot i written by the driver's thread for slot i only
  std::vector<std::unique_ptr<ShardWaves>> led_;  // slot i's shard, when LeadEveryShard led it
};

}  // namespace

Result<WaveReport> RunWaves(RunContext& ctx, const std::string& command, NodeAction& action,
                            const WaveOptions& options) {
  WavesOperation op(command, ctx, action, options);
  auto run = RunOperation(ctx, op, DriverOptions{options.shards, options.resumed});
  if (!run.ok()) return run.status();
  return op.Report(*run);
}

}  // namespace shardctl
