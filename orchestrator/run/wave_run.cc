#include "run/wave_run.h"

namespace shardctl {

WavesOperation::WavesOperation(OperationKind kind, const Inventory& inv, NodeAction& action,
                               const WaveOptions& options)
    : kind_(kind), inv_(inv), action_(action), options_(options), budget_(options.failure_budget) {}

WavesOperation::~WavesOperation() = default;

bool WavesOperation::IsTarget(const std::string& node) const {
  return options_.targets.count(node) || options_.in_flight.count(node);
}

std::vector<int> WavesOperation::ShardsWithWork(const std::vector<int>& scheduled) const {
  std::vector<int> out;
  for (int id : scheduled) {
    for (const Node& n : inv_.FindShard(id)->nodes) {
      if (IsTarget(n.name)) {
        out.push_back(id);
        break;
      }
    }
  }
  return out;
}

std::string WavesOperation::Describe(const std::vector<int>& shards) const {
  return std::string(OperationName(kind_)) + " of " + std::to_string(options_.targets.size()) +
         " node(s) in " + std::to_string(shards.size()) + " shard(s), failure budget " +
         std::to_string(options_.failure_budget);
}

std::vector<OperationPhase> WavesOperation::Phases(const std::vector<int>& shards) {
  shards_.resize(shards.size());
  led_.resize(shards.size());
  auto skip = [this](const Shard& shard, size_t slot, const std::string& why) {
    SkipShard(shard, slot, why);
  };
  std::vector<OperationPhase> phases;
  phases.push_back(OperationPhase::ForRun([this](RunContext& ctx) { Prepare(ctx); }));
  // Every shard's canary (and soak) before any shard's other waves: a bad release is caught
  // while every other node still runs the old one.
  if (action_.CanariesFirst()) {
    phases.push_back(OperationPhase::ForEachShard(
        [this](RunContext& ctx, const Shard& shard, size_t slot) { Lead(ctx, shard, slot); },
        nullptr));
    // The canaries' soaks, every shard's at once (they only watch); a canary that went out is
    // judged whatever stopped the run, as the wave it belongs to was in flight.
    phases.push_back(OperationPhase::WatchEachShard(
        [this](RunContext&, const Shard&, size_t slot) {
          if (led_[slot]) led_[slot]->SoakCanaries();
        },
        OperationPhase::When::kAlways));
  }
  phases.push_back(OperationPhase::ForEachShard(
      [this](RunContext& ctx, const Shard& shard, size_t slot) { RunShard(ctx, shard, slot); },
      skip));
  return phases;
}

void WavesOperation::Prepare(RunContext& ctx) {
  std::vector<const Node*> targets;
  for (const Shard& shard : ctx.inv.shards) {
    for (const Node& n : shard.nodes) {
      if (IsTarget(n.name)) targets.push_back(&n);
    }
  }
  auto left_out = action_.Prepare(ctx, targets);
  if (!left_out.ok()) {
    refused_ = left_out.status().message();
    return;
  }
  for (const auto& [name, why] : *left_out) {
    options_.targets.erase(name);
    options_.in_flight.erase(name);
    options_.left_out[name] = why;
  }
}

void WavesOperation::Lead(RunContext& ctx, const Shard& shard, size_t slot) {
  if (!refused_.empty() || budget_.Spent()) return;  // the waves phase reports the shard
  led_[slot] = std::make_unique<ShardWaves>(ctx, shard, action_, options_, budget_);
  led_[slot]->Lead(/*defer_soak=*/true);
}

void WavesOperation::RunShard(RunContext& ctx, const Shard& shard, size_t slot) {
  if (!refused_.empty()) return Skip(ctx, shard, slot, refused_);
  if (led_[slot]) {
    shards_[slot] = led_[slot]->Run();
    return;
  }
  if (budget_.Spent()) return Skip(ctx, shard, slot, "failure budget spent before it began");
  shards_[slot] = ShardWaves(ctx, shard, action_, options_, budget_).Run();
}

void WavesOperation::SkipShard(const Shard& shard, size_t slot, const std::string& why) {
  if (led_[slot]) {
    shards_[slot] = led_[slot]->Cancel(why);
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

void WavesOperation::Skip(RunContext& ctx, const Shard& shard, size_t slot,
                          const std::string& why) {
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

bool WavesOperation::Succeeded() const {
  for (const WaveShardReport& s : shards_) {
    if (s.verdict != Phase::kHealthy) return false;
  }
  return true;
}

std::string WavesOperation::Summary() const {
  return (Succeeded() ? "every selected node " : "NOT every selected node ") +
         std::string(action_.Verb());
}

WaveReport WavesOperation::Report(RunInfo run) const {
  return WaveReport{std::move(run), action_.Verb(), budget_.budget(), budget_.failures(), shards_};
}

Result<WaveReport> RunWaves(RunContext& ctx, OperationKind kind, NodeAction& action,
                            const WaveOptions& options) {
  WavesOperation op(kind, ctx.inv, action, options);
  auto run = RunOperation(ctx, op, DriverOptions{options.shards, options.resumed});
  if (!run.ok()) return run.status();
  return op.Report(*run);
}

}  // namespace shardctl
