// shardctl plan: what `recover` would do to which node in which order; touches nothing.
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/recover_command.h"

namespace shardctl::cli {
namespace {

int RunPlanCli(const std::vector<std::string>& args) {
  CommonOptions o;
  bool force = false;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddPlaybookOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddOutputOptions(&d, &o);
  d.add_options()("force", po::bool_switch(&force), "plan as if recover --force");
  HelpText help{
      "shardctl plan -i INVENTORY -p PLAYBOOK [--shard N]... [-o json]",
      "Prints the recovery plan: the shard order and parallelism, then per shard every command\n"
      "that `shardctl recover` would run on every node, rendered with the node's vars, and the\n"
      "gate and escalation policy. Connects to nothing. Same as `recover --dry-run`.",
      "  shardctl plan -i inventory.json -p playbooks/harmony-recover.json\n"
      "  shardctl plan -i /tmp/sb/inventory.json -p playbooks/sandbox.json --shard 0 -o json\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  o.dry_run = true;
  return RunRecover(o, force);
}

RegisterCommand register_plan({"plan", "print what recover would do, node by node; touch nothing",
                               &RunPlanCli});

}  // namespace
}  // namespace shardctl::cli
