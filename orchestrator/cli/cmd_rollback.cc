// shardctl rollback: the previous binary back on every node an upgrade run upgraded.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_journal.h"
#include "cli/upgrade_command.h"

namespace shardctl::cli {
namespace {

int RunRollbackCli(const std::vector<std::string>& args) {
  CommonOptions o;
  RollingRequest r;
  r.command = "rollback";
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
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  auto run = LoadRollingRun(state_dir, run_id, /*finished_too=*/true);
  if (!run.ok()) {
    PrintError(run.status());
    return ExitCodeFor(run.status());
  }
  if (run->header->command != "upgrade") {
    PrintError("run " + run_id + " is a " + run->header->command + ", not an upgrade");
    return kExitUsage;
  }
  ApplyHeader(*run->header, &o);
  o.state_dir = state_dir;
  r.only = run->NodesIn(NodeProgress::kDone);
  if (r.only.empty()) {
    std::cerr << "shardctl: run " << run_id << " upgraded no node; nothing to roll back\n";
    return kExitOk;
  }
  return RunRollbackCommand(o, r, run_id);
}

RegisterCommand register_rollback({"rollback",
                                   "put the previous binary back on the nodes an upgrade upgraded",
                                   &RunRollbackCli});

}  // namespace
}  // namespace shardctl::cli
