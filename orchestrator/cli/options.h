// The flags every command spells alike (-i, --shard, --output ...), declared once: the values
// they fill (CommonOptions) and the groups a command adds to its options.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "model/selection.h"

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
  /// Absolute after ParseCommandLine for every command with --state-dir (the default
  /// resolved there, once): never empty, never relative to the current directory.
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
/// --state-dir.
void AddStateDirOption(po::options_description* d, CommonOptions* o);
/// --yes, --dry-run, --state-dir.
void AddActionOptions(po::options_description* d, CommonOptions* o);
/// --report, --plain and, for planned work, --override-window.
void AddReportOptions(po::options_description* d, CommonOptions* o, bool planned);
/// Every flag of a command that changes nodes, in one place: -i, -p, selection, SSH, output,
/// action and report options.
void AddRunOptions(po::options_description* d, CommonOptions* o, bool planned);

}  // namespace shardctl::cli
