// shardctl recover: bring halted shards back with coordinated whole-shard restarts.
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/shell_quote.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/recover_command.h"
#include "ops/recover/recover.h"
#include "ops/recover/recover_plan.h"

namespace shardctl::cli {
namespace {

class RecoverCommand : public MutatingCommand {
 public:
  RecoverCommand(const CommonOptions& o, bool force, std::map<int, RecoverResume> resume)
      : o_(o), options_{o.shards, force, std::move(resume)} {}

  std::string Name() const override { return "recover"; }
  bool Planned() const override { return false; }  // an emergency is never refused for the window
  Status Select(const Inventory&, const Playbook&) override {
    if (o_.nodes.empty()) return Status::Ok();
    return Status::Invalid("recover restarts whole shards: select them with --shard, not --node");
  }
  int DryRun(const Inventory& inv, const Playbook& pb) override {
    auto plan = BuildRecoverPlan(inv, pb, options_);
    if (!plan.ok()) {
      PrintError(plan.status());
      return ExitCodeFor(plan.status());
    }
    std::cout << (o_.json() ? JsonLine(PlanToJson(*plan)) : RenderPlanText(*plan));
    return kExitOk;
  }
  std::vector<int> LeaseShards(const Inventory& inv) const override {
    if (!options_.shards.empty()) return options_.shards;
    std::vector<int> all;
    for (const Shard& s : inv.shards) all.push_back(s.id);
    return all;
  }
  std::string Question(const Inventory& inv) const override {
    return "Restart unhealthy shards of " + inv.network + "?";
  }
  int Run(RunContext& ctx, std::string* markdown) override {
    auto report = Recover(ctx, options_);
    if (!report.ok()) {
      PrintError(report.status());
      return ExitCodeFor(report.status());
    }
    PrintReport(o_, ReportToJson(*report), RenderTextSummary(*report));
    if (markdown) *markdown = RenderMarkdownReport(*report);
    if (report->run.interrupted) {
      PrintError(report->run.stop_reason +
                 "; every whole-shard restart in flight had its starts sent. Finish with: " +
                 ContinueCommand());
      return kExitCancelled;
    }
    return report->AllHealthy() ? kExitOk : kExitFailed;
  }

 private:
  // The command that finishes an interrupted recover: the same files, shards and host-key
  // flags, never --force (shards back in consensus are then left alone).
  std::string ContinueCommand() const {
    std::string cmd = "shardctl recover -i " + ShellQuote(Absolute(o_.inventory)) + " -p " +
                      ShellQuote(Absolute(o_.playbook));
    for (int s : o_.shards) cmd += " --shard " + std::to_string(s);
    if (!o_.ssh_config.empty()) cmd += " -F " + ShellQuote(o_.ssh_config);
    if (!o_.known_hosts.empty()) cmd += " --known-hosts " + ShellQuote(o_.known_hosts);
    if (o_.accept_new_host_keys) cmd += " --accept-new-host-keys";
    return cmd + " --state-dir " + ShellQuote(o_.state_dir);
  }

  const CommonOptions& o_;
  const RecoverOptions options_;
};

int RunRecover(const std::vector<std::string>& args) {
  CommonOptions o;
  bool force = false;
  po::options_description d("Options");
  AddRunOptions(&d, &o, /*planned=*/false);
  d.add_options()("force", po::bool_switch(&force), "restart shards that look healthy too");
  HelpText help{
      "shardctl recover -i INVENTORY -p PLAYBOOK [--shard N]... [--force] [--dry-run] "
      "[--report FILE]",
      "Brings halted shards back into consensus. Per shard, in the playbook's order: probe every\n"
      "node; leave a healthy shard alone (unless --force); otherwise stop every node, confirm\n"
      "all are down, verify each binary (restoring the known-good one where it fails), check\n"
      "stored heights, start every node at once, and wait for the gate: new blocks with a\n"
      "quorum of voting power in Normal mode. A shard that stays stuck is restarted whole again\n"
      "with backoff, up to the playbook's limit. Every action is journaled (fsync'd) under the\n"
      "state dir before it is sent. Ctrl-C never cuts a whole-shard restart short: the one in\n"
      "flight is started and gated, then nothing new begins. Exit 0 only if every selected\n"
      "shard is healthy.",
      "  shardctl recover -i inventory.json -p playbooks/harmony-recover.json --dry-run\n"
      "  shardctl recover -i inventory.json -p playbooks/harmony-recover.json --report out.md\n"
      "  shardctl recover -i /tmp/sb/inventory.json -p playbooks/sandbox.json --shard 1 -o json\n"};
  int parsed = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &parsed)) return parsed;
  return RunRecover(o, force);
}

RegisterCommand register_recover({"recover",
                                  "bring halted shards back: coordinated whole-shard restarts",
                                  &RunRecover});

}  // namespace

int RunRecover(const CommonOptions& o, bool force, std::map<int, RecoverResume> resume) {
  RecoverCommand cmd(o, force, std::move(resume));
  return RunPipeline(o, cmd);
}

}  // namespace shardctl::cli
