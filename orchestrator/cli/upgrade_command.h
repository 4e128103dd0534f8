// What `upgrade`, `rollback` and their resume share: the release's checks before any node is
// touched, then the upgrade (or its --stage-only staging) as a wave-based command.
#pragma once

#include <string>

#include "cli/options.h"
#include "cli/wave_command.h"

namespace shardctl::cli {

struct UpgradeFlags {
  double http_timeout_s = 30;
};

/// Adds --artifact, --sha256, --version, --allow-partial, --stage-only, --http-timeout: the
/// release goes into r->plan.header.release.
void AddUpgradeOptions(po::options_description* d, WaveRequest* r, UpgradeFlags* f);

/// Runs the upgrade in r.plan.header.release (fresh, or resumed with r's plan). Returns an
/// ExitCode: 2 for every refusal before a node is touched.
int RunUpgradeCommand(const CommonOptions& o, const WaveRequest& r, const UpgradeFlags& f);

/// Rolls back the nodes in r.plan.header.only (those upgrade run rollback_of upgraded), fresh
/// or resumed. Returns an ExitCode.
int RunRollbackCommand(const CommonOptions& o, const WaveRequest& r);

}  // namespace shardctl::cli
