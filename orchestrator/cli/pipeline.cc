#include "cli/pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "base/signal_rule.h"
#include "cli/confirm.h"
#include "cli/exit_code.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "cli/transport_factory.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

// --report FILE is checked before anything runs: a run must not end with its report lost.
Status ReportWritable(const std::string& path) {
  if (path.empty()) return Status::Ok();
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Invalid("cannot write the report to " + path + ": " + strerror(errno));
  close(fd);
  return Status::Ok();
}

// Refuses what may not start (and says how to go ahead); kExitOk when the run may start.
// *outside gets the window sentence when the run is outside it.
int Guard(const CommonOptions& o, const MutatingCommand& cmd, const Inventory& inv,
          const Playbook& pb, std::string* outside) {
  *outside = OutsideWindow(pb.window, RealClock().UnixMillis());
  if (!outside->empty() && cmd.Planned() && o.override_window.empty()) {
    PrintError(cmd.Name() + " refused: " + *outside +
               ". Planned work waits for its window; to go ahead anyway, say why with "
               "--override-window \"REASON\" (the reason is journaled). Nothing was touched.");
    return kExitUsage;
  }
  // Restarting validators needs a person's yes or --yes: without a terminal to ask on (cron,
  // pipes, CI) refuse rather than go ahead unconfirmed.
  if (!o.yes && !StdinIsTty()) {
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

// The command's prologue, then the window line: an emergency's audit note, or planned work's
// override with its reason.
std::vector<PrologueLine> Prologue(const CommonOptions& o, const MutatingCommand& cmd,
                                   const std::string& outside) {
  std::vector<PrologueLine> lines = cmd.Prologue();
  if (outside.empty()) return lines;
  if (!cmd.Planned()) {
    lines.push_back({Outcome::kOutsideWindow, outside});
  } else {
    lines.push_back({Outcome::kWindowOverride, outside + "; reason: " + o.override_window});
  }
  return lines;
}

void WriteReport(const std::string& path, const std::string& markdown) {
  if (path.empty() || markdown.empty()) return;
  std::ofstream out(path);
  out << markdown;
  if (!out) PrintError("cannot write report " + path);
}

int Execute(const CommonOptions& o, MutatingCommand& cmd, const Inventory& inv, const Playbook& pb,
            const std::string& outside) {
  // From here nodes may be touched: a second signal must not cut a step short.
  HoldSecondSignal(true);
  RealClock clock;
  CancelToken never;  // commands in flight always finish; Ctrl-C is looked at between steps
  auto view = MakeRunView(o);
  SessionRequest request;
  request.state_dir = o.state_dir;
  request.run_id = cmd.RunId(clock.UnixMillis());
  request.command = "shardctl " + cmd.Name();
  request.lease_shards = cmd.LeaseShards(inv);
  request.prologue = Prologue(o, cmd, outside);
  request.make_transport = [&o, &never] { return MakeTransport(o, &never); };
  request.watcher = view.get();
  request.stop = GlobalCancel();
  request.say = [](const std::string& line) { PrintError("note: " + line); };
  auto session = RunSession::Open(inv, pb, clock, request);
  if (!session.ok()) {
    PrintError(session.status());
    return ExitCodeFor(session.status());
  }
  std::string markdown;
  int code = cmd.Run((*session)->ctx(), o.report_file.empty() ? nullptr : &markdown);
  (*session)->Close();
  if ((*session)->lease_lost() && code != kExitOk) code = kExitLocked;
  const Journal& journal = (*session)->journal();
  if (journal.failed()) {
    PrintError("the journal " + journal.path() + " could not be written (" + journal.failure() +
               "); nothing new was started after that");
    code = kExitInternal;
  }
  WriteReport(o.report_file, markdown);
  return code;
}

}  // namespace

std::string MutatingCommand::RunId(int64_t unix_ms) const { return NewRunId(unix_ms); }

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
