// shardctl validate: check an inventory (and a playbook) without touching any node.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/common.h"

namespace shardctl::cli {
namespace {

nlohmann::json ShardSummary(const Shard& s) {
  return {{"shard", s.id},
          {"nodes", s.nodes.size()},
          {"voting_power", s.TotalPower()},
          {"quorum", s.QuorumPower()},
          {"can_lose", s.TotalPower() - s.QuorumPower()}};
}

void PrintText(const Inventory& inv) {
  size_t nodes = 0;
  for (const Shard& s : inv.shards) nodes += s.nodes.size();
  std::cout << inv.path << ": ok — network " << (inv.network.empty() ? "(unnamed)" : inv.network)
            << ", " << inv.shards.size() << " shards, " << nodes << " nodes\n\n";
  std::cout << "  shard  nodes  voting power  quorum (>2/3)  can lose\n";
  for (const Shard& s : inv.shards) {
    std::printf("  %5d  %5zu  %12d  %13d  %8d\n", s.id, s.nodes.size(), s.TotalPower(),
                s.QuorumPower(), s.TotalPower() - s.QuorumPower());
  }
}

int Run(const std::vector<std::string>& args) {
  CommonOptions o;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddOutputOptions(&d, &o);
  HelpText help{
      "shardctl validate -i INVENTORY [-o json]",
      "Checks an inventory: every field, unknown keys (typos), duplicate names, ports,\n"
      "voting power. Prints shards, nodes, voting power and the quorum each shard\n"
      "needs. Touches no node. Exit 0 when valid, 2 with FILE:/json/path: reason when not.",
      "  shardctl validate -i inventory/harmony-mainnet.json\n"
      "  shardctl validate -i /tmp/sb/inventory.json -o json\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  if (o.json()) {
    nlohmann::json j = {{"file", inv->path}, {"network", inv->network}, {"valid", true}};
    for (const Shard& s : inv->shards) j["shards"].push_back(ShardSummary(s));
    std::cout << j.dump() << "\n";
  } else {
    PrintText(*inv);
  }
  return kExitOk;
}

RegisterCommand reg({"validate", "check an inventory; print shards, voting power, quorum", &Run});

}  // namespace
}  // namespace shardctl::cli
