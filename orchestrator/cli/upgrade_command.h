// What `upgrade`, `rollback` and their resume share: the release's checks before any node is
// touched, then the upgrade run through the one mutating-command pipeline (as a wave-based
// command).
#pragma once

#include <map>
#include <set>
#include <string>

#include "cli/common.h"
#include "cli/rolling_command.h"
#include "ops/upgrade/precheck.h"

namespace shardctl::cli {

struct UpgradeFlags {
  upgrade::UpgradeRequest request;
  bool allow_partial = false;
  double http_timeout_s = 30;
  double download_timeout_s = 600;
  std::set<std::string> upgraded_before;  // resume: nodes the run upgraded already
};

/// Adds --artifact, --sha256, --version, --allow-partial, --http-timeout, --download-timeout.
void AddUpgradeOptions(po::options_description* d, UpgradeFlags* f);

/// The header params that let resume run an upgrade again, and back.
std::map<std::string, std::string> UpgradeParams(const UpgradeFlags& f);
void ApplyUpgradeParams(const std::map<std::string, std::string>& params, UpgradeFlags* f);

/// Runs the upgrade (r.command "upgrade", or "resume" with r's resume fields). Returns an
/// ExitCode: 2 for every refusal before a node is touched.
int RunUpgradeCommand(const CommonOptions& o, const RollingRequest& r, const UpgradeFlags& f);

/// Rolls back the nodes in r.only (those upgrade run `of` upgraded); r.command is "rollback",
/// or "resume" with r's resume fields. Returns an ExitCode.
int RunRollbackCommand(const CommonOptions& o, const RollingRequest& r, const std::string& of);

}  // namespace shardctl::cli
