#include "ops/recover/recover_plan.h"

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "run/driver.h"

namespace shardctl {
namespace {

class PlanBuilder {
 public:
  PlanBuilder(const Playbook& pb, const Shard& shard, std::vector<PlanStep>* out)
      : pb_(pb), shard_(shard), out_(out) {}

  void Build(bool force) {
    Shard(force ? "assess (informational: --force restarts the shard whatever it says)"
                : "assess: probe every node; a healthy shard is left alone (--force to restart)");
    EachNode(Phase::kAssess, CommandId::kIsRunning, "");
    EachNode(Phase::kAssess, CommandId::kProbe, "");
    EachNode(Phase::kStop, CommandId::kStop,
             "all nodes in parallel; unreachable ones are left out "
             "if the rest still hold a quorum");
    EachNode(Phase::kConfirmDown, CommandId::kIsRunning,
             "every " + FormatDuration(pb_.timeouts.confirm_poll) +
                 " until all report stopped, "
                 "at most " +
                 FormatDuration(pb_.timeouts.stop_confirm));
    EachNode(Phase::kVerify, CommandId::kVerifyBinary, "");
    EachNode(Phase::kVerify, CommandId::kRestoreBinary,
             "only where verify fails, then verify again");
    EachNode(Phase::kSyncCheck, CommandId::kDbHeight,
             "flag nodes more than " + std::to_string(pb_.sync_max_behind) + " blocks behind");
    EachNode(Phase::kStart, CommandId::kStart,
             "all at once, within " + FormatDuration(pb_.timeouts.start_window));
    Shard("gate: probe every " + FormatDuration(pb_.gate.poll_interval) + " until +" +
          std::to_string(pb_.gate.min_new_blocks) + " blocks and a quorum, " +
          pb_.quorum.Describe() + " of the voting power, Normal within " +
          std::to_string(pb_.gate.max_lag) + " blocks, within " + FormatDuration(pb_.gate.within) +
          "; stuck after " + FormatDuration(pb_.stuck.after) + " of view change");
    std::string backoffs;
    for (int k = 2; k <= pb_.escalation.max_shard_restarts; ++k) {
      backoffs += (backoffs.empty() ? "" : ", ") + FormatDuration(pb_.escalation.BackoffBefore(k));
    }
    Shard("escalate: if stuck or halted, restart the whole shard again, up to " +
          std::to_string(pb_.escalation.max_shard_restarts) + " restarts in all" +
          (backoffs.empty() ? "" : " (waiting " + backoffs + ")") + ", then give up");
  }

 private:
  void Shard(const std::string& note) {
    out_->push_back({shard_.id, note.substr(0, note.find(':')), "", "", note});
  }

  void EachNode(Phase phase, CommandId id, const std::string& note) {
    if (pb_.commands.Get(id).empty()) return;
    for (const Node& n : shard_.nodes) {
      auto c = RenderNodeCommand(pb_, id, n);
      out_->push_back(
          {shard_.id, PhaseName(phase), n.name, c.ok() ? *c : c.status().message(), note});
    }
  }

  const Playbook& pb_;
  const struct Shard& shard_;
  std::vector<PlanStep>* out_;
};

}  // namespace

Result<RecoverPlan> BuildRecoverPlan(const Inventory& inv, const Playbook& pb,
                                     const RecoverOptions& options) {
  auto order = ScheduledShards(inv, pb, options.shards);
  if (!order.ok()) return order.status();
  RecoverPlan plan;
  plan.shard_order = *order;
  plan.parallel_shards = pb.recover_parallel_shards;
  for (int id : *order) PlanBuilder(pb, *inv.FindShard(id), &plan.steps).Build(options.force);
  return plan;
}

std::string RenderPlanText(const RecoverPlan& plan) {
  std::string out = "shards in order:";
  for (int id : plan.shard_order) out += " " + std::to_string(id);
  out +=
      plan.parallel_shards == 0 || plan.parallel_shards >= static_cast<int>(plan.shard_order.size())
          ? " (all at once)\n"
          : " (" + std::to_string(plan.parallel_shards) + " at once)\n";
  int shard = -1;
  std::string note;
  for (const PlanStep& s : plan.steps) {
    if (s.shard != shard) out += "\nshard " + std::to_string(s.shard) + "\n";
    shard = s.shard;
    if (s.node.empty()) {
      out += "  " + s.note + "\n";
      note.clear();
      continue;
    }
    if (!s.note.empty() && s.note != note) out += "  " + s.phase + ": " + s.note + "\n";
    note = s.note;
    out += "    " + s.phase + " " + s.node + ": " + s.command + "\n";
  }
  return out + "\n(dry run: nothing was touched)\n";
}

nlohmann::json PlanToJson(const RecoverPlan& plan) {
  nlohmann::json steps = nlohmann::json::array();
  for (const PlanStep& s : plan.steps) {
    nlohmann::json j = {{"shard", s.shard}, {"phase", s.phase}, {"note", s.note}};
    if (!s.node.empty()) j["node"] = s.node;
    if (!s.command.empty()) j["command"] = s.command;
    steps.push_back(j);
  }
  return {{"shard_order", plan.shard_order},
          {"parallel_shards", plan.parallel_shards},
          {"dry_run", true},
          {"steps", steps}};
}

}  // namespace shardctl
