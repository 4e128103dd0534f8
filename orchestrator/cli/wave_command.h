// What every wave-based command shares (rolling-restart, upgrade, rollback, and resume and retry
// of them): the selection of nodes, the run header, the wave run and its report, through the
// one mutating-command pipeline. UpgradeCommand and RollbackCommand (cli/upgrade_command.cc)
// override what differs.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/pipeline.h"
#include "run/resume.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl::cli {

struct WaveRequest {
  /// From an earlier run (resume, retry, rollback): the operation and its header (only,
  /// retry_of, rollback_of), what resume leaves and what was in flight. Default: a fresh
  /// rolling-restart.
  RunPlan plan;
  int failure_budget = -1;  // -1: the playbook's rolling.failure_budget
};

class WaveCommand : public MutatingCommand {
 public:
  WaveCommand(const CommonOptions& o, const WaveRequest& r) : o_(o), r_(r) {}

  /// "resume", "retry", or the operation's name.
  std::string Name() const override;
  bool Planned() const override { return true; }
  Status Select(const Inventory& inv, const Playbook& pb) override;
  bool NothingToDo() const override { return wave_.targets.empty() && wave_.in_flight.empty(); }
  int DryRun(const Inventory& inv, const Playbook& pb) override;
  std::vector<int> LeaseShards(const Inventory& inv) const override;
  std::string Question(const Inventory&) const override {
    return "Restart the selected validators in quorum-safe waves?";
  }
  std::string RunId(int64_t unix_ms) const override;
  std::vector<PrologueLine> Prologue() const override;
  int Run(RunContext& ctx, std::string* markdown) override;

 protected:
  /// The header that lets resume and retry run this again.
  virtual RunHeader Header() const;
  /// The operation on the wave runner.
  virtual Result<WaveReport> RunWaveOperation(RunContext& ctx);
  /// What to do after a run that did not reach every node (again: " RUN_ID --state-dir DIR").
  virtual std::string AfterFailure(const WaveReport& report, const std::string& again) const;
  bool Resuming() const { return !r_.plan.resume_run_id.empty(); }

  const CommonOptions& o_;
  const WaveRequest& r_;
  WaveOptions wave_;

 private:
  int Finish(const WaveReport& report) const;
};

/// Runs a rolling restart (fresh, resumed or retried) with o's flags. Returns an ExitCode.
int RunRollingCommand(const CommonOptions& o, const WaveRequest& r);

/// Adds --failure-budget.
void AddWaveOptions(po::options_description* d, WaveRequest* r);

}  // namespace shardctl::cli
