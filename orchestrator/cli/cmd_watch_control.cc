// shardctl watch pause|resume|approve|report (see cli/watch_control.h).
#include <iostream>

#include "base/text.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/exit_code.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/watch_control.h"
#include "lock/lease_holder.h"
#include "model/network_name.h"
#include "ops/watch/watch_journal.h"
#include "ops/watch/watch_report.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

struct ControlFlags {
  std::string network;
  std::string reason;
  std::string since = "24h";
  int shard = -1;
};

HelpText WatchControlHelp() {
  return {
      "shardctl watch pause (-i INVENTORY | --network NAME) --reason \"WHY\" [--state-dir DIR]\n"
      "       shardctl watch resume (-i INVENTORY | --network NAME) [--reason \"WHY\"]\n"
      "       shardctl watch approve SHARD (-i INVENTORY | --network NAME) [--reason \"WHY\"]\n"
      "       shardctl watch report (-i INVENTORY | --network NAME) [--since 24h]",
      "Controls the watchers of a network from any shell, through the watch journal\n"
      "(STATE_DIR/watch/NETWORK.jsonl) every watcher of that state dir reads each round:\n"
      "no --listen needed, and every control is journaled with who gave it.\n"
      "  pause    the kill switch: no new recovery starts (one in flight finishes); the\n"
      "           ShardctlWatchPaused alert fires until resume. It holds across restarts.\n"
      "  resume   lifts the pause.\n"
      "  approve  lets a shard held back by the correlated-failure or after-deploy rule\n"
      "           recover, and gives a gave-up shard its max_recoveries back.\n"
      "  report   a Markdown timeline of the last --since (24h, 90m, 2d): per incident time\n"
      "           to detect, to the first alert, to action and to recover, and what the\n"
      "           guardrails held back. -i or --network names the network.",
      "  shardctl watch pause -i inventory.json --reason \"upgrade in progress, J.D.\"\n"
      "  shardctl watch resume -i inventory.json\n"
      "  shardctl watch approve 2 -i inventory.json --reason \"checked: not the release\"\n"
      "  shardctl watch report -i inventory.json --since 24h > watch-report.md\n"};
}

// "24h", "90m", "2d", "3600s" (or a plain number of seconds).
std::optional<Duration> ParseSince(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1000;
  std::string digits = text;
  switch (text.back()) {
    case 's':
      unit = 1000;
      digits.pop_back();
      break;
    case 'm':
      unit = 60 * 1000;
      digits.pop_back();
      break;
    case 'h':
      unit = 3600 * 1000;
      digits.pop_back();
      break;
    case 'd':
      unit = 86400 * 1000;
      digits.pop_back();
      break;
    default:
      break;
  }
  auto n = ParseDecimal(digits, 1, 3650L * 86400);
  if (!n) return std::nullopt;
  return Duration(*n * unit);
}

int PrintWatchReport(const std::string& state_dir, const std::string& network,
                     const ControlFlags& f) {
  auto since = ParseSince(f.since);
  if (!since) {
    PrintError("--since " + f.since + ": expected a duration like 24h, 90m, 2d or 3600s");
    return kExitUsage;
  }
  uint64_t from = 0;
  std::string path = WatchJournalPath(state_dir, network);
  auto entries = ReadWatchJournalFrom(path, &from);
  if (!entries.ok()) {
    PrintError(entries.status());
    return kExitUsage;
  }
  int64_t now = RealClock().UnixMillis();
  std::cout << RenderWatchReport(network, *entries, now - since->count(), now);
  if (entries->empty()) std::cerr << "shardctl: no watch journal lines in " << path << "\n";
  return kExitOk;
}

int AppendControl(const std::string& action, const std::string& state_dir,
                  const std::string& network, const ControlFlags& f) {
  WatchEntry e;
  e.shard = f.shard;
  e.event = action == "pause"    ? WatchEvent::kPause
            : action == "resume" ? WatchEvent::kResume
                                 : WatchEvent::kApprove;
  e.detail = (f.reason.empty() ? action : f.reason) + " (by " + LocalOperator() + ")";
  RealClock clock;
  auto journal = WatchJournal::Open(state_dir, network, clock);
  Status s = journal.ok() ? (*journal)->Append(e) : journal.status();
  if (!s.ok()) {
    PrintError(s);
    return kExitInternal;
  }
  std::cerr << "shardctl: " << action << (f.shard >= 0 ? " shard " + std::to_string(f.shard) : "")
            << " journaled in " << (*journal)->path()
            << "; every watcher of this state dir applies it at its next round\n";
  return kExitOk;
}

}  // namespace

bool IsWatchControl(const std::string& word) {
  return word == "pause" || word == "resume" || word == "approve" || word == "report";
}

int RunWatchControl(const std::vector<std::string>& args) {
  CommonOptions o;
  ControlFlags f;
  std::string action;
  po::options_description d("Options");
  d.add_options()("action", po::value(&action), "pause, resume, approve or report")(
      "shard", po::value(&f.shard)->value_name("SHARD"), "approve: the shard")(
      "network", po::value(&f.network)->value_name("NAME"), "the network (instead of -i)")(
      "reason", po::value(&f.reason)->value_name("WHY"), "journaled with the control")(
      "since", po::value(&f.since)->value_name("DUR"), "report: how far back (default 24h)")(
      "state-dir", po::value(&o.state_dir)->value_name("DIR"), "the watchers' state dir")(
      "inventory,i", po::value(&o.inventory)->value_name("FILE"),
      "the network's inventory (or --network)");
  po::positional_options_description pos;
  pos.add("action", 1).add("shard", 1);
  int code = kExitOk;
  if (!ParseCommandLine(args, d, &pos, WatchControlHelp(), &o, &code)) return code;
  if (action == "pause" && f.reason.empty()) {
    PrintError("watch pause needs --reason \"WHY\" (it is journaled and paged)");
    return kExitUsage;
  }
  if ((action == "approve") != (f.shard >= 0)) {
    PrintError("a shard goes with approve only: shardctl watch approve SHARD -i INVENTORY");
    return kExitUsage;
  }
  std::string network = f.network;
  if (network.empty() && !o.inventory.empty()) {
    auto inv = LoadInventoryOrReport(o);
    if (!inv.ok()) return ExitCodeFor(inv.status());
    network = inv->network;
  }
  if (Status s = CheckNetworkName(network); !s.ok()) {
    PrintError("watch " + action + ": name the network with -i INVENTORY or --network NAME (" +
               s.message() + ")");
    return kExitUsage;
  }
  if (action == "report") return PrintWatchReport(o.state_dir, network, f);
  return AppendControl(action, o.state_dir, network, f);
}

}  // namespace shardctl::cli
