// shardctl validate: check an inventory (and a playbook) without touching any node.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/load.h"
#include "cli/output.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

nlohmann::json ShardSummary(const Shard& s, const QuorumRule& rule) {
  int quorum = rule.Required(s.TotalPower());
  return {
      {"shard", s.id},    {"nodes", s.nodes.size()},        {"voting_power", s.TotalPower()},
      {"quorum", quorum}, {"quorum_rule", rule.Describe()}, {"can_lose", s.TotalPower() - quorum}};
}

// rule: the playbook's, else the default (bft); the header says which.
void PrintText(const Inventory& inv, const QuorumRule& rule) {
  size_t nodes = 0;
  for (const Shard& s : inv.shards) nodes += s.nodes.size();
  std::cout << inv.path << ": ok — network " << (inv.network.empty() ? "(unnamed)" : inv.network)
            << ", " << inv.shards.size() << " shards, " << nodes << " nodes\n\n";
  std::cout << "  shard  nodes  voting power  quorum  can lose   (quorum rule: " << rule.Describe()
            << ")\n";
  for (const Shard& s : inv.shards) {
    int quorum = rule.Required(s.TotalPower());
    std::printf("  %5d  %5zu  %12d  %6d  %8d\n", s.id, s.nodes.size(), s.TotalPower(), quorum,
                s.TotalPower() - quorum);
  }
}

// One line on what the playbook will do; the window's state now.
std::string PlaybookSummary(const Playbook& pb) {
  std::string outside = OutsideWindow(pb.window, RealClock().UnixMillis());
  return pb.path + ": ok — '" + pb.name + "', gate +" + std::to_string(pb.gate.min_new_blocks) +
         " blocks within " + std::to_string(pb.gate.within.count() / 1000) + " s, up to " +
         std::to_string(pb.escalation.max_shard_restarts) + " whole-shard restarts, " +
         std::to_string(pb.parallel_shards) + " shard(s) at once (recover: " +
         (pb.recover_parallel_shards == 0 ? std::string("all")
                                          : std::to_string(pb.recover_parallel_shards)) +
         "); " +
         (!pb.window
              ? "no maintenance window"
              : (outside.empty() ? "inside its window (" + pb.window->ToString() + ")" : outside));
}

int RunValidate(const std::vector<std::string>& args) {
  CommonOptions o;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  d.add_options()("playbook,p", po::value(&o.playbook)->value_name("FILE"),
                  "also check this playbook, and that every command renders for every node");
  AddOutputOptions(&d, &o);
  HelpText help{
      "shardctl validate -i INVENTORY [-p PLAYBOOK] [-o json]",
      "Checks an inventory: every field, unknown keys (typos), duplicate names, ports,\n"
      "voting power. Prints shards, nodes, voting power and the quorum each shard\n"
      "needs. With -p, checks the playbook too (fields, templates against every node's vars,\n"
      "the maintenance window and whether it is open now). Touches no node. Exit 0 when valid,\n"
      "2 with FILE:/json/path: reason when not.",
      "  shardctl validate -i inventory/harmony-mainnet.json -p playbooks/harmony-recover.json\n"
      "  shardctl validate -i /tmp/sb/inventory.json -o json\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  std::optional<Playbook> pb;
  if (!o.playbook.empty()) {
    auto loaded = LoadPlaybookFor(o.playbook, *inv);
    if (!loaded.ok()) {
      PrintError(loaded.status());
      return ExitCodeFor(loaded.status());
    }
    pb = std::move(*loaded);
  }
  QuorumRule rule = pb ? pb->quorum : QuorumRule::Bft();
  if (o.json()) {
    nlohmann::json j = {{"file", inv->path}, {"network", inv->network}, {"valid", true}};
    for (const Shard& s : inv->shards) j["shards"].push_back(ShardSummary(s, rule));
    if (pb) {
      std::string outside = OutsideWindow(pb->window, RealClock().UnixMillis());
      j["playbook"] = {{"file", pb->path},
                       {"name", pb->name},
                       {"window", pb->window ? pb->window->ToString() : ""},
                       {"window_open_now", outside.empty()}};
    }
    std::cout << JsonLine(j);
  } else {
    PrintText(*inv, rule);
    if (pb) std::cout << "\n" << PlaybookSummary(*pb) << "\n";
  }
  return kExitOk;
}

RegisterCommand register_validate({"validate",
                                   "check an inventory (and playbook); print shards and quorum",
                                   &RunValidate});

}  // namespace
}  // namespace shardctl::cli
