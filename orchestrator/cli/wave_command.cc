#include "cli/wave_command.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "base/shell_quote.h"
#include "cli/earlier_run.h"
#include "cli/exit_code.h"
#include "cli/flag_checks.h"
#include "cli/output.h"
#include "cli/transport_factory.h"
#include "ops/rolling/rolling.h"
#include "ops/rolling/rolling_plan.h"

namespace shardctl::cli {
namespace {

// The shards of the named nodes, ascending and unique.
std::vector<int> ShardsOf(const Inventory& inv, const std::vector<std::string>& nodes) {
  std::set<int> shards;
  for (const std::string& name : nodes) {
    if (const Node* n = inv.FindNode(name)) shards.insert(n->shard);
  }
  return {shards.begin(), shards.end()};
}

}  // namespace

std::string WaveCommand::Name() const {
  if (Resuming()) return "resume";
  if (!r_.plan.header.retry_of.empty()) return "retry";
  return OperationName(r_.plan.header.command);
}

std::string WaveCommand::RunId(int64_t unix_ms) const {
  return Resuming() ? r_.plan.resume_run_id : NewRunId(unix_ms);
}

Status WaveCommand::Select(const Inventory& inv, const Playbook& pb) {
  auto nodes = SelectNodes(inv, o_.selection());
  if (!nodes.ok()) return nodes.status();
  wave_.shards = o_.shards;
  wave_.in_flight = r_.plan.in_flight;
  wave_.failure_budget = r_.failure_budget >= 0 ? r_.failure_budget : pb.rolling.failure_budget;
  wave_.resumed = Resuming();
  const std::vector<std::string>& only_list = r_.plan.header.only;
  std::set<std::string> only(only_list.begin(), only_list.end());
  for (const Node* n : *nodes) {
    if (!only.empty() && !only.count(n->name)) continue;
    if (!r_.plan.leave.count(n->name)) wave_.targets.insert(n->name);
  }
  return Status::Ok();
}

int WaveCommand::DryRun(const Inventory& inv, const Playbook& pb) {
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

std::vector<int> WaveCommand::LeaseShards(const Inventory& inv) const {
  std::vector<std::string> nodes(wave_.targets.begin(), wave_.targets.end());
  for (const auto& [name, unused] : wave_.in_flight) nodes.push_back(name);
  return ShardsOf(inv, nodes);
}

RunHeader WaveCommand::Header() const {
  RunHeader h = r_.plan.header;
  FlagsToHeader(o_, &h);
  return h;
}

std::vector<PrologueLine> WaveCommand::Prologue() const {
  if (Resuming()) return {};  // the header is in the journal already
  return {{Outcome::kHeader, RunHeaderToJson(Header())}};
}

Result<WaveReport> WaveCommand::RunWaveOperation(RunContext& ctx) {
  return RollingRestart(ctx, wave_);
}

int WaveCommand::Run(RunContext& ctx, std::string* markdown) {
  auto report = RunWaveOperation(ctx);
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  PrintReport(o_, WaveReportToJson(*report), RenderWaveText(*report));
  if (markdown) *markdown = RenderWaveMarkdown(*report);
  return Finish(*report);
}

int WaveCommand::Finish(const WaveReport& report) const {
  std::string again = " " + report.run.run_id + " --state-dir " + ShellQuote(o_.state_dir);
  if (report.run.interrupted) {
    PrintError(report.run.stop_reason +
               "; every wave in flight was finished. Continue with: shardctl resume" + again);
    return kExitCancelled;
  }
  if (report.AllDone()) return kExitOk;
  PrintError("not every node was " + report.verb + "; " + AfterFailure(report, again));
  return kExitFailed;
}

std::string WaveCommand::AfterFailure(const WaveReport&, const std::string& again) const {
  return "after fixing the cause: shardctl retry" + again;
}

void AddWaveOptions(po::options_description* d, WaveRequest* r) {
  d->add_options()("failure-budget",
                   po::value(&r->failure_budget)
                       ->value_name("N")
                       ->notifier(IntFlag("--failure-budget", 0, 1000000)),
                   "node failures tolerated over the whole run before nothing new starts "
                   "(default: the playbook's rolling.failure_budget, else 0)");
}

int RunRollingCommand(const CommonOptions& o, const WaveRequest& r) {
  WaveCommand cmd(o, r);
  return RunPipeline(o, cmd);
}

}  // namespace shardctl::cli
