// Parsing a subcommand's words: its flags (Boost.Program_options), -v counting, --help, the
// state dir made absolute (the one place its default is chosen), logging set up.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"

namespace shardctl::cli {

/// A subcommand's help: "usage: ..." line, a paragraph, options, examples.
struct HelpText {
  std::string usage;        // "shardctl exec -i INVENTORY [selection] -- COMMAND..."
  std::string description;  // what it does and when to use it
  std::string examples;     // real command lines, one per line
};

/// Parses args into the options in d (plus positionals if given). Prints help and returns
/// kExitOk through *exit_code when --help was asked; prints the error and usage and returns
/// kExitUsage on bad flags. Returns true when the command should go on. Also sets up logging
/// and, for commands with --state-dir, sets common->state_dir to the absolute state dir (the
/// default when none was given).
bool ParseCommandLine(const std::vector<std::string>& args, const po::options_description& d,
                      const po::positional_options_description* positional, const HelpText& help,
                      CommonOptions* common, int* exit_code);

}  // namespace shardctl::cli
