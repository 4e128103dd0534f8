// What rolling-restart, resume and retry share: the selection of nodes, the run header, the
// wave run and its report, through the one mutating-command pipeline.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/common.h"
#include "cli/pipeline.h"
#include "run/resume.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

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

/// A wave-based run through the pipeline: rolling-restart as it is; another operation on the
/// wave runner (upgrade) overrides what differs.
class RollingCommand : public MutatingCommand {
 public:
  RollingCommand(const CommonOptions& o, const RollingRequest& r) : o_(o), r_(r) {}

  std::string Name() const override { return r_.command; }
  bool Planned() const override { return true; }
  Status Select(const Inventory& inv, const Playbook& pb) override;
  bool NothingToDo() const override { return wave_.targets.empty() && wave_.in_flight.empty(); }
  int DryRun(const Inventory& inv, const Playbook& pb) override;
  std::vector<int> LeaseShards(const Inventory& inv) const override;
  std::string Question(const Inventory&) const override {
    return "Restart the selected validators in quorum-safe waves?";
  }
  std::string RunId(int64_t unix_ms) const override {
    return r_.resume_run_id.empty() ? NewRunId(unix_ms) : r_.resume_run_id;
  }
  Status Prologue(Journal& journal) const override;
  int Run(RunContext& ctx, std::string* markdown) override;

 protected:
  /// The header that lets resume and retry run this again.
  virtual RunHeader Header() const;
  /// The operation on the wave runner.
  virtual Result<WaveReport> RunWaveOperation(RunContext& ctx);
  /// What to do after a run that did not reach every node (again: " RUN_ID --state-dir DIR").
  virtual std::string AfterFailure(const WaveReport& report, const std::string& again) const;

  const CommonOptions& o_;
  const RollingRequest& r_;
  WaveOptions wave_;

 private:
  int Finish(const WaveReport& report) const;
};

/// Runs the request with o's inventory, playbook, selection, SSH, output and run flags.
/// Returns an ExitCode.
int RunRolling(const CommonOptions& o, const RollingRequest& r);

/// Adds --failure-budget.
void AddRollingOptions(po::options_description* d, RollingRequest* r);

}  // namespace shardctl::cli
