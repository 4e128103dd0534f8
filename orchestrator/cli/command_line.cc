#include "cli/command_line.h"

#include <iostream>

#include "cli/exit_code.h"
#include "cli/flag_checks.h"
#include "cli/logging.h"
#include "cli/output.h"

namespace shardctl::cli {
namespace {

// Counts and removes -v, -vv, -vvv and --verbose (program_options cannot count repeats).
std::vector<std::string> TakeVerbosity(const std::vector<std::string>& args, int* verbose) {
  std::vector<std::string> rest;
  bool after_dashdash = false;
  for (const auto& a : args) {
    if (!after_dashdash && a == "--") after_dashdash = true;
    if (!after_dashdash && a == "--verbose") {
      ++*verbose;
    } else if (!after_dashdash && a.size() >= 2 && a[0] == '-' &&
               a.find_first_not_of('v', 1) == std::string::npos) {
      *verbose += static_cast<int>(a.size() - 1);
    } else {
      rest.push_back(a);
    }
  }
  return rest;
}

void PrintHelp(const HelpText& help, const po::options_description& d) {
  std::cout << "usage: " << help.usage << "\n\n" << help.description << "\n\n" << d << "\n";
  if (!help.examples.empty()) std::cout << "Examples:\n" << help.examples << "\n";
}

}  // namespace

bool ParseCommandLine(const std::vector<std::string>& args, const po::options_description& d,
                      const po::positional_options_description* positional, const HelpText& help,
                      CommonOptions* common, int* exit_code) {
  po::options_description all(d);
  all.add_options()("help,h", "show this help");
  std::vector<std::string> rest = TakeVerbosity(args, &common->verbose);
  po::variables_map vm;
  try {
    po::command_line_parser parser(rest);
    parser.options(all);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      PrintHelp(help, all);
      *exit_code = kExitOk;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    SetJsonErrors(AsksForJsonOutput(rest));
    std::cerr << FormatError(e.what()) << "\n";
    if (!AsksForJsonOutput(rest)) {
      std::cerr << "usage: " << help.usage << "\n(run with --help for every option and examples)\n";
    }
    *exit_code = kExitUsage;
    return false;
  }
  SetJsonErrors(common->json());
  if (d.find_nothrow("state-dir", false) != nullptr) {  // never relative to the cwd by accident
    auto dir = ResolveStateDir(common->state_dir);
    if (!dir.ok()) {
      PrintError(dir.status());
      *exit_code = kExitUsage;
      return false;
    }
    common->state_dir = *dir;
  }
  if (common->output != "text" && common->output != "json") {
    PrintError("--output must be text or json, not '" + common->output + "'");
    *exit_code = kExitUsage;
    return false;
  }
  SetUpLogging(*common);
  return true;
}

}  // namespace shardctl::cli
