// What rolling-restart, resume and retry share: the selection of nodes, the run header, the
// wave run and its report, through the one mutating-command pipeline.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/common.h"
#include "run/resume.h"

namespace shardctl::cli {

struct RollingRequest {
  std::string command = "rolling-restart";  // for messages and the lock
  std::vector<std::string> only;  // exact node names (retry); empty: the selection decides
  std::string retry_of;           // run id whose failed and skipped nodes this run retries
  std::string resume_run_id;      // set: continue that run, appending to its journal
  std::set<std::string> leave;    // resume: nodes the journal says are done, failed or skipped
  std::map<std::string, NodeHistory> in_flight;  // resume: interrupted restarts
  int failure_budget = -1;                       // -1: the playbook's rolling.failure_budget
};

/// Runs the request with o's inventory, playbook, selection, SSH, output and run flags.
/// Returns an ExitCode.
int RunRolling(const CommonOptions& o, const RollingRequest& r);

/// Adds --failure-budget.
void AddRollingOptions(po::options_description* d, RollingRequest* r);

}  // namespace shardctl::cli
