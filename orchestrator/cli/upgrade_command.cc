#include "cli/upgrade_command.h"

#include <iostream>
#include <optional>

#include "cli/flag_checks.h"
#include "ops/upgrade/rollback.h"
#include "ops/upgrade/upgrade.h"

namespace shardctl::cli {
namespace {

class UpgradeCommand : public RollingCommand {
 public:
  UpgradeCommand(const CommonOptions& o, const RollingRequest& r, const UpgradeFlags& f)
      : RollingCommand(o, r), f_(f) {}

  Status Select(const Inventory& inv, const Playbook& pb) override;
  int DryRun(const Inventory& inv, const Playbook& pb) override {
    std::cout << artifact_line_;
    return RollingCommand::DryRun(inv, pb);
  }
  std::string Question(const Inventory&) const override {
    return "Upgrade the selected validators to " + artifact_->source + " (sha256 " +
           artifact_->sha256 + ") in quorum-safe waves, a soaked canary per shard first?";
  }

 protected:
  RunHeader Header() const override {
    RunHeader h = RollingCommand::Header();
    h.command = "upgrade";
    h.params = UpgradeParams(f_);
    return h;
  }
  Result<WaveReport> RunWaveOperation(RunContext& ctx) override {
    upgrade::UpgradeActionOptions action;
    action.run.artifact_sha256 = artifact_->sha256;
    action.run.version = f_.request.version;
    action.allow_partial = f_.allow_partial;
    action.upgraded_before = f_.upgraded_before;
    return upgrade::RunUpgrade(ctx, *artifact_, action, wave_);
  }
  std::string AfterFailure(const WaveReport&, const std::string& again) const override {
    return "a rolled-back node runs its previous binary again. Fix the release and run upgrade "
           "again, or put the previous binary back on the nodes this run upgraded: "
           "shardctl rollback" +
           again;
  }

 private:
  const UpgradeFlags& f_;
  std::optional<upgrade::Artifact> artifact_;
  std::string artifact_line_;
};

// Everything checked on this machine; a refusal says what failed and that nothing was touched
// (the pipeline exits 2).
Status UpgradeCommand::Select(const Inventory& inv, const Playbook& pb) {
  SHARDCTL_RETURN_IF_ERROR(RollingCommand::Select(inv, pb));
  upgrade::FetchOptions fetch;
  fetch.connect_timeout = fetch.read_timeout =
      Duration(static_cast<int64_t>(f_.http_timeout_s * 1000));
  fetch.deadline = Duration(static_cast<int64_t>(f_.download_timeout_s * 1000));
  auto artifact = upgrade::PrecheckUpgrade(f_.request, pb, inv, fetch);
  if (!artifact.ok()) {
    return Status::Invalid("upgrade refused: " + artifact.status().message() +
                           ". Nothing was touched.");
  }
  artifact_ = std::move(*artifact);
  artifact_line_ = "artifact " + artifact_->source + ": " +
                   std::to_string(artifact_->bytes.size()) + " bytes, sha256 " + artifact_->sha256 +
                   " as required, format " + upgrade::NodeArtifactFormat(pb)->name + "; " +
                   std::to_string(wave_.targets.size()) + " node(s) to upgrade\n";
  return Status::Ok();
}

// The previous binary back on the nodes an upgrade run upgraded (r.only), in waves.
class RollbackCommand : public RollingCommand {
 public:
  RollbackCommand(const CommonOptions& o, const RollingRequest& r, std::string of)
      : RollingCommand(o, r), of_(std::move(of)) {}

  std::string Question(const Inventory&) const override {
    return "Put the previous binary back on the " + std::to_string(wave_.targets.size()) +
           " node(s) upgrade run " + of_ + " upgraded, in quorum-safe waves?";
  }

 protected:
  RunHeader Header() const override {
    RunHeader h = RollingCommand::Header();
    h.command = "rollback";
    h.params = {{"rollback_of", of_}};
    return h;
  }
  Result<WaveReport> RunWaveOperation(RunContext& ctx) override {
    return upgrade::RunRollback(ctx, wave_);
  }

 private:
  const std::string of_;
};

}  // namespace

void AddUpgradeOptions(po::options_description* d, UpgradeFlags* f) {
  d->add_options()("artifact", po::value(&f->request.artifact)->value_name("FILE|URL"),
                   "the release: a local file or an http(s) URL")(
      "sha256", po::value(&f->request.sha256)->value_name("HEX"),
      "required: the release's SHA-256 from its publisher")(
      "version", po::value(&f->request.version)->value_name("V"),
      "the version the upgraded nodes must report (playbook command `version`)")(
      "allow-partial", po::bool_switch(&f->allow_partial),
      "upgrade the staged nodes even if staging failed on some (journaled; those are skipped)")(
      "http-timeout",
      po::value(&f->http_timeout_s)
          ->value_name("SECONDS")
          ->notifier(SecondsFlag("--http-timeout", 86400)),
      "connect and read timeout of the download (default 30)")(
      "download-timeout",
      po::value(&f->download_timeout_s)
          ->value_name("SECONDS")
          ->notifier(SecondsFlag("--download-timeout", 86400)),
      "the whole download must end within this, however slowly it trickles (default 600)");
}

std::map<std::string, std::string> UpgradeParams(const UpgradeFlags& f) {
  return {{"artifact", f.request.artifact},
          {"sha256", f.request.sha256},
          {"version", f.request.version},
          {"allow_partial", f.allow_partial ? "1" : "0"}};
}

void ApplyUpgradeParams(const std::map<std::string, std::string>& params, UpgradeFlags* f) {
  auto get = [&](const char* key) {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  };
  f->request.artifact = get("artifact");
  f->request.sha256 = get("sha256");
  f->request.version = get("version");
  f->allow_partial = get("allow_partial") == "1";
}

int RunUpgradeCommand(const CommonOptions& o, const RollingRequest& r, const UpgradeFlags& f) {
  UpgradeCommand cmd(o, r, f);
  return RunPipeline(o, cmd);
}

int RunRollbackCommand(const CommonOptions& o, const RollingRequest& r, const std::string& of) {
  RollbackCommand cmd(o, r, of);
  return RunPipeline(o, cmd);
}

}  // namespace shardctl::cli
