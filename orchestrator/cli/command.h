// The CLI is a thin layer: each subcommand lives in its own cmd_*.cc, registers itself here, parses
// its flags with Boost.Program_options and calls into the library.
#pragma once

#include <string>
#include <vector>

#include "cli/exit_code.h"

namespace shardctl::cli {

struct CommandSpec {
  const char* name;
  const char* summary;  // one line for `shardctl --help`
  /// args are the words after the subcommand name. Returns an ExitCode.
  int (*run)(const std::vector<std::string>& args);
};

/// Adds a command at static-initialisation time: `static RegisterCommand r({...});` in cmd_*.cc.
struct RegisterCommand {
  explicit RegisterCommand(const CommandSpec& spec);
};

/// Registered commands, sorted by name.
const std::vector<CommandSpec>& Commands();

}  // namespace shardctl::cli
