#include "ops/upgrade/stage.h"

#include <algorithm>

#include "base/parallel.h"
#include "base/text.h"
#include "run/node_ops.h"

namespace shardctl::upgrade {
namespace {

// One node: the release found staged (verify_staged), or sent with `stage`.
StageOutcome StageOne(RunContext& ctx, const Node& node, const Artifact& artifact,
                      const UpgradeRunVars& run, size_t at_once) {
  StageOutcome out{&node, Status::Ok(), false};
  if (ctx.Stopping()) {
    out.status = Status::Cancelled(node.name + ": not staged: " + ctx.StopReason());
    return out;
  }
  NodeOps ops(ctx, node.shard);
  if (!ctx.pb.commands.verify_staged.empty()) {
    auto check = ops.Command(node, CommandId::kVerifyStaged, &run);
    if (check.ok() && ops.Read(node, *check).ok()) {
      ctx.journal.Note(node.shard, node.name, CommandId::kStage, Outcome::kStaged,
                       "verify_staged passed: sha256 " + run.artifact_sha256 + " not sent again");
      out.found_staged = true;
      return out;
    }
  }
  auto stage = ops.Command(node, CommandId::kStage, &run);
  if (!stage.ok()) {
    out.status = stage.status();
    return out;
  }
  stage->input = &artifact.bytes;
  stage->inputs_at_once = at_once;
  out.status = ops.Do(node, *stage).Annotate(node.name + ": ");
  return out;
}

}  // namespace

std::vector<StageOutcome> StageRelease(RunContext& ctx, const std::vector<const Node*>& nodes,
                                       const Artifact& artifact, const UpgradeRunVars& run) {
  int parallel = ctx.pb.parallel_nodes;
  size_t at_once = parallel >= 1 ? std::min(nodes.size(), size_t(parallel)) : nodes.size();
  std::vector<StageOutcome> out(nodes.size());
  ParallelFor(nodes.size(), parallel,
              [&](size_t i) { out[i] = StageOne(ctx, *nodes[i], artifact, run, at_once); });
  return out;
}

Result<StagingResult> StageStep(RunContext& ctx, const std::vector<const Node*>& nodes,
                                const Artifact& artifact, const UpgradeRunVars& run,
                                bool leave_out_failed) {
  ctx.journal.Note(-1, "", Step::kStaging, Outcome::kBegin,
                   std::to_string(nodes.size()) + " node(s), sha256 " + artifact.sha256);
  StagingResult r;
  r.outcomes = StageRelease(ctx, nodes, artifact, run);
  size_t found = 0;
  std::vector<std::string> lines;
  for (const StageOutcome& o : r.outcomes) {
    found += o.found_staged ? 1 : 0;
    if (o.status.ok()) continue;
    r.failed[o.node->name] = "not staged: " + o.status.message();
    lines.push_back(r.failed[o.node->name]);
  }
  Outcome outcome = Outcome::kOk;
  if (r.failed.empty()) {
    r.summary = std::to_string(nodes.size()) + " staged (" + std::to_string(found) +
                " found staged already, not sent again)";
  } else {
    r.summary = "staging failed on " + std::to_string(r.failed.size()) + " of " +
                std::to_string(nodes.size()) + " node(s): " + Join(lines, "; ");
    outcome = leave_out_failed ? Outcome::kPartial : Outcome::kFailed;
  }
  SHARDCTL_RETURN_IF_ERROR(
      ctx.journal.Record(-1, "", Step::kStaging, outcome,
                         r.summary + (outcome == Outcome::kPartial ? "; left out" : "")));
  return r;
}

}  // namespace shardctl::upgrade
