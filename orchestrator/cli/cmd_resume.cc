// shardctl resume: continue an interrupted rolling restart, upgrade, rollback or watch-started
// recover from its journal.
#include <iostream>

#include "cli/command.h"
#include "cli/earlier_run.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/recover_command.h"
#include "cli/upgrade_command.h"

namespace shardctl::cli {
namespace {

// A recover run (watch journals its runs with a header): shards it left mid-restart are
// finished from where they stood, the others recovered as usual (left alone when healthy).
int ResumeRecover(const CommonOptions& o, const std::string& run_id) {
  auto resume = LoadRecoverResume(o.state_dir, run_id);
  if (!resume.ok()) {
    PrintError(resume.status());
    return ExitCodeFor(resume.status());
  }
  std::cerr << "shardctl: resuming recover run " << run_id << ": " << resume->size()
            << " shard(s) left mid-recovery\n";
  return RunRecover(o, /*force=*/false, std::move(*resume));
}

int RunResume(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
  std::string run_id;
  HelpText help{
      "shardctl resume [RUN_ID] [--state-dir DIR] [--yes]",
      "Continues a rolling restart, upgrade, rollback, or a recover that `watch` started, that\n"
      "was interrupted (Ctrl-C, a crash, kill -9, a lost laptop) from its journal, with the\n"
      "inventory, playbook and selection (and an upgrade's release, fetched and checked again)\n"
      "it was started with. Nodes the journal shows done, failed or skipped are not touched\n"
      "again. A node whose action was in flight is re-assessed first (is_running) and only\n"
      "what is missing is done: a node whose start went out and that runs is only waited for,\n"
      "never restarted a second time; a stopped one is started (an upgrade swaps again first);\n"
      "one whose state cannot be read is left alone and reported. Then the remaining nodes go\n"
      "in waves as usual. A recover run's shards left mid-restart get only their stopped\n"
      "nodes started (when the restart's starts had gone out), then the gate.",
      "  shardctl resume 20261125T031245Z-3fa9c1 --yes\n"
      "  shardctl resume --state-dir /var/lib/shardctl --yes   # the newest unfinished run\n"};
  int code = kExitOk;
  if (!ParseRunCommand(args, "the run to continue (default: the newest unfinished one)", help, &o,
                       &r, &run_id, &code))
    return code;
  if (!PlanFromEarlierRun(run_id, /*unfinished_only=*/true, &PlanResume, &o, &r, &code))
    return code;
  if (r.plan.header.command == OperationKind::kRecover) {
    return ResumeRecover(o, r.plan.resume_run_id);
  }
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
    case OperationKind::kRecover:  // above
    case OperationKind::kDrill:    // its journal has no header: FindRun never returns one
    case OperationKind::kWatch:    // neither has watch's own
      break;
  }
  PrintError("run " + r.plan.resume_run_id + " is a " + OperationName(r.plan.header.command) +
             ", which resume cannot continue");
  return kExitUsage;
}

RegisterCommand register_resume(
    {"resume", "continue an interrupted rolling restart, upgrade, rollback or recover",
     &RunResume});

}  // namespace
}  // namespace shardctl::cli
