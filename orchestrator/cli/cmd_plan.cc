// shardctl plan: what `recover` would do to which node in which order; touches nothing.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "engine/plan.h"

namespace shardctl::cli {
namespace {

int Run(const std::vector<std::string>& args) {
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
      "  shardctl plan -i inventory.json -p playbooks/harmony.json\n"
      "  shardctl plan -i /tmp/sb/inventory.json -p playbooks/sandbox.json --shard 0 -o json\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  auto plan = BuildRecoverPlan(*inv, *pb, {o.shards, force});
  if (!plan.ok()) {
    PrintError(plan.status());
    return ExitCodeFor(plan.status());
  }
  std::cout << (o.json() ? PlanToJson(*plan).dump(2) + "\n" : RenderPlanText(*plan));
  return kExitOk;
}

RegisterCommand reg({"plan", "print what recover would do, node by node; touch nothing", &Run});

}  // namespace
}  // namespace shardctl::cli
