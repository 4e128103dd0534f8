#include "ops/upgrade/upgrade_action.h"

#include "base/text.h"
#include "ops/upgrade/canary.h"
#include "ops/upgrade/soak.h"
#include "ops/upgrade/stage.h"
#include "ops/upgrade/version_check.h"
#include "run/wait.h"

namespace shardctl::upgrade {

Status SwapIn(NodeOps& ops, const Node& node, CommandId id, const UpgradeRunVars& run,
              bool stop_first) {
  if (stop_first) SHARDCTL_RETURN_IF_ERROR(ops.StopAndConfirmDown(node));
  auto command = ops.Command(node, id, &run);
  if (!command.ok()) return command.status();
  SHARDCTL_RETURN_IF_ERROR(ops.Do(node, *command));
  return ops.Do(node, CommandId::kStart);
}

Status UpgradeAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes&) {
  // kStartAgain (resume): the node is down; the swap is idempotent, so it is sent again.
  return SwapIn(ops, node, CommandId::kSwap, options_.run, how == ResumeAction::kRestart);
}

Status UpgradeAction::Undo(NodeOps& ops, const Node& node) {
  // A node whose start failed is usually down already; stop and confirm anyway.
  return SwapIn(ops, node, CommandId::kRollback, options_.run, /*stop_first=*/true);
}

Status UpgradeAction::Check(NodeOps& ops, const Node& node, const NodeStatus* probed) {
  return CheckNodeVersion(ops, ctx_.pb, node, options_.run, probed);
}

Result<std::vector<const Node*>> UpgradeAction::Canaries(const Shard& shard,
                                                         const WaveInput& probed) {
  for (const Node& n : shard.nodes) {
    if (options_.upgraded_before.count(n.name)) return std::vector<const Node*>{};
  }
  return PickCanaries(shard, probed, ctx_.pb.upgrade.canary);
}

Result<std::map<std::string, std::string>> UpgradeAction::Prepare(
    RunContext& ctx, const std::vector<const Node*>& targets) {
  auto staged = StageStep(ctx, targets, artifact_, options_.run, options_.allow_partial);
  if (!staged.ok()) return staged.status();
  if (!staged->failed.empty() && !options_.allow_partial) {
    return Status::Failed(staged->summary +
                          "; no node was restarted (--allow-partial upgrades the staged ones)");
  }
  return staged->failed;
}

SoakSample UpgradeAction::LookAt(const Node& canary, const std::vector<NodeStatus>& statuses,
                                 const SampleSummary& s) {
  SoakSample look{ctx_.clock.Now(), false, true, "", s.top};
  const NodeStatus* probed = nullptr;
  for (const NodeStatus& st : statuses) {
    if (st.node != canary.name) continue;
    look.in_sync_normal = InSyncNormal(st, s, ctx_.pb);
    probed = &st;
  }
  NodeOps ops(ctx_, canary.shard);
  Status version = CheckNodeVersion(ops, ctx_.pb, canary, options_.run, probed);
  look.version_ok = version.ok();
  look.version_problem = version.ok() ? "" : version.message();
  return look;
}

Status UpgradeAction::Soak(const Shard& shard, const std::vector<const Node*>& canaries,
                           const SampleFn& sample) {
  const Playbook& pb = ctx_.pb;
  std::string names = Join(NodeNames(canaries));
  ctx_.journal.Note(shard.id, "", Step::kSoak, Outcome::kBegin,
                    names + ": " + FormatDuration(pb.upgrade.soak) + " and +" +
                        std::to_string(pb.upgrade.soak_blocks) + " blocks");
  std::vector<SoakJudge> judges;
  for (size_t i = 0; i < canaries.size(); ++i)
    judges.emplace_back(pb.upgrade, pb.rolling.node_timeout, ctx_.clock.Now());
  // The judge waits for blocks; a shard that stops committing must not hold the run forever.
  TimePoint deadline = ctx_.clock.Now() + pb.upgrade.soak + pb.rolling.node_timeout;
  std::string failed, progress;
  WaitEnd end = PollUntil(ctx_, {.every = pb.gate.poll_interval, .deadline = deadline}, [&] {
    SampleSummary s;
    std::vector<NodeStatus> statuses = sample(&s);
    bool all_passed = true;
    for (size_t i = 0; i < canaries.size() && failed.empty(); ++i) {
      SoakVerdict v = judges[i].Add(LookAt(*canaries[i], statuses, s));
      if (v.kind == SoakVerdict::Kind::kFailed) failed = canaries[i]->name + ": " + v.why;
      all_passed = all_passed && v.kind == SoakVerdict::Kind::kPassed;
      progress = v.why;
    }
    return !failed.empty() || all_passed;
  });
  if (failed.empty() && end != WaitEnd::kDone)
    failed = names + ": soak did not end in time (" + progress + ")";
  if (!failed.empty()) {
    ctx_.journal.Note(shard.id, "", Step::kSoak, Outcome::kFailed, failed);
    return Status::Failed(failed);
  }
  ctx_.journal.Note(shard.id, "", Step::kSoak, Outcome::kOk, names + ": " + progress);
  return Status::Ok();
}

}  // namespace shardctl::upgrade
