// shardctl resume: continue an interrupted rolling restart from its journal.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/rolling_command.h"
#include "cli/run_journal.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

int RunResume(const std::vector<std::string>& args) {
  CommonOptions o;
  RollingRequest r;
  r.command = "resume";
  std::string run_id;
  HelpText help{
      "shardctl resume [RUN_ID] [--state-dir DIR] [--yes]",
      "Continues a rolling restart that was interrupted (Ctrl-C, a crash, kill -9, a lost\n"
      "laptop) from its journal, with the inventory, playbook and selection it was started\n"
      "with. Nodes the journal shows done, failed or skipped are not touched again. A node whose\n"
      "restart was in flight is re-assessed first (is_running) and only what is missing is\n"
      "done: a node whose start went out and that runs is only waited for, never restarted a\n"
      "second time; a stopped one is verified and started; one whose state cannot be read is\n"
      "left alone and reported. Then the remaining nodes go in waves as usual.",
      "  shardctl resume 20261125T031245Z-3fa9c1 --yes\n"
      "  shardctl resume --state-dir /var/lib/shardctl --yes   # the newest unfinished run\n"};
  int code = kExitOk;
  if (!ParseRunCommand(args, "the run to continue (default: the newest unfinished one)", help, &o,
                       &r, &run_id, &code))
    return code;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  auto run = LoadRollingRun(state_dir, run_id, /*finished_too=*/false);
  if (!run.ok()) {
    PrintError(run.status());
    return ExitCodeFor(run.status());
  }
  if (run->finished) {
    PrintError("run " + run->run_id + " finished; nothing to resume. To redo its failed and " +
               "skipped nodes: shardctl retry " + run->run_id);
    return kExitUsage;
  }
  ApplyHeader(*run->header, &o);
  o.state_dir = state_dir;
  r.resume_run_id = run->run_id;
  r.only = run->header->only;
  r.retry_of = run->header->retry_of;
  for (const auto& [name, h] : run->nodes) {
    if (h.progress == NodeProgress::kInFlight) {
      r.in_flight[name] = h;
    } else if (h.progress != NodeProgress::kNotStarted) {
      r.leave.insert(name);
    }
  }
  std::cerr << "shardctl: resuming " << run->run_id << ": " << r.leave.size()
            << " node(s) already handled, " << r.in_flight.size() << " interrupted mid-restart\n";
  return RunRolling(o, r);
}

RegisterCommand register_resume({"resume",
                                 "continue an interrupted rolling restart from its journal",
                                 &RunResume});

}  // namespace
}  // namespace shardctl::cli
