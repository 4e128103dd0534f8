// Flags and set-up shared by subcommands, so every command spells -i, --shard, --output ... alike.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/status.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "model/selection.h"
#include "run/events.h"
#include "transport/transport.h"

namespace shardctl::cli {

namespace po = boost::program_options;

struct CommonOptions {
  std::string inventory;
  std::string playbook;
  std::vector<int> shards;
  std::vector<std::string> nodes;
  std::string output = "text";  // text | json
  std::string log_format = "text";
  int verbose = 0;
  std::string known_hosts;  // overrides the inventory's known_hosts when set
  std::string ssh_config;   // -F: ssh_config file instead of the inventory's or ~/.ssh/config
  bool accept_new_host_keys = false;
  std::string state_dir;
  bool yes = false;
  bool dry_run = false;
  int jobs = 0;  // 0: the transport's default
  double connect_timeout_s = 10;
  // Commands that change nodes (AddRunOptions).
  std::string report_file;      // Markdown report, when set
  bool plain = false;           // timestamped lines even on a terminal
  std::string override_window;  // why planned work may run outside the window (journaled)

  Selection selection() const { return Selection{shards, nodes}; }
  bool json() const { return output == "json"; }
};

/// -i/--inventory.
void AddInventoryOption(po::options_description* d, CommonOptions* o);
/// -p/--playbook.
void AddPlaybookOption(po::options_description* d, CommonOptions* o);
/// --shard, --node.
void AddSelectionOptions(po::options_description* d, CommonOptions* o);
/// --output, --log-format, -v.
void AddOutputOptions(po::options_description* d, CommonOptions* o);
/// -F, --known-hosts, --accept-new-host-keys, -j, --connect-timeout.
void AddSshOptions(po::options_description* d, CommonOptions* o);
/// --yes, --dry-run, --state-dir.
void AddActionOptions(po::options_description* d, CommonOptions* o);
/// --report, --plain and, for planned work, --override-window.
void AddReportOptions(po::options_description* d, CommonOptions* o, bool planned);
/// Every flag of a command that changes nodes, in one place: -i, -p, selection, SSH, output,
/// action and report options.
void AddRunOptions(po::options_description* d, CommonOptions* o, bool planned);

/// A subcommand's help: "usage: ..." line, a paragraph, options, examples.
struct HelpText {
  std::string usage;        // "shardctl exec -i INVENTORY [selection] -- COMMAND..."
  std::string description;  // what it does and when to use it
  std::string examples;     // real command lines, one per line
};

/// Parses args into the options in d (plus positionals if given). Prints help and returns
/// kExitOk through *exit_code when --help was asked; prints the error and usage and returns
/// kExitUsage on bad flags. Returns true when the command should go on. Also sets up logging
/// and, for commands with --state-dir, makes common->state_dir absolute (never relative to the
/// current directory).
bool ParseCommandLine(const std::vector<std::string>& args, const po::options_description& d,
                      const po::positional_options_description* positional, const HelpText& help,
                      CommonOptions* common, int* exit_code);

/// The process's cancellation token (Ctrl-C); installed by main.
CancelToken* GlobalCancel();

/// Loads the inventory named by -i and applies ssh_config (-F) and jump hosts to it; prints the
/// error (file, JSON path or config line, reason) on failure.
Result<Inventory> LoadInventoryOrReport(const CommonOptions& o);

/// Loads the playbook named by -p and checks it against inv; prints the error on failure.
Result<Playbook> LoadPlaybookOrReport(const CommonOptions& o, const Inventory& inv);

/// How a run shows its progress: JSON events with -o json, a live table on a terminal (unless
/// --plain), else timestamped lines.
std::unique_ptr<Observer> MakeRunView(const CommonOptions& o);

/// The SSH transport configured from the flags (--known-hosts, --accept-new-host-keys,
/// --connect-timeout, -j), whose commands cancel is cancelled by (Ctrl-C by default).
std::unique_ptr<Transport> MakeTransport(const CommonOptions& o,
                                         const CancelToken* cancel = GlobalCancel());

/// j as one line of JSON plus a newline (bad UTF-8 replaced, never throws): what -o json prints.
std::string JsonLine(const nlohmann::json& j);

/// Prints "shardctl: <message>" to stderr, or one JSON line under -o json (cli/flag_checks.h).
void PrintError(const std::string& message);
void PrintError(const Status& status);

/// ExitCode for a status that stopped a command before it touched anything.
int ExitCodeFor(const Status& status);

/// True when stdout is a terminal (live views, colours, confirmation prompts).
bool StdoutIsTty();

/// Asks "question [y/N]" on the TTY; false when stdin is not a TTY (use --yes there).
bool Confirm(const std::string& question);

}  // namespace shardctl::cli
