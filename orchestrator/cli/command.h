// The CLI is a thin layer: each subcommand lives in its own cmd_*.cc, registers itself here, parses
// its flags with Boost.Program_options and calls into the library.
#pragma once

#include <string>
#include <vector>

namespace shardctl::cli {

/// Exit codes shared by every subcommand (documented in `shardctl --help`).
enum ExitCode {
  kExitOk = 0,        // everything selected is done and healthy
  kExitFailed = 1,    // ran, but some nodes or shards failed (details printed)
  kExitUsage = 2,     // bad flags, inventory or playbook: nothing was touched
  kExitInternal = 3,  // a bug or an environment problem (state dir unwritable, ...)
  kExitLocked = 4,    // another run holds the lock
  kExitCancelled = 130,
};

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
