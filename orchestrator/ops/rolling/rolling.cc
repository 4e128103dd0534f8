#include "ops/rolling/rolling.h"

#include "ops/rolling/restart_action.h"
#include "run/wave_run.h"

namespace shardctl {

Result<WaveReport> RollingRestart(RunContext& ctx, const WaveOptions& options) {
  RestartAction restart;
  return RunWaves(ctx, OperationKind::kRollingRestart, restart, options);
}

}  // namespace shardctl
