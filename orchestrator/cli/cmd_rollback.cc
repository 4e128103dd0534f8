// shardctl rollback: the previous binary back on every node an upgrade run upgraded.
#include <iostream>

#include "cli/command.h"
#include "cli/earlier_run.h"
#include "cli/output.h"
#include "cli/upgrade_command.h"

namespace shardctl::cli {
namespace {

int RunRollbackCli(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
  std::string run_id;
  HelpText help{
      "shardctl rollback RUN_ID [--state-dir DIR] [--yes] [--override-window REASON]",
      "Puts the previous binary back (the playbook's `rollback`: the copy `stage` kept, checked\n"
      "against its sha256) on every node that upgrade run RUN_ID upgraded, with the inventory,\n"
      "playbook and selection it ran with: quorum-safe waves, leader last, stop, confirm down,\n"
      "rollback, start, wait until in sync and the shard committed new blocks. Journaled like\n"
      "any run; `shardctl resume` continues an interrupted rollback. Nodes the upgrade did not\n"
      "finish (failed, rolled back already, skipped, in flight) are not touched.",
      "  shardctl rollback 20261126T031245Z-3fa9c1 --yes\n"};
  int code = kExitOk;
  if (!ParseRunCommand(args, "the upgrade run to roll back", help, &o, &r, &run_id, &code))
    return code;
  if (run_id.empty()) {
    PrintError("rollback needs the upgrade's RUN_ID (printed at its end, and in its report)");
    return kExitUsage;
  }
  if (!PlanFromEarlierRun(run_id, /*unfinished_only=*/false, &PlanRollback, &o, &r, &code))
    return code;
  if (r.plan.header.only.empty()) {
    std::cerr << "shardctl: run " << run_id << " upgraded no node; nothing to roll back\n";
    return kExitOk;
  }
  return RunRollbackCommand(o, r);
}

RegisterCommand register_rollback({"rollback",
                                   "put the previous binary back on the nodes an upgrade upgraded",
                                   &RunRollbackCli});

}  // namespace
}  // namespace shardctl::cli
