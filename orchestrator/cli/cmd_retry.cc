// shardctl retry: run a finished rolling restart again on its failed and skipped nodes only.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/rolling_command.h"
#include "cli/run_journal.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

int RunRetry(const std::vector<std::string>& args) {
  CommonOptions o;
  RollingRequest r;
  r.command = "retry";
  std::string run_id;
  HelpText help{
      "shardctl retry [RUN_ID] [--state-dir DIR] [--yes] [--dry-run]",
      "Starts a new rolling restart, with the inventory and playbook of RUN_ID, on the nodes\n"
      "that run failed or skipped (the failure budget was spent, or their shard was refused),\n"
      "and on nothing else. Fix the cause first (the report and journal of RUN_ID say it). An\n"
      "interrupted run is continued with `shardctl resume`, not retried.",
      "  shardctl retry 20261125T031245Z-3fa9c1 --dry-run\n"
      "  shardctl retry 20261125T031245Z-3fa9c1 --yes --failure-budget 1\n"};
  int code = kExitOk;
  if (!ParseRunCommand(args,
                       "the run whose failed and skipped nodes to redo (default: the newest run)",
                       help, &o, &r, &run_id, &code))
    return code;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  auto run = LoadRollingRun(state_dir, run_id, /*finished_too=*/true);
  if (!run.ok()) {
    PrintError(run.status());
    return ExitCodeFor(run.status());
  }
  if (!run->finished) {
    PrintError("run " + run->run_id + " did not finish; continue it first: shardctl resume " +
               run->run_id);
    return kExitUsage;
  }
  // Redoing an upgrade's failed nodes with restarts would restart them on the old binary.
  if (run->header->command == "upgrade" || run->header->command == "rollback") {
    PrintError("run " + run->run_id + " is a " + run->header->command +
               "; retry redoes rolling restarts only (it would restart an upgrade's failed nodes "
               "on their old binary). Run the " +
               run->header->command + " again instead");
    return kExitUsage;
  }
  ApplyHeader(*run->header, &o);
  o.state_dir = state_dir;
  r.retry_of = run->run_id;
  r.only = run->NodesIn(NodeProgress::kFailed);
  for (const std::string& n : run->NodesIn(NodeProgress::kSkipped)) r.only.push_back(n);
  if (r.only.empty()) {
    std::cerr << "shardctl: run " << run->run_id << " has no failed or skipped node\n";
    return kExitOk;
  }
  std::cerr << "shardctl: retrying " << r.only.size() << " node(s) of " << run->run_id << "\n";
  return RunRolling(o, r);
}

RegisterCommand register_retry({"retry", "redo the failed and skipped nodes of a rolling restart",
                                &RunRetry});

}  // namespace
}  // namespace shardctl::cli
