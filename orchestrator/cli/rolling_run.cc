#include "cli/rolling_run.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "base/shell_quote.h"
#include "cli/command.h"
#include "cli/lease_step.h"
#include "cli/run_guard.h"
#include "engine/rolling_engine.h"
#include "engine/rolling_plan.h"

namespace shardctl::cli {
namespace {

std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

RunHeader HeaderFor(const CommonOptions& o, const RollingRequest& r) {
  RunHeader h;
  h.command = r.command == "retry" ? "retry" : "rolling-restart";
  h.inventory = Absolute(o.inventory);
  h.playbook = Absolute(o.playbook);
  h.shards = o.shards;
  h.nodes = o.nodes;
  h.only = r.only;
  h.known_hosts = o.known_hosts.empty() ? "" : Absolute(o.known_hosts);
  h.accept_new_host_keys = o.accept_new_host_keys;
  h.retry_of = r.retry_of;
  return h;
}

Result<RollingOptions> Targets(const Inventory& inv, const Playbook& pb, const CommonOptions& o,
                               const RollingRequest& r) {
  auto nodes = SelectNodes(inv, o.selection());
  if (!nodes.ok()) return nodes.status();
  RollingOptions ro;
  ro.shards = o.shards;
  ro.in_flight = r.in_flight;
  ro.failure_budget = r.failure_budget >= 0 ? r.failure_budget : pb.rolling.failure_budget;
  ro.resumed = !r.resume_run_id.empty();
  std::set<std::string> only(r.only.begin(), r.only.end());
  for (const Node* n : *nodes) {
    if (!only.empty() && !only.count(n->name)) continue;
    if (!r.leave.count(n->name)) ro.targets.insert(n->name);
  }
  return ro;
}

// The shards of every node the run may restart.
std::vector<int> LeaseShards(const Inventory& inv, const RollingOptions& ro) {
  std::vector<std::string> nodes(ro.targets.begin(), ro.targets.end());
  for (const auto& [name, unused] : ro.in_flight) nodes.push_back(name);
  return ShardsOf(inv, nodes);
}

int DryRun(const Inventory& inv, const Playbook& pb, const CommonOptions& o,
           const RollingOptions& ro) {
  auto transport = MakeTransport(o);
  RealClock clock;
  auto plan = PlanRolling(inv, pb, *transport, clock, *GlobalCancel(), ro);
  transport->CloseAll();
  if (!plan.ok()) {
    PrintError(plan.status());
    return ExitCodeFor(plan.status());
  }
  std::cout << (o.json() ? WavePlanToJson(*plan).dump(2) + "\n" : RenderWavePlanText(*plan));
  return kExitOk;
}

// Refuses (and says how to go ahead) what may not start; "" when it may.
int Guard(const Playbook& pb, const CommonOptions& o, const RollingRequest& r,
          std::string* outside) {
  *outside = OutsideWindow(pb, RealClock().UnixMillis());
  if (!outside->empty() && r.override_window.empty()) {
    PrintError(r.command + " refused: " + *outside +
               ". Planned work waits for its window; to go ahead anyway, say why with "
               "--override-window \"REASON\" (the reason is journaled). Nothing was touched.");
    return kExitUsage;
  }
  if (!o.yes && isatty(STDIN_FILENO) != 1) {
    PrintError(r.command +
               " restarts validators and needs confirmation, but stdin is not a "
               "terminal: pass --yes (or --dry-run to see the waves); nothing was "
               "touched");
    return kExitUsage;
  }
  if (!o.yes && !Confirm("Restart the selected validators in quorum-safe waves?")) {
    PrintError("not confirmed; nothing was touched");
    return kExitUsage;
  }
  return kExitOk;
}

int Finish(const RollingReport& report, const CommonOptions& o, const RollingRequest& r,
           const std::string& state_dir) {
  if (o.json()) {
    std::cout << nlohmann::json{{"event", "report"}, {"report", RollingReportToJson(report)}}.dump()
              << "\n";
  } else {
    std::cout << "\n" << RenderRollingText(report);
  }
  if (!r.report_file.empty()) {
    std::ofstream out(r.report_file);
    out << RenderRollingMarkdown(report);
    if (!out) PrintError("cannot write report " + r.report_file);
  }
  std::string again = " " + report.run_id + " --state-dir " + ShellQuote(state_dir);
  if (report.cancelled) {
    PrintError("interrupted; every wave in flight was finished. Continue with: shardctl resume" +
               again);
    return kExitCancelled;
  }
  if (report.AllDone()) return kExitOk;
  PrintError("not every node was restarted; after fixing the cause: shardctl retry" + again);
  return kExitFailed;
}

}  // namespace

void AddRollingOptions(po::options_description* d, RollingRequest* r) {
  d->add_options()("override-window", po::value(&r->override_window)->value_name("REASON"),
                   "run outside the playbook's maintenance window; REASON is journaled")(
      "failure-budget", po::value(&r->failure_budget)->value_name("N"),
      "node failures tolerated over the whole run before nothing new starts (default: the "
      "playbook's rolling.failure_budget, else 0)")(
      "report", po::value(&r->report_file)->value_name("FILE"), "write a Markdown report to FILE")(
      "plain", po::bool_switch(&r->plain), "timestamped lines even on a terminal (no live view)");
}

int RunRolling(const CommonOptions& o, const RollingRequest& r) {
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  auto ro = Targets(*inv, *pb, o, r);
  if (!ro.ok()) {
    PrintError(ro.status());
    return kExitUsage;
  }
  if (ro->targets.empty() && ro->in_flight.empty()) {
    std::cerr << "shardctl: nothing to restart: the selection is empty or every node is done\n";
    return kExitOk;
  }
  if (o.dry_run) return DryRun(*inv, *pb, o, *ro);
  std::string outside;
  if (int code = Guard(*pb, o, r, &outside); code != kExitOk) return code;

  RealClock clock;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  std::string run_id = r.resume_run_id.empty() ? NewRunId(clock.UnixMillis()) : r.resume_run_id;
  int code = kExitOk;
  auto lock = TakeRunLock(state_dir, inv->network, run_id, "shardctl " + r.command, &code);
  if (!lock) return code;
  CancelToken never;  // in-flight commands finish; Ctrl-C is looked at between waves
  // Its own sessions, so a renewal never queues behind a node's long command.
  auto lease_transport = MakeTransport(o, &never);
  LeaseRequest lease{LeaseShards(*inv, *ro), run_id, "shardctl " + r.command};
  std::vector<std::string> notes;
  auto leases = TakeLeases(*lease_transport, *inv, *pb, clock, lease, &notes, &code);
  if (!leases) return code;
  auto journal = Journal::Open(state_dir, run_id, clock);
  if (!journal.ok()) {
    PrintError(journal.status());
    return kExitInternal;
  }
  Status logged = Status::Ok();
  if (r.resume_run_id.empty()) {
    logged = (*journal)->Record(-1, "", "run", "header", RunHeaderToJson(HeaderFor(o, r)));
  }
  if (logged.ok() && !outside.empty()) {
    logged = (*journal)->Record(-1, "", "run", "window-override",
                                outside + "; reason: " + r.override_window);
  }
  if (!logged.ok()) {
    PrintError(logged);
    return kExitInternal;
  }
  // A lost lease stops the run like Ctrl-C: the wave in flight finishes, no new one starts.
  KeepLeases(*leases, lease, *inv, notes, journal->get(),
             [](const std::string&) { GlobalCancel()->Cancel(); });
  auto transport = MakeTransport(o, &never);
  auto view = MakeRunView(o, r.plain);
  RollingEngine engine(*inv, *pb, *transport, clock, **journal, *view, *GlobalCancel());
  auto report = engine.Run(*ro);
  transport->CloseAll();
  leases->Release();
  lease_transport->CloseAll();
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  int finished = Finish(*report, o, r, state_dir);
  return leases->lost() && finished == kExitCancelled ? kExitLocked : finished;
}

}  // namespace shardctl::cli
