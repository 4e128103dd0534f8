// shardctl status: one line per shard: height, new blocks, nodes up and in sync, voting power
// in Normal mode, view ids, verdict.
#include <iostream>

#include "base/terminal_text.h"
#include "base/text.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/flag_checks.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "cli/transport_factory.h"
#include "ops/status/shard_status.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

int RunStatus(const std::vector<std::string>& args) {
  CommonOptions o;
  double interval_s = 2;
  bool watch = false;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddPlaybookOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  d.add_options()("interval",
                  po::value(&interval_s)
                      ->value_name("SEC")
                      ->default_value(2)
                      ->notifier(SecondsFlag("--interval", 3600)),
                  "time between the two probes that count new blocks")(
      "watch,w", po::bool_switch(&watch), "refresh until Ctrl-C (JSON: one object per round)");
  HelpText help{
      "shardctl status -i INVENTORY -p PLAYBOOK [--shard N]... [--interval SEC] [--watch] [-v] "
      "[-o json]",
      "Probes every node twice, --interval apart, with the playbook's probe and is_running\n"
      "commands, and prints per shard: top height, blocks produced in the interval, nodes up,\n"
      "nodes in sync, voting power in Normal mode (and the quorum), view ids seen, and a\n"
      "verdict: healthy, degraded, halted, halted-view-change or down. -v adds one line per\n"
      "node. Read-only. Exit 0 when every selected shard is healthy, 1 otherwise.",
      "  shardctl status -i inventory.json -p playbooks/harmony-recover.json\n"
      "  shardctl status -i /tmp/sb/inventory.json -p playbooks/sandbox.json -v --interval 1\n"
      "  shardctl status -i /tmp/sb/inventory.json -p playbooks/sandbox.json --watch\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  auto shards = SelectShards(*inv, o.selection());
  if (!shards.ok()) {
    PrintError(shards.status());
    return kExitUsage;
  }
  auto transport = MakeTransport(o);
  RealClock clock;
  const Duration interval(static_cast<int64_t>(interval_s * 1000));
  bool healthy = false;
  do {
    auto st = CollectStatus(*inv, *pb, *transport, clock, *GlobalCancel(), *shards, interval);
    if (GlobalCancel()->cancelled()) break;
    if (watch && !o.json() && StdoutIsTty()) std::cout << "\x1b[H\x1b[2J";
    if (watch && !o.json()) std::cout << FormatUtc(clock.UnixMillis()) << "\n";
    std::cout << (o.json() ? JsonLine(StatusToJson(st))
                           : SanitizeForTerminal(RenderStatusText(st, o.verbose > 0)))
              << std::flush;
    healthy = true;
    for (const ShardStatus& s : st) healthy = healthy && s.verdict == ShardVerdict::kHealthy;
  } while (watch);
  transport->CloseAll();
  if (GlobalCancel()->cancelled()) return kExitCancelled;  // --watch ends only this way
  return healthy ? kExitOk : kExitFailed;
}

RegisterCommand register_status({"status",
                                 "per shard: height, new blocks, nodes up, views, verdict",
                                 &RunStatus});

}  // namespace
}  // namespace shardctl::cli
