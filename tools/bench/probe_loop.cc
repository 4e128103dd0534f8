// probe-loop: probes (or runs one command on) every node of an inventory ROUNDS times over kept
// SSH sessions, for tools/bench/node-cost.sh, which measures what each costs the nodes.
//
//   probe-loop -i INVENTORY -p PLAYBOOK [--rounds N] [--probe-command TEMPLATE] [--exec CMD]
//
// Default: the playbook's probe (probe.http when it has one). --probe-command probes with that
// command template instead (the pre-HTTP way); --exec runs CMD instead of probing. Prints
// {"rounds":N,"nodes":M,"ok":K,"wall_ms":W} on stdout; exit 1 if any call failed.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "run/context.h"
#include "run/node_ops.h"
#include "transport/fanout.h"
#include "transport/ssh_transport.h"

namespace {

using namespace shardctl;

struct Args {
  std::string inventory, playbook, probe_command, exec;
  int rounds = 10;
};

bool Parse(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "-i") {
      a->inventory = value;
    } else if (flag == "-p") {
      a->playbook = value;
    } else if (flag == "--rounds") {
      a->rounds = std::atoi(value.c_str());
    } else if (flag == "--probe-command") {
      a->probe_command = value;
    } else if (flag == "--exec") {
      a->exec = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a->inventory.empty() && !a->playbook.empty() && a->rounds >= 0;
}

/// One round: every node at once; returns how many calls succeeded.
int Round(RunContext& ctx, const std::vector<const Node*>& nodes, const std::string& exec) {
  int ok = 0;
  if (!exec.empty()) {
    ExecOptions o;
    o.timeout = ctx.pb.timeouts.command;
    for (const ExecResult& r : RunOnNodes(ctx.transport, nodes, exec, o, 0)) ok += r.ok();
    return ok;
  }
  for (const NodeStatus& s : NodeOps(ctx, -1).ProbeAll(nodes, false)) ok += s.answered;
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, &a)) {
    std::cerr << "usage: probe-loop -i INVENTORY -p PLAYBOOK [--rounds N] [--probe-command T] "
                 "[--exec CMD]\n";
    return 2;
  }
  auto inv = LoadInventory(a.inventory);
  auto pb = inv.ok() ? LoadPlaybookFor(a.playbook, *inv) : Result<Playbook>(inv.status());
  if (!pb.ok()) {
    std::cerr << "probe-loop: " << pb.status().message() << "\n";
    return 2;
  }
  if (!a.probe_command.empty()) {
    pb->probe.http = HttpProbe();
    pb->commands.probe = a.probe_command;
  }
  SshTransport transport;
  RealClock clock;
  ReadOnlyContext ro(*inv, *pb, transport, clock);
  std::vector<const Node*> nodes = inv->AllNodes();
  auto start = std::chrono::steady_clock::now();
  int ok = 0;
  for (int r = 0; r < a.rounds; ++r) ok += Round(ro.get(), nodes, a.exec);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  transport.CloseAll();
  std::cout << nlohmann::json{{"rounds", a.rounds},
                              {"nodes", nodes.size()},
                              {"ok", ok},
                              {"wall_ms", ms.count()}}
                   .dump()
            << "\n";
  return ok == a.rounds * static_cast<int>(nodes.size()) ? 0 : 1;
}
