// shardctl retry: run a finished rolling restart again on its failed and skipped nodes only.
#include <iostream>

#include "cli/command.h"
#include "cli/earlier_run.h"
#include "cli/output.h"

namespace shardctl::cli {
namespace {

int RunRetry(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
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
  if (!PlanFromEarlierRun(run_id, /*unfinished_only=*/false, &PlanRetry, &o, &r, &code))
    return code;
  const RunHeader& h = r.plan.header;
  if (h.only.empty()) {
    std::cerr << "shardctl: run " << h.retry_of << " has no failed or skipped node\n";
    return kExitOk;
  }
  std::cerr << "shardctl: retrying " << h.only.size() << " node(s) of " << h.retry_of << "\n";
  return RunRollingCommand(o, r);
}

RegisterCommand register_retry({"retry", "redo the failed and skipped nodes of a rolling restart",
                                &RunRetry});

}  // namespace
}  // namespace shardctl::cli
