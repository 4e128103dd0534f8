#include "cli/rolling_command.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/shell_quote.h"
#include "cli/command.h"
#include "cli/flag_checks.h"
#include "cli/lease_step.h"
#include "cli/pipeline.h"
#include "ops/rolling/rolling.h"
#include "ops/rolling/rolling_plan.h"

namespace shardctl::cli {
namespace {

std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace

Status RollingCommand::Select(const Inventory& inv, const Playbook& pb) {
  auto nodes = SelectNodes(inv, o_.selection());
  if (!nodes.ok()) return nodes.status();
  wave_.shards = o_.shards;
  wave_.in_flight = r_.in_flight;
  wave_.failure_budget = r_.failure_budget >= 0 ? r_.failure_budget : pb.rolling.failure_budget;
  wave_.resumed = !r_.resume_run_id.empty();
  std::set<std::string> only(r_.only.begin(), r_.only.end());
  for (const Node* n : *nodes) {
    if (!only.empty() && !only.count(n->name)) continue;
    if (!r_.leave.count(n->name)) wave_.targets.insert(n->name);
  }
  return Status::Ok();
}

int RollingCommand::DryRun(const Inventory& inv, const Playbook& pb) {
  auto transport = MakeTransport(o_);
  RealClock clock;
  auto plan = PlanRolling(inv, pb, *transport, clock, wave_);
  transport->CloseAll();
  if (!plan.ok()) {
    PrintError(plan.status());
    return ExitCodeFor(plan.status());
  }
  std::cout << (o_.json() ? JsonLine(WavePlanToJson(*plan)) : RenderWavePlanText(*plan));
  return kExitOk;
}

std::vector<int> RollingCommand::LeaseShards(const Inventory& inv) const {
  std::vector<std::string> nodes(wave_.targets.begin(), wave_.targets.end());
  for (const auto& [name, unused] : wave_.in_flight) nodes.push_back(name);
  return ShardsOf(inv, nodes);
}

RunHeader RollingCommand::Header() const {
  RunHeader h;
  h.command = r_.command == "retry" ? "retry" : "rolling-restart";
  h.inventory = Absolute(o_.inventory);
  h.playbook = Absolute(o_.playbook);
  h.shards = o_.shards;
  h.nodes = o_.nodes;
  h.only = r_.only;
  h.known_hosts = o_.known_hosts.empty() ? "" : Absolute(o_.known_hosts);
  h.accept_new_host_keys = o_.accept_new_host_keys;
  h.retry_of = r_.retry_of;
  return h;
}

Status RollingCommand::Prologue(Journal& journal) const {
  if (!r_.resume_run_id.empty()) return Status::Ok();  // the header is in the journal already
  return journal.Record(-1, "", Step::kRun, Outcome::kHeader, RunHeaderToJson(Header()));
}

Result<WaveReport> RollingCommand::RunWaveOperation(RunContext& ctx) {
  return RollingRestart(ctx, wave_);
}

int RollingCommand::Run(RunContext& ctx, std::string* markdown) {
  auto report = RunWaveOperation(ctx);
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  PrintReport(o_, WaveReportToJson(*report), RenderWaveText(*report));
  if (markdown) *markdown = RenderWaveMarkdown(*report);
  return Finish(*report);
}

int RollingCommand::Finish(const WaveReport& report) const {
  std::string state_dir = o_.state_dir.empty() ? DefaultStateDir() : o_.state_dir;
  std::string again = " " + report.run.run_id + " --state-dir " + ShellQuote(state_dir);
  if (report.run.interrupted) {
    PrintError(report.run.stop_reason +
               "; every wave in flight was finished. Continue with: shardctl resume" + again);
    return kExitCancelled;
  }
  if (report.AllDone()) return kExitOk;
  PrintError("not every node was " + report.verb + "; " + AfterFailure(report, again));
  return kExitFailed;
}

std::string RollingCommand::AfterFailure(const WaveReport&, const std::string& again) const {
  return "after fixing the cause: shardctl retry" + again;
}

void AddRollingOptions(po::options_description* d, RollingRequest* r) {
  d->add_options()("failure-budget",
                   po::value(&r->failure_budget)
                       ->value_name("N")
                       ->notifier(IntFlag("--failure-budget", 0, 1000000)),
                   "node failures tolerated over the whole run before nothing new starts "
                   "(default: the playbook's rolling.failure_budget, else 0)");
}

int RunRolling(const CommonOptions& o, const RollingRequest& r) {
  RollingCommand cmd(o, r);
  return RunPipeline(o, cmd);
}

}  // namespace shardctl::cli
