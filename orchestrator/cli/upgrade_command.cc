#include "cli/upgrade_command.h"

#include <iostream>
#include <optional>

#include "cli/exit_code.h"
#include "cli/output.h"
#include "ops/upgrade/precheck.h"
#include "ops/upgrade/rollback.h"
#include "ops/upgrade/upgrade.h"

namespace shardctl::cli {
namespace {

class UpgradeCommand : public WaveCommand {
 public:
  UpgradeCommand(const CommonOptions& o, const WaveRequest& r, const UpgradeFlags& f)
      : WaveCommand(o, r), f_(f), release_(r.plan.header.release) {}

  /// Staging touches no running node: it may run ahead of the window.
  bool Planned() const override { return !release_.stage_only; }
  Status Select(const Inventory& inv, const Playbook& pb) override;
  int DryRun(const Inventory& inv, const Playbook& pb) override {
    std::cout << artifact_line_;
    if (release_.stage_only) return kExitOk;  // staging touches no running node: no waves
    return WaveCommand::DryRun(inv, pb);
  }
  std::string Question(const Inventory&) const override {
    std::string what = artifact_->source + " (sha256 " + artifact_->sha256 + ")";
    if (release_.stage_only) return "Stage " + what + " on the selected validators?";
    return "Upgrade the selected validators to " + what +
           " in quorum-safe waves, a soaked canary per shard first?";
  }

 protected:
  Result<WaveReport> RunWaveOperation(RunContext& ctx) override {
    UpgradeRunVars run{artifact_->sha256, release_.version, ""};
    if (release_.stage_only) return upgrade::RunStageOnly(ctx, *artifact_, run, wave_);
    upgrade::UpgradeActionOptions action;
    action.run = run;
    action.allow_partial = release_.allow_partial;
    action.upgraded_before = r_.plan.done_before;
    return upgrade::RunUpgrade(ctx, *artifact_, action, wave_);
  }
  std::string AfterFailure(const WaveReport&, const std::string& again) const override {
    if (release_.stage_only) return "after fixing the cause, stage again: shardctl resume" + again;
    return "a rolled-back node runs its previous binary again. Fix the release and run upgrade "
           "again, or put the previous binary back on the nodes this run upgraded: "
           "shardctl rollback" +
           again;
  }

 private:
  const UpgradeFlags& f_;
  const ReleaseParams& release_;
  std::optional<upgrade::Artifact> artifact_;
  std::string artifact_line_;
};

// Everything checked on this machine; a refusal says what failed and that nothing was touched
// (the pipeline exits 2).
Status UpgradeCommand::Select(const Inventory& inv, const Playbook& pb) {
  SHARDCTL_RETURN_IF_ERROR(WaveCommand::Select(inv, pb));
  upgrade::FetchOptions fetch;
  fetch.connect_timeout = fetch.read_timeout =
      Duration(static_cast<int64_t>(f_.http_timeout_s * 1000));
  upgrade::UpgradeRequest request{release_.artifact, release_.sha256, release_.version};
  auto artifact = upgrade::PrecheckUpgrade(request, pb, inv, fetch);
  if (!artifact.ok()) {
    return Status::Invalid("upgrade refused: " + artifact.status().message() +
                           ". Nothing was touched.");
  }
  artifact_ = std::move(*artifact);
  artifact_line_ = "artifact " + artifact_->source + ": " +
                   std::to_string(artifact_->bytes.size()) + " bytes, sha256 " + artifact_->sha256 +
                   " as required, format " + upgrade::NodeArtifactFormat(pb)->name + "; " +
                   std::to_string(wave_.targets.size()) + " node(s) to " +
                   (release_.stage_only ? "stage" : "upgrade") + "\n";
  return Status::Ok();
}

// The previous binary back on the nodes an upgrade run upgraded, in waves.
class RollbackCommand : public WaveCommand {
 public:
  using WaveCommand::WaveCommand;

  std::string Question(const Inventory&) const override {
    return "Put the previous binary back on the " + std::to_string(wave_.targets.size()) +
           " node(s) upgrade run " + r_.plan.header.rollback_of +
           " upgraded, in quorum-safe waves?";
  }

 protected:
  Result<WaveReport> RunWaveOperation(RunContext& ctx) override {
    return upgrade::RunRollback(ctx, wave_);
  }
};

}  // namespace

void AddUpgradeOptions(po::options_description* d, WaveRequest* r, UpgradeFlags* f) {
  ReleaseParams* release = &r->plan.header.release;
  d->add_options()("artifact", po::value(&release->artifact)->value_name("FILE|URL"),
                   "the release: a local file or an http(s) URL")(
      "sha256", po::value(&release->sha256)->value_name("HEX"),
      "required: the release's SHA-256 from its publisher")(
      "version", po::value(&release->version)->value_name("V"),
      "the version the upgraded nodes must report (playbook command `version`)")(
      "allow-partial", po::bool_switch(&release->allow_partial),
      "upgrade the staged nodes even if staging failed on some (journaled; those are skipped)")(
      "stage-only", po::bool_switch(&release->stage_only),
      "stage and verify the release on every selected node and stop there: no node is "
      "stopped or restarted (journaled, resumable); a later upgrade of the same sha256 "
      "re-verifies it (playbook `verify_staged`) instead of sending it again")(
      "http-timeout", po::value(&f->http_timeout_s)->value_name("SECONDS"),
      "connect and read timeout of the download (default 30)");
}

int RunUpgradeCommand(const CommonOptions& o, const WaveRequest& r, const UpgradeFlags& f) {
  UpgradeCommand cmd(o, r, f);
  return RunPipeline(o, cmd);
}

int RunRollbackCommand(const CommonOptions& o, const WaveRequest& r) {
  RollbackCommand cmd(o, r);
  return RunPipeline(o, cmd);
}

}  // namespace shardctl::cli
