// shardctl resume: continue an interrupted rolling restart, upgrade or rollback from its journal.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/recover_command.h"
#include "cli/rolling_command.h"
#include "cli/run_journal.h"
#include "cli/upgrade_command.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

// A recover run (watch journals its runs with a header): shards it left mid-restart are
// finished from where they stood, the others recovered as usual (left alone when healthy).
int ResumeRecover(const CommonOptions& o, const std::string& run_id) {
  auto entries = ReadJournal(JournalPath(o.state_dir, run_id));
  if (!entries.ok()) {
    PrintError(entries.status());
    return ExitCodeFor(entries.status());
  }
  std::map<int, RecoverResume> resume = ReadRecoverResume(*entries);
  std::cerr << "shardctl: resuming recover run " << run_id << ": " << resume.size()
            << " shard(s) left mid-recovery\n";
  return RunRecover(o, /*force=*/false, std::move(resume));
}

int RunResume(const std::vector<std::string>& args) {
  CommonOptions o;
  RollingRequest r;
  r.command = "resume";
  std::string run_id;
  HelpText help{
      "shardctl resume [RUN_ID] [--state-dir DIR] [--yes]",
      "Continues a rolling restart, upgrade, rollback, or a recover that `watch` started, that\n"
      "was interrupted (Ctrl-C, a crash, kill -9, a lost laptop) from its journal, with the\n"
      "inventory, playbook and selection (and an upgrade's release, fetched and checked again)\n"
      "it was started with. Nodes the journal shows done, failed or skipped are not touched\n"
      "again. A node whose action was in flight is re-assessed first (is_running) and only\n"
      "what is missing is done: a node whose start went out and that runs is only waited for,\n"
      "never restarted a second time; a stopped one is started (an upgrade swaps again first);\n"
      "one whose state cannot be read is left alone and reported. Then the remaining nodes go\n"
      "in waves as usual. A recover run's shards left mid-restart get only their stopped\n"
      "nodes started (when the restart's starts had gone out), then the gate.",
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
  if (run->header->command == "recover") return ResumeRecover(o, run->run_id);
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
  if (run->header->command == "rollback") {
    auto of = run->header->params.find("rollback_of");
    return RunRollbackCommand(o, r, of == run->header->params.end() ? "" : of->second);
  }
  if (run->header->command != "upgrade") return RunRolling(o, r);
  UpgradeFlags f;  // the release is fetched and checked again, and staged again where needed
  ApplyUpgradeParams(run->header->params, &f);
  for (const std::string& name : run->NodesIn(NodeProgress::kDone)) f.upgraded_before.insert(name);
  return RunUpgradeCommand(o, r, f);
}

RegisterCommand register_resume(
    {"resume", "continue an interrupted rolling restart, upgrade, rollback or recover",
     &RunResume});

}  // namespace
}  // namespace shardctl::cli
