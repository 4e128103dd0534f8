// shardctl recover: bring halted shards back with coordinated whole-shard restarts.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_guard.h"
#include "engine/plan.h"
#include "engine/recover_engine.h"
#include "engine/renderers.h"

namespace shardctl::cli {
namespace {

struct RecoverFlags {
  bool force = false;
  bool plain = false;
  std::string report;
};

int DryRun(const Inventory& inv, const Playbook& pb, const CommonOptions& o,
           const RecoverOptions& ro) {
  auto plan = BuildRecoverPlan(inv, pb, ro);
  if (!plan.ok()) {
    PrintError(plan.status());
    return ExitCodeFor(plan.status());
  }
  std::cout << (o.json() ? PlanToJson(*plan).dump(2) + "\n" : RenderPlanText(*plan));
  return kExitOk;
}

int Finish(const RecoveryReport& report, const CommonOptions& o, const RecoverFlags& f) {
  if (o.json()) {
    std::cout << nlohmann::json{{"event", "report"}, {"report", ReportToJson(report)}}.dump()
              << "\n";
  } else {
    std::cout << "\n" << RenderTextSummary(report);
  }
  if (!f.report.empty()) {
    std::ofstream out(f.report);
    out << RenderMarkdownReport(report);
    if (!out) PrintError("cannot write report " + f.report);
  }
  if (GlobalCancel()->cancelled()) return kExitCancelled;
  return report.AllHealthy() ? kExitOk : kExitFailed;
}

int Run(const std::vector<std::string>& args) {
  CommonOptions o;
  RecoverFlags f;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddPlaybookOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  AddActionOptions(&d, &o);
  d.add_options()("force", po::bool_switch(&f.force), "restart shards that look healthy too")(
      "plain", po::bool_switch(&f.plain), "timestamped lines even on a terminal (no live view)")(
      "report", po::value(&f.report)->value_name("FILE"), "write a Markdown report to FILE");
  HelpText help{
      "shardctl recover -i INVENTORY -p PLAYBOOK [--shard N]... [--force] [--dry-run] "
      "[--report FILE]",
      "Brings halted shards back into consensus. Per shard, in the playbook's order: probe every\n"
      "node; leave a healthy shard alone (unless --force); otherwise stop every node, confirm\n"
      "all are down, verify each binary (restoring the known-good one where it fails), check\n"
      "stored heights, start every node at once, and wait for the gate: new blocks with a\n"
      "quorum of voting power in Normal mode. A shard that stays stuck is restarted whole again\n"
      "with backoff, up to the playbook's limit. Every action is journaled (fsync'd) under the\n"
      "state dir before it is sent. Exit 0 only if every selected shard is healthy.",
      "  shardctl recover -i inventory.json -p playbooks/harmony.json --dry-run\n"
      "  shardctl recover -i inventory.json -p playbooks/harmony.json --report out.md\n"
      "  shardctl recover -i /tmp/sb/inventory.json -p playbooks/sandbox.json --shard 1 -o json\n"};
  int parsed = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &parsed)) return parsed;
  if (!o.nodes.empty()) {
    PrintError("recover restarts whole shards: select them with --shard, not --node");
    return kExitUsage;
  }
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  RecoverOptions ro{o.shards, f.force};
  if (o.dry_run) return DryRun(*inv, *pb, o, ro);
  // Restarting validators needs a person's yes or --yes: without a terminal to ask on (cron,
  // pipes, CI) refuse rather than go ahead unconfirmed.
  if (!o.yes && !isatty(0)) {
    PrintError(
        "recover restarts validators and needs confirmation, but stdin is not a "
        "terminal: pass --yes to go ahead (or --dry-run to see the plan); nothing was "
        "touched");
    return kExitUsage;
  }
  if (!o.yes && !Confirm("Restart unhealthy shards of " + inv->network + "?")) {
    PrintError("not confirmed; nothing was touched");
    return kExitUsage;
  }
  RealClock clock;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  std::string run_id = NewRunId(clock.UnixMillis());
  int code = kExitOk;
  auto lock = TakeRunLock(state_dir, inv->network, run_id, "shardctl recover", &code);
  if (!lock) return code;
  auto journal = Journal::Open(state_dir, run_id, clock);
  if (!journal.ok()) {
    PrintError(journal.status());
    return kExitInternal;
  }
  // An emergency is never refused for the window, but the audit trail says it ran outside it.
  if (std::string outside = OutsideWindow(*pb, clock.UnixMillis()); !outside.empty()) {
    Status logged = (*journal)->Record(-1, "", "run", "outside-window", outside);
    if (!logged.ok()) {
      PrintError(logged);
      return kExitInternal;
    }
  }
  auto transport = MakeTransport(o);
  auto view = MakeRunView(o, f.plain);
  RecoverEngine engine(*inv, *pb, *transport, clock, **journal, *view, *GlobalCancel());
  auto report = engine.Run(ro);
  transport->CloseAll();
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  return Finish(*report, o, f);
}

RegisterCommand reg({"recover", "bring halted shards back: coordinated whole-shard restarts",
                     &Run});

}  // namespace
}  // namespace shardctl::cli
