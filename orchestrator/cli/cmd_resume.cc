// shardctl resume: continue an interrupted rolling restart, upgrade or rollback from its journal.
#include <iostream>

#include "cli/command.h"
#include "cli/earlier_run.h"
#include "cli/output.h"
#include "cli/upgrade_command.h"

namespace shardctl::cli {
namespace {

int RunResume(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
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
  if (!PlanFromEarlierRun(run_id, /*unfinished_only=*/true, &PlanResume, &o, &r, &code))
    return code;
  std::cerr << "shardctl: resuming " << r.plan.resume_run_id << ": " << r.plan.leave.size()
            << " node(s) already handled, " << r.plan.in_flight.size()
            << " interrupted mid-action\n";
  switch (r.plan.header.command) {
    case OperationKind::kUpgrade:
      // The release is fetched and checked again, and staged again where it is not staged.
      return RunUpgradeCommand(o, r, UpgradeFlags{});
    case OperationKind::kRollback:
      return RunRollbackCommand(o, r);
    case OperationKind::kRollingRestart:
      return RunRollingCommand(o, r);
    case OperationKind::kRecover:
    case OperationKind::kDrill:
      break;  // their journals have no header: FindRun never returns one
  }
  PrintError("run " + r.plan.resume_run_id + " is a " + OperationName(r.plan.header.command) +
             ", which resume cannot continue");
  return kExitUsage;
}

RegisterCommand register_resume({"resume",
                                 "continue an interrupted rolling restart, upgrade or rollback",
                                 &RunResume});

}  // namespace
}  // namespace shardctl::cli
