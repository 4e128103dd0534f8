#include "ops/upgrade/upgrade.h"

#include "run/wave_run.h"

namespace shardctl::upgrade {

Result<WaveReport> RunUpgrade(RunContext& ctx, const Artifact& artifact,
                              UpgradeActionOptions action, const WaveOptions& options) {
  action.run.run_id = ctx.journal.run_id();
  UpgradeAction upgrade(ctx, artifact, std::move(action));
  return RunWaves(ctx, "upgrade", upgrade, options);
}

}  // namespace shardctl::upgrade
