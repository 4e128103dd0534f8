// shardctl upgrade: install a verified release on the selected validators (docs/operations.md).
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/upgrade_command.h"

namespace shardctl::cli {
namespace {

int RunUpgradeCli(const std::vector<std::string>& args) {
  CommonOptions o;
  WaveRequest r;
  r.plan.header.command = OperationKind::kUpgrade;
  UpgradeFlags f;
  po::options_description d("Options");
  AddRunOptions(&d, &o, /*planned=*/true);
  AddWaveOptions(&d, &r);
  AddUpgradeOptions(&d, &r, &f);
  HelpText help{
      "shardctl upgrade -i INVENTORY -p PLAYBOOK --artifact FILE|URL --sha256 HEX [--version V] "
      "[--shard N]... [--node GLOB]... [--stage-only] [--dry-run] [--yes] "
      "[--override-window REASON]",
      "Installs a release on the selected validators. Before any node is touched, on this\n"
      "machine: the download must succeed (2xx, whole length, not an HTML/XML error page), its\n"
      "sha256 must equal --sha256 and it must be an executable for the nodes (playbook\n"
      "upgrade.format, default this machine's type); outside the maintenance window it is\n"
      "refused unless --override-window says why. Each refusal exits 2 saying what failed.\n"
      "Then: stage the release on every selected node in parallel (playbook `stage`; the run\n"
      "stops if any node fails, unless --allow-partial), and per shard in the playbook's order\n"
      "upgrade upgrade.canary non-leader node(s) first and soak them (upgrade.soak_s and\n"
      "upgrade.soak_blocks, on --version), then the rest in quorum-safe waves, leader last:\n"
      "stop, confirm down, `swap`, start, wait until in sync and the shard committed\n"
      "rolling.min_new_blocks, check `version`. A node that fails gets its previous binary back\n"
      "at once (`rollback`), is restarted and gated, and nothing new starts once the failure\n"
      "budget is spent. Ctrl-C finishes the wave in flight; `shardctl resume RUN_ID` continues.\n"
      "--stage-only stages (and verifies) the release and stops there, touching no running node\n"
      "(so it may run ahead of the window); a later upgrade of the same --sha256 re-verifies\n"
      "it on each node (playbook `verify_staged`) instead of sending it again.\n"
      "Exit 0 only when every selected node runs the release and is in sync.",
      "  shardctl upgrade -i inv.json -p playbooks/harmony-recover.json --artifact \\\n"
      "      https://release.example/harmony-v4.4.0 --sha256 9f86d0... --version v4.4.0 "
      "--dry-run\n"
      "  shardctl upgrade -i /tmp/sb/inventory.json -p playbooks/sandbox.json --artifact /tmp/v2 "
      "\\\n      --sha256 \"$(sha256sum /tmp/v2 | cut -d' ' -f1)\" --version v2 --yes\n"
      "  shardctl upgrade -i inv.json -p pb.json --artifact /tmp/v2 --sha256 HEX --stage-only "
      "--yes\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  return RunUpgradeCommand(o, r, f);
}

RegisterCommand register_upgrade({"upgrade",
                                  "install a verified release: staged, canary, waves, rollback",
                                  &RunUpgradeCli});

}  // namespace
}  // namespace shardctl::cli
