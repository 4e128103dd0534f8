// shardctl rolling-restart: restart validators in quorum-safe waves, leader last.
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/wave_command.h"

namespace shardctl::cli {
namespace {

int RunRolling(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
  po::options_description d("Options");
  AddRunOptions(&d, &o, /*planned=*/true);
  AddWaveOptions(&d, &r);
  HelpText help{
      "shardctl rolling-restart -i INVENTORY -p PLAYBOOK [--shard N]... [--node GLOB]... "
      "[--dry-run] [--yes] [--override-window REASON]",
      "Restarts the selected validators without any shard losing quorum. Per shard, in the\n"
      "playbook's order: check the shard is healthy (else touch nothing of it), then in waves\n"
      "sized so the voting power that stays up and in sync keeps a quorum (the playbook's\n"
      "quorum rule) plus rolling.quorum_margin (the current leader last, alone): stop, confirm "
      "down, verify the\n"
      "binary (restore the known-good one), start, and wait until the wave is back in sync and\n"
      "the shard committed rolling.min_new_blocks new blocks. Waves are re-planned from a fresh\n"
      "probe before each one. Node failures count against one budget for the whole run; once it\n"
      "is spent nothing new starts. Refused outside the playbook's maintenance window unless\n"
      "--override-window says why. Ctrl-C finishes the wave in flight and prints the resume\n"
      "command; `shardctl resume` continues, `shardctl retry` redoes failed and skipped nodes.\n"
      "Exit 0 only when every selected node was restarted and is back in sync.",
      "  shardctl rolling-restart -i inventory.json -p playbooks/harmony-recover.json --dry-run\n"
      "  shardctl rolling-restart -i inventory.json -p playbooks/harmony-recover.json --yes \\\n"
      "      --report /tmp/rolling.md\n"
      "  shardctl rolling-restart -i /tmp/sb/inventory.json -p playbooks/sandbox.json --shard 2\n"
      "  shardctl rolling-restart -i inv.json -p pb.json --override-window \"CVE fix, ok by "
      "J.D.\"\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  return RunRollingCommand(o, r);
}

RegisterCommand register_rolling({"rolling-restart",
                                  "restart validators in quorum-safe waves, leader last",
                                  &RunRolling});

}  // namespace
}  // namespace shardctl::cli
