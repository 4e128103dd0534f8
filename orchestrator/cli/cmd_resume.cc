// shardctl resume: continue an interrupted rolling restart, upgrade or rollback from its journal.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/rolling_command.h"
#include "cli/run_journal.h"
#include "cli/upgrade_command.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

int RunResume(const std::vector<std::string>& args) {
  CommonOptions o;
  RollingRequest r;
  r.command = "resume";
  std::string run_id;
  HelpText help{
      "shardctl resume [RUN_ID] [--state-dir DIR] [--yes]",
      "Continues a rolling restart, upgrade or rollback that was interrupted (Ctrl-C, a crash,\n"
      "kill -9, a lost laptop) from its journal, with the inventory, playbook and selection (and\n"
      "an upgrade's release, fetched and checked again) it was started with. Nodes the journal\n"
      "shows done, failed or skipped are not touched again. A node whose action was in flight\n"
      "is re-assessed first (is_running) and only what is missing is done: a node whose start\n"
      "went out and that runs is only waited for, never restarted a second time; a stopped one\n"
      "is started (an upgrade swaps again first); one whose state cannot be read is left alone\n"
      "and reported. Then the remaining nodes go in waves as usual.",
      "  shardctl resume 20261125T031245Z-3fa9c1 --yes\n"
      "  shardctl resume --state-dir /var/lib/shardctl --yes   # the newest unfinished run\n"};
  int code = kExitOk;
  if (!ParseRunCommand(args, "the run to continue (default: the newest unfinished one)", help, &o,
                       &r, &run_id, &code))
    return code;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  auto run = LoadRollingRun(state_dir, run_id, /*finished_too=*/false);
  if (!run.ok()) {
    PrintError(run.status());
    return ExitCodeFor(run.status());
  }
  if (run->finished) {
    PrintError("run " + run->run_id + " finished; nothing to resume. To redo its failed and " +
               "skipped nodes: shardctl retry " + run->run_id);
    return kExitUsage;
  }
  ApplyHeader(*run->header, &o);
  o.state_dir = state_dir;
  r.resume_run_id = run->run_id;
  r.only = run->header->only;
  r.retry_of = run->header->retry_of;
  for (const auto& [name, h] : run->nodes) {
    if (h.progress == NodeProgress::kInFlight) {
      r.in_flight[name] = h;
    } else if (h.progress != NodeProgress::kNotStarted) {
      r.leave.insert(name);
    }
  }
  std::cerr << "shardctl: resuming " << run->run_id << ": " << r.leave.size()
            << " node(s) already handled, " << r.in_flight.size() << " interrupted mid-restart\n";
  if (run->header->command == "rollback") {
    auto of = run->header->params.find("rollback_of");
    return RunRollbackCommand(o, r, of == run->header->params.end() ? "" : of->second);
  }
  if (run->header->command != "upgrade") return RunRolling(o, r);
  UpgradeFlags f;  // the release is fetched and checked again, and staged again where needed
  ApplyUpgradeParams(run->header->params, &f);
  for (const std::string& name : run->NodesIn(NodeProgress::kDone)) f.upgraded_before.insert(name);
  return RunUpgradeCommand(o, r, f);
}

RegisterCommand register_resume({"resume",
                                 "continue an interrupted rolling restart, upgrade or rollback",
                                 &RunResume});

}  // namespace
}  // namespace shardctl::cli
