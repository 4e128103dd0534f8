// shardctl upgrade: install a verified release on the selected validators (docs/operations.md).
// Everything checked on the operator's machine runs here, before any node is touched; the run
// itself (stage, canary, waves, rollback) belongs on the shared run driver.
#include <iostream>

#include "base/clock.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_guard.h"
#include "ops/upgrade/precheck.h"

namespace shardctl::cli {
namespace {

struct UpgradeFlags {
  upgrade::UpgradeRequest request;
  std::string override_window;
  bool allow_partial = false;
  double http_timeout_s = 30;
};

void AddUpgradeOptions(po::options_description* d, UpgradeFlags* f) {
  d->add_options()("artifact", po::value(&f->request.artifact)->value_name("FILE|URL"),
                   "the release: a local file or an http(s) URL")(
      "sha256", po::value(&f->request.sha256)->value_name("HEX"),
      "required: the release's SHA-256 from its publisher")(
      "version", po::value(&f->request.version)->value_name("V"),
      "the version the upgraded nodes must report (playbook command `version`)")(
      "allow-partial", po::bool_switch(&f->allow_partial),
      "start the waves even if staging failed on some nodes (journaled)")(
      "override-window", po::value(&f->override_window)->value_name("REASON"),
      "run outside the playbook's maintenance window; REASON is journaled")(
      "http-timeout", po::value(&f->http_timeout_s)->value_name("SECONDS"),
      "connect and read timeout of the download (default 30)");
}

/// Exit 2 with what failed; the message always ends by saying nothing was touched.
int Refuse(const std::string& what) {
  PrintError("upgrade refused: " + what + ". Nothing was touched.");
  return kExitUsage;
}

int Check(const CommonOptions& o, const UpgradeFlags& f) {
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  auto pb = LoadPlaybookOrReport(o, *inv);
  if (!pb.ok()) return ExitCodeFor(pb.status());
  auto nodes = SelectNodes(*inv, o.selection());
  if (!nodes.ok()) return Refuse(nodes.status().message());
  std::string outside = OutsideWindow(*pb, RealClock().UnixMillis());
  if (!outside.empty() && f.override_window.empty()) {
    return Refuse(outside +
                  "; planned work waits for its window (to go ahead anyway, say why "
                  "with --override-window \"REASON\")");
  }
  upgrade::FetchOptions fetch;
  fetch.connect_timeout = fetch.read_timeout =
      Duration(static_cast<int64_t>(f.http_timeout_s * 1000));
  auto artifact = upgrade::PrecheckUpgrade(f.request, *pb, *inv, fetch);
  if (!artifact.ok()) return Refuse(artifact.status().message());
  std::cout << "artifact " << artifact->source << ": " << artifact->bytes.size()
            << " bytes, sha256 " << artifact->sha256 << " as required, format "
            << upgrade::NodeArtifactFormat(*pb)->name << "; " << nodes->size()
            << " node(s) selected\n";
  if (o.dry_run) return kExitOk;
  PrintError(
      "upgrade: staging, canary and waves run on the shared run driver, which this build does "
      "not include yet; nothing was touched");
  return kExitInternal;
}

int Run(const std::vector<std::string>& args) {
  CommonOptions o;
  UpgradeFlags f;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddPlaybookOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  AddActionOptions(&d, &o);
  AddUpgradeOptions(&d, &f);
  HelpText help{
      "shardctl upgrade -i INVENTORY -p PLAYBOOK --artifact FILE|URL --sha256 HEX [--version V] "
      "[--shard N]... [--node GLOB]... [--dry-run] [--yes] [--override-window REASON]",
      "Installs a release on the selected validators. Before any node is touched, on this\n"
      "machine: the download must succeed (2xx, whole length, not an HTML/XML error page), its\n"
      "sha256 must equal --sha256 and it must be an executable for the nodes (playbook\n"
      "upgrade.format, default this machine's type); outside the maintenance window it is\n"
      "refused unless --override-window says why. Each refusal exits 2 saying what failed and\n"
      "what was expected. --dry-run stops after these checks.",
      "  shardctl upgrade -i inv.json -p playbooks/harmony-recover.json --artifact \\\n"
      "      https://release.example/harmony-v4.4.0 --sha256 9f86d0... --version v4.4.0 "
      "--dry-run\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  return Check(o, f);
}

RegisterCommand reg({"upgrade", "install a verified release (checks only until the run driver)",
                     &Run});

}  // namespace
}  // namespace shardctl::cli
