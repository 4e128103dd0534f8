// What rolling-restart, resume and retry share: load and select, refuse outside the window or
// while another run holds the network, journal, run the engine, report, exit code.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/common.h"
#include "engine/rolling_journal.h"

namespace shardctl::cli {

struct RollingRequest {
  std::string command = "rolling-restart";  // for messages and the lock
  std::vector<std::string> only;  // exact node names (retry); empty: the selection decides
  std::string retry_of;           // run id whose failed and skipped nodes this run retries
  std::string resume_run_id;      // set: continue that run, appending to its journal
  std::set<std::string> leave;    // resume: nodes the journal says are done, failed or skipped
  std::map<std::string, NodeHistory> in_flight;  // resume: interrupted restarts
  std::string override_window;                   // why it may run outside the window (journaled)
  std::string report_file;                       // Markdown report, when set
  bool plain = false;                            // timestamped lines even on a terminal
  int failure_budget = -1;                       // -1: the playbook's rolling.failure_budget
};

/// Runs the request with o's inventory, playbook, selection, SSH and output flags. Returns an
/// ExitCode.
int RunRolling(const CommonOptions& o, const RollingRequest& r);

/// Adds --override-window, --failure-budget, --report and --plain.
void AddRollingOptions(po::options_description* d, RollingRequest* r);

}  // namespace shardctl::cli
