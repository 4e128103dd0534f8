// shardctl exec: one command on a selection of nodes, output grouped like `clush -b`.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/terminal_text.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/flag_checks.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "cli/transport_factory.h"
#include "model/node_set.h"
#include "run/journal.h"
#include "run/run_lock.h"
#include "transport/fanout.h"

namespace shardctl::cli {
namespace {

struct ExecFlags {
  double timeout_s = 60;
  size_t max_output = 1 << 20;
  std::vector<std::string> command;
};

nlohmann::json NodeJson(const Node& n, const ExecResult& r) {
  nlohmann::json j = {{"node", n.name},
                      {"shard", n.shard},
                      {"host", n.ssh.host},
                      {"outcome", OutcomeName(r.outcome)},
                      {"ok", r.ok()},
                      {"duration_ms", r.duration.count()},
                      {"stdout", r.out},
                      {"stderr", r.err},
                      {"stdout_truncated", r.out_truncated},
                      {"stderr_truncated", r.err_truncated}};
  if (r.outcome == ExecResult::Outcome::kExited) j["exit_code"] = r.exit_code;
  if (!r.signal.empty()) j["signal"] = r.signal;
  if (!r.ok()) j["reason"] = r.Reason();
  return j;
}

// Prints nodes with identical output once, under the list of their names.
void PrintGrouped(const std::vector<const Node*>& nodes, const std::vector<ExecResult>& results) {
  std::map<std::string, std::vector<std::string>> groups;  // output -> node names
  for (size_t i = 0; i < nodes.size(); ++i) {
    const ExecResult& r = results[i];
    if (r.outcome != ExecResult::Outcome::kExited) continue;
    // On a terminal a node's output must not drive it (escape sequences are shown, not run).
    std::string text = StdoutIsTty() ? SanitizeForTerminal(r.out) : r.out;
    if (r.out_truncated) text += "\n[output truncated]\n";
    groups[text].push_back(nodes[i]->name);
  }
  for (const auto& [text, names] : groups) {
    std::string header = FoldNodeNames(names);
    std::string rule(std::min<size_t>(header.size() + 6, 78), '-');
    std::cout << rule << "\n" << header << " (" << names.size() << ")\n" << rule << "\n" << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
  }
}

// Lists every node that did not exit 0, with its reason and the start of its stderr.
int PrintFailures(const std::vector<const Node*>& nodes, const std::vector<ExecResult>& results) {
  int failed = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const ExecResult& r = results[i];
    if (r.ok()) continue;
    if (failed++ == 0) std::cerr << "\nFailed:\n";
    std::string err = r.err.substr(0, 200);
    while (!err.empty() && err.back() == '\n') err.pop_back();
    std::cerr << "  " << nodes[i]->name << ": "
              << SanitizeForTerminal(r.Reason() + (err.empty() ? "" : ": " + err)) << "\n";
  }
  return failed;
}

class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void Done(bool ok) {
    std::lock_guard<std::mutex> l(mu_);
    ++done_;
    failed_ += ok ? 0 : 1;
    if (enabled_) std::fprintf(stderr, "\r[%zu/%zu] done, %zu failed ", done_, total_, failed_);
  }
  void Finish() {
    if (enabled_) std::fprintf(stderr, "\r%60s\r", "");
  }

 private:
  std::mutex mu_;
  size_t total_, done_ = 0, failed_ = 0;
  bool enabled_;
};

std::string JoinCommand(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// exec's raw fan-out bypasses the run driver, so it says when a run holds the network (exec
// takes no lock: a person looking at nodes mid-run must not be refused) and journals what it
// sends: every node's begin before the first command goes out, then each result.
class ExecJournal {
 public:
  static Result<ExecJournal> Open(const CommonOptions& o, const std::string& network,
                                  RealClock& clock) {
    if (auto holder = RunLock::Holder(o.state_dir, network)) {
      PrintError("warning: network '" + network + "' is held by " + DescribeHolder(*holder) +
                 "; exec runs anyway and takes no lock");
    }
    auto journal = Journal::Open(o.state_dir, NewRunId(clock.UnixMillis()), clock);
    if (!journal.ok()) return journal.status();
    return ExecJournal(std::move(*journal));
  }

  Status Begin(const std::vector<const Node*>& nodes, const std::string& command) {
    SHARDCTL_RETURN_IF_ERROR(
        journal_->Record(-1, "", Step::kRun, Outcome::kBegin,
                         "exec on " + std::to_string(nodes.size()) + " node(s): " + command));
    for (const Node* n : nodes)
      SHARDCTL_RETURN_IF_ERROR(
          journal_->Record(n->shard, n->name, Step::kExec, Outcome::kBegin, command));
    return Status::Ok();
  }
  void Finished(const Node& n, const ExecResult& r) {
    journal_->Note(n.shard, n.name, Step::kExec, r.ok() ? Outcome::kOk : Outcome::kFailed,
                   r.ok() ? "" : r.Reason());
  }
  void End(size_t failed) {
    journal_->Note(-1, "", Step::kRun, Outcome::kFinished, std::to_string(failed) + " failed");
  }
  const std::string& path() const { return journal_->path(); }

 private:
  explicit ExecJournal(std::unique_ptr<Journal> j) : journal_(std::move(j)) {}
  std::unique_ptr<Journal> journal_;
};

// The grouped output, the failures, the journal's end and the exit code.
int Report(const CommonOptions& o, const std::vector<const Node*>& nodes,
           const std::vector<ExecResult>& results, ExecJournal* journal) {
  size_t failed = 0;
  for (const auto& r : results) failed += r.ok() ? 0 : 1;
  journal->End(failed);
  if (!o.json()) {
    PrintGrouped(nodes, results);
    std::cout.flush();
    PrintFailures(nodes, results);
    std::cerr << nodes.size() << " nodes: " << nodes.size() - failed << " ok, " << failed
              << " failed (journal " << journal->path() << ")\n";
  }
  if (GlobalCancel()->cancelled()) return kExitCancelled;
  return failed == 0 ? kExitOk : kExitFailed;
}

// After the flags: select, journal, run on every node, print grouped output and the failures.
int Execute(const CommonOptions& o, const ExecFlags& f) {
  if (f.command.empty()) {
    PrintError("no command given: put it after --, e.g. shardctl exec -i inv.json -- uptime");
    return kExitUsage;
  }
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto nodes = SelectNodes(*inv, o.selection());
  if (!nodes.ok()) {
    PrintError(nodes.status());
    return kExitUsage;
  }
  std::string command = JoinCommand(f.command);
  RealClock clock;
  auto journal = ExecJournal::Open(o, inv->network, clock);
  Status begun = journal.ok() ? journal->Begin(*nodes, command) : journal.status();
  if (!begun.ok()) {
    PrintError(begun.message() + "; nothing was sent");
    return kExitInternal;
  }
  auto transport = MakeTransport(o);
  ExecOptions eo;
  eo.timeout = Duration(static_cast<int64_t>(f.timeout_s * 1000));
  eo.max_output_bytes = f.max_output;
  eo.cancel = GlobalCancel();
  Progress progress(nodes->size(), !o.json() && isatty(2));
  auto results = RunOnNodes(*transport, *nodes, command, eo, o.jobs,
                            [&](size_t, const Node& n, const ExecResult& r) {
                              journal->Finished(n, r);
                              if (o.json()) std::cout << JsonLine(NodeJson(n, r)) << std::flush;
                              progress.Done(r.ok());
                            });
  progress.Finish();
  transport->CloseAll();
  return Report(o, *nodes, results, &*journal);
}

int RunExec(const std::vector<std::string>& args) {
  CommonOptions o;
  ExecFlags f;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  AddStateDirOption(&d, &o);
  d.add_options()("timeout",
                  po::value(&f.timeout_s)
                      ->value_name("SEC")
                      ->default_value(60)
                      ->notifier(SecondsFlag("--timeout", 86400)),
                  "per-node limit for connect + command; the command's channel is closed after it")(
      "max-output",
      po::value(&f.max_output)
          ->value_name("BYTES")
          ->default_value(1 << 20)
          ->notifier(BytesFlag("--max-output", size_t{1} << 30)),
      "per stream and node; the rest is read and dropped")(
      "command", po::value(&f.command)->multitoken(), "the command (after --)");
  po::positional_options_description pos;
  pos.add("command", -1);
  HelpText help{
      "shardctl exec -i INVENTORY [--shard N] [--node GLOB] [-j N] [--timeout SEC] -- COMMAND...",
      "Runs COMMAND through each selected node's login shell over SSH (one session per node,\n"
      "host keys checked strictly) and prints identical outputs once, under the names of the\n"
      "nodes that produced them. Nodes that failed are listed on stderr with the reason: exit\n"
      "code, signal, timeout, unreachable, auth, host key. Exit 0 only when every node exited 0;\n"
      "1 when some failed; 2 for bad usage or input. Ctrl-C stops starting new nodes and\n"
      "closes running commands. What it ran is journaled under the state dir (every node's\n"
      "command before it is sent, then its result), and it warns when a run holds the network.",
      "  shardctl exec -i inv.json -- uptime\n"
      "  shardctl exec -i inv.json --shard 1 --node 's1-*' -- systemctl is-active harmony\n"
      "  shardctl exec -i inv.json -o json -- 'cat /etc/os-release' | jq -r .stdout\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, &pos, help, &o, &code)) return code;
  return Execute(o, f);
}

RegisterCommand register_exec({"exec", "run one command on a selection of nodes over SSH",
                               &RunExec});

}  // namespace
}  // namespace shardctl::cli
