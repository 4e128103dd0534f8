#include "cli/command.h"

#include <algorithm>
#include <cstring>

namespace shardctl::cli {
namespace {

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> commands;
  return commands;
}

}  // namespace

RegisterCommand::RegisterCommand(const CommandSpec& spec) {
  auto& r = Registry();
  r.push_back(spec);
  std::sort(r.begin(), r.end(), [](const CommandSpec& a, const CommandSpec& b) {
    return std::strcmp(a.name, b.name) < 0;
  });
}

const std::vector<CommandSpec>& Commands() { return Registry(); }

}  // namespace shardctl::cli
