#include "ops/upgrade/upgrade_action.h"

#include "base/text.h"
#include "ops/upgrade/canary.h"
#include "ops/upgrade/soak.h"
#include "ops/upgrade/stage.h"
#include "ops/upgrade/version_check.h"

namespace shardctl::upgrade {

Status SendUpgradeCommand(const Playbook& pb, NodeOps& ops, const Node& node, CommandId id,
                          const UpgradeRunVars& run) {
  auto command = RenderUpgradeCommand(pb, id, node, run);
  if (!command.ok()) return command.status();
  Status announced = ops.Announce(node, id, *command);
  if (!announced.ok()) return Status::Failed(kNotSentPrefix + announced.message());
  ExecResult r = ops.Send(node, id, *command);
  if (!r.ok()) return Status::Failed(std::string(CommandKey(id)) + " failed: " + Explain(r));
  return Status::Ok();
}

Status StopAndConfirmDown(NodeOps& ops, const Node& node) {
  ExecResult stop = ops.Act(node, CommandId::kStop);
  if (!stop.ok()) return Status::Failed("stop failed: " + Explain(stop));
  return ops.WaitUntilDown(node);
}

Status UpgradeAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes&) {
  // kStartAgain (resume): the node is down; the swap is idempotent, so it is sent again.
  if (how == ResumeAction::kRestart) SHARDCTL_RETURN_IF_ERROR(StopAndConfirmDown(ops, node));
  SHARDCTL_RETURN_IF_ERROR(SendUpgradeCommand(ctx_.pb, ops, node, CommandId::kSwap, options_.run));
  ExecResult start = ops.Act(node, CommandId::kStart);
  if (!start.ok()) return Status::Failed("start failed on the new release: " + Explain(start));
  return Status::Ok();
}

Status UpgradeAction::Undo(NodeOps& ops, const Node& node) {
  // A node whose start failed is usually down already; stop and confirm anyway.
  SHARDCTL_RETURN_IF_ERROR(StopAndConfirmDown(ops, node));
  SHARDCTL_RETURN_IF_ERROR(
      SendUpgradeCommand(ctx_.pb, ops, node, CommandId::kRollback, options_.run));
  ExecResult start = ops.Act(node, CommandId::kStart);
  if (!start.ok()) return Status::Failed("start failed on the previous binary: " + Explain(start));
  return Status::Ok();
}

Status UpgradeAction::Check(NodeOps&, const Node& node, const NodeStatus* probed) {
  return CheckNodeVersion(ctx_.transport, ctx_.pb, node, options_.run, nullptr, probed);
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
  ctx.journal.Note(-1, "", Step::kStaging, Outcome::kBegin,
                   std::to_string(targets.size()) + " node(s), sha256 " + artifact_.sha256);
  auto journal_begin = [&ctx](const Node& n, const std::string& command) {
    return ctx.journal.Record(n.shard, n.name, CommandId::kStage, Outcome::kBegin, command);
  };
  std::vector<StageOutcome> staged =
      StageOnNodes(ctx.transport, ctx.pb, targets, artifact_, options_.run, ctx.pb.parallel_nodes,
                   &ctx.stop, journal_begin);
  std::map<std::string, std::string> failed;
  for (const StageOutcome& o : staged) {
    if (!o.status.ok()) failed[o.node->name] = "not staged: " + o.status.message();
    ctx.journal.Note(o.node->shard, o.node->name, CommandId::kStage,
                     o.status.ok() ? Outcome::kOk : Outcome::kFailed, o.status.message());
  }
  if (failed.empty()) {
    SHARDCTL_RETURN_IF_ERROR(ctx.journal.Record(-1, "", Step::kStaging, Outcome::kOk,
                                                std::to_string(staged.size()) + " staged"));
    return failed;
  }
  std::vector<std::string> lines;
  for (const auto& [name, why] : failed) lines.push_back(why);
  std::string summary = "staging failed on " + std::to_string(failed.size()) + " of " +
                        std::to_string(targets.size()) + " node(s): " + Join(lines, "; ");
  if (!options_.allow_partial) {
    ctx.journal.Note(-1, "", Step::kStaging, Outcome::kFailed, summary);
    return Status::Failed(summary + "; no node was restarted (--allow-partial upgrades the " +
                          "staged ones)");
  }
  SHARDCTL_RETURN_IF_ERROR(ctx.journal.Record(-1, "", Step::kStaging, Outcome::kPartial,
                                              summary + "; --allow-partial: left out"));
  return failed;
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
  Status version = CheckNodeVersion(ctx_.transport, ctx_.pb, canary, options_.run, nullptr, probed);
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
  auto fail = [&](const std::string& why) {
    ctx_.journal.Note(shard.id, "", Step::kSoak, Outcome::kFailed, why);
    return Status::Failed(why);
  };
  while (true) {
    SampleSummary s;
    std::vector<NodeStatus> statuses = sample(&s);
    bool all_passed = true;
    std::string progress;
    for (size_t i = 0; i < canaries.size(); ++i) {
      SoakVerdict v = judges[i].Add(LookAt(*canaries[i], statuses, s));
      if (v.kind == SoakVerdict::Kind::kFailed) return fail(canaries[i]->name + ": " + v.why);
      all_passed = all_passed && v.kind == SoakVerdict::Kind::kPassed;
      progress = v.why;
    }
    if (all_passed) {
      ctx_.journal.Note(shard.id, "", Step::kSoak, Outcome::kOk, names + ": " + progress);
      return Status::Ok();
    }
    if (ctx_.clock.Now() >= deadline)
      return fail(names + ": soak did not end in time (" + progress + ")");
    ctx_.clock.SleepFor(pb.gate.poll_interval);
  }
}

}  // namespace shardctl::upgrade
