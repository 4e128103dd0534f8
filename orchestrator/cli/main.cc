// shardctl: restart a sharded validator network in coordinated waves and prove consensus is back.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "cli/command.h"
#include "cli/signals.h"
#include "shardctl_version.h"

namespace shardctl::cli {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: shardctl COMMAND [options]   (shardctl COMMAND --help for details)\n\n"
         "Restarts a sharded validator network over SSH in shard-ordered waves and proves each\n"
         "shard is back in consensus before moving on.\n\nCommands:\n";
  for (const CommandSpec& c : Commands()) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 17 ? 17 - name.size() : 1, ' ') << c.summary
        << "\n";
  }
  out << "\nExit codes: 0 all done and healthy, 1 some nodes/shards failed, 2 bad usage or input\n"
         "(nothing touched), 3 internal/environment error, 4 another run holds the lock,\n"
         "130 interrupted.\n\n"
         "Start here:\n"
         "  shardctl validate -i inventory/harmony-mainnet.json\n"
         "  shardctl status -i INVENTORY -p playbooks/harmony-recover.json\n"
         "  shardctl recover -i INVENTORY -p playbooks/harmony-recover.json --dry-run\n";
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    PrintUsage(std::cout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "shardctl " << SHARDCTL_VERSION << "\n";
    return kExitOk;
  }
  for (const CommandSpec& c : Commands()) {
    if (args[0] == c.name) {
      InstallSignalCancel(GlobalCancel());
      return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::cerr << "shardctl: unknown command '" << args[0] << "'\n\n";
  PrintUsage(std::cerr);
  return kExitUsage;
}

}  // namespace
}  // namespace shardctl::cli

int main(int argc, char** argv) { return shardctl::cli::Main(argc, argv); }
