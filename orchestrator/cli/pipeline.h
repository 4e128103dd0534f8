// One pipeline for every command that changes nodes (recover, rolling-restart, upgrade,
// rollback, resume, retry, drill, and the operations to come): load -> select -> dry-run ->
// window -> confirm -> run (run/session.h sets it up: run lock, leases, journal and its
// prologue, context; then the operation) -> report -> exit code. A command says only what
// differs.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "run/context.h"
#include "run/session.h"

namespace shardctl::cli {

class MutatingCommand {
 public:
  virtual ~MutatingCommand() = default;
  /// "recover", "rolling-restart": messages, the lock and the leases.
  virtual std::string Name() const = 0;
  /// Planned work is refused outside the playbook's window unless --override-window says why;
  /// an emergency (recover) runs anyway and the journal says it ran outside.
  virtual bool Planned() const = 0;
  /// Decides what to touch from the loaded files and the flags. An error is a usage error.
  virtual Status Select(const Inventory& inv, const Playbook& pb) = 0;
  /// After Select: true when there is nothing to do (the pipeline says so, exit 0).
  virtual bool NothingToDo() const { return false; }
  /// --dry-run: prints what would happen, touching nothing; returns an exit code.
  virtual int DryRun(const Inventory& inv, const Playbook& pb) = 0;
  /// The shards the run may touch, after Select: their nodes are leased for the run.
  virtual std::vector<int> LeaseShards(const Inventory& inv) const = 0;
  /// The confirmation question on a terminal.
  virtual std::string Question(const Inventory& inv) const = 0;
  /// The run's id: a new one, or the resumed run's.
  virtual std::string RunId(int64_t unix_ms) const;
  /// Lines journaled before the run starts (a run header). An error starts nothing.
  virtual std::vector<PrologueLine> Prologue() const { return {}; }
  /// Runs the operation and prints its report (stdout); returns the exit code. The Markdown
  /// report, when asked for, goes through *markdown.
  virtual int Run(RunContext& ctx, std::string* markdown) = 0;
};

/// Runs cmd with o's inventory, playbook, selection, SSH, output and run flags. Returns an
/// ExitCode.
int RunPipeline(const CommonOptions& o, MutatingCommand& cmd);

}  // namespace shardctl::cli
