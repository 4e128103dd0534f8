#include "cli/pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "base/signal_rule.h"
#include "base/terminal_text.h"
#include "base/write_file.h"
#include "cli/command.h"
#include "cli/lease_step.h"
#include "cli/run_guard.h"

namespace shardctl::cli {
namespace {

// --report FILE is checked before anything runs: a run must not end with its report lost.
Status ReportWritable(const std::string& path) {
  if (path.empty()) return Status::Ok();
  // O_NONBLOCK: a FIFO with no reader is refused here instead of blocking the command.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd < 0) return Status::Invalid("cannot write the report to " + path + ": " + strerror(errno));
  close(fd);
  return Status::Ok();
}

// Refuses what may not start (and says how to go ahead); kExitOk when the run may start.
// *outside gets the window sentence when the run is outside it.
int Guard(const CommonOptions& o, const MutatingCommand& cmd, const Inventory& inv,
          const Playbook& pb, std::string* outside) {
  *outside = OutsideWindow(pb, RealClock().UnixMillis());
  if (!outside->empty() && cmd.Planned() && o.override_window.empty()) {
    PrintError(cmd.Name() + " refused: " + *outside +
               ". Planned work waits for its window; to go ahead anyway, say why with "
               "--override-window \"REASON\" (the reason is journaled). Nothing was touched.");
    return kExitUsage;
  }
  // Restarting validators needs a person's yes or --yes: without a terminal to ask on (cron,
  // pipes, CI) refuse rather than go ahead unconfirmed.
  if (!o.yes && isatty(STDIN_FILENO) != 1) {
    PrintError(cmd.Name() +
               " changes validators and needs confirmation, but stdin is not a terminal: pass "
               "--yes to go ahead (or --dry-run to see the plan); nothing was touched");
    return kExitUsage;
  }
  if (!o.yes && !Confirm(cmd.Question(inv))) {
    PrintError("not confirmed; nothing was touched");
    return kExitUsage;
  }
  return kExitOk;
}

// The window line: an emergency's audit note, or planned work's override with its reason.
Status JournalWindow(Journal& journal, const MutatingCommand& cmd, const CommonOptions& o,
                     const std::string& outside) {
  if (outside.empty()) return Status::Ok();
  if (!cmd.Planned()) return journal.Record(-1, "", Step::kRun, Outcome::kOutsideWindow, outside);
  return journal.Record(-1, "", Step::kRun, Outcome::kWindowOverride,
                        outside + "; reason: " + o.override_window);
}

int Execute(const CommonOptions& o, MutatingCommand& cmd, const Inventory& inv, const Playbook& pb,
            const std::string& outside) {
  // From here nodes may be touched: a second signal must not cut a step short.
  HoldSecondSignal(true);
  RealClock clock;
  std::string state_dir = o.state_dir.empty() ? DefaultStateDir() : o.state_dir;
  std::string run_id = cmd.RunId(clock.UnixMillis());
  int code = kExitOk;
  auto lock = TakeRunLock(state_dir, inv.network, run_id, "shardctl " + cmd.Name(), &code);
  if (!lock) return code;
  // Leases use their own sessions (a renewal never queues behind a node's command), not cut by
  // Ctrl-C so the release at the end still goes out. Taken before the journal: a refused run
  // leaves none for resume to find.
  CancelToken never;  // commands in flight always finish; Ctrl-C is looked at between steps
  auto lease_transport = MakeTransport(o, &never);
  LeaseRequest lease{cmd.LeaseShards(inv), run_id, "shardctl " + cmd.Name()};
  std::vector<std::string> notes;
  auto leases = TakeLeases(*lease_transport, inv, pb, clock, lease, &notes, &code);
  if (!leases) return code;
  auto journal = Journal::Open(state_dir, run_id, clock);
  if (!journal.ok()) {
    PrintError(journal.status());
    return kExitInternal;
  }
  Status logged = cmd.Prologue(**journal);
  if (logged.ok()) logged = JournalWindow(**journal, cmd, o, outside);
  if (!logged.ok()) {
    PrintError(logged);
    return kExitInternal;
  }
  // A lost lease stops the run like Ctrl-C: the step in flight finishes, nothing new starts.
  KeepLeases(*leases, lease, inv, notes, journal->get(), [](const std::string& why) {
    GlobalCancel()->Cancel("the run's lease was lost (" + why + ")");
  });
  auto transport = MakeTransport(o, &never);
  auto view = MakeRunView(o);
  RunContext ctx(inv, pb, *transport, clock, **journal, *view, *GlobalCancel());
  std::string markdown;
  code = cmd.Run(ctx, o.report_file.empty() ? nullptr : &markdown);
  transport->CloseAll();
  leases->Release();
  lease_transport->CloseAll();
  if (leases->lost() && code == kExitCancelled) code = kExitLocked;
  if ((*journal)->failed()) {
    PrintError("the journal " + (*journal)->path() + " could not be written (" +
               (*journal)->failure() + "); nothing new was started after that");
    code = kExitInternal;
  }
  if (!o.report_file.empty() && !markdown.empty()) {
    // A run that succeeded but lost its report exits 3: the report is what the operator asked for.
    if (Status st = WriteWholeFile(o.report_file, markdown); !st.ok()) {
      PrintError("the report was not written: " + st.message());
      if (code == kExitOk) code = kExitInternal;
    }
  }
  return code;
}

}  // namespace

void PrintReport(const CommonOptions& o, const nlohmann::json& report, const std::string& text) {
  if (o.json()) {
    std::cout << JsonLine({{"event", "report"}, {"report", report}});
  } else {
    std::cout << "\n" << SanitizeForTerminal(text);  // reports quote node output
  }
}

std::string MutatingCommand::RunId(int64_t unix_ms) const { return NewRunId(unix_ms); }
Status MutatingCommand::Prologue(Journal&) const { return Status::Ok(); }

int RunPipeline(const CommonOptions& o, MutatingCommand& cmd) {
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  if (Status s = cmd.Select(*inv, *pb); !s.ok()) {
    PrintError(s);
    return kExitUsage;
  }
  if (cmd.NothingToDo()) {
    std::cerr << "shardctl: nothing to do: the selection is empty or every node is done\n";
    return kExitOk;
  }
  if (o.dry_run) return cmd.DryRun(*inv, *pb);
  if (Status s = ReportWritable(o.report_file); !s.ok()) {
    PrintError(s.message() + "; nothing was touched");
    return kExitUsage;
  }
  std::string outside;
  if (int code = Guard(o, cmd, *inv, *pb, &outside); code != kExitOk) return code;
  return Execute(o, cmd, *inv, *pb, outside);
}

}  // namespace shardctl::cli
