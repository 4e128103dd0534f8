// The playbook's upgrade section and the per-run values its commands see (docs/playbooks.md,
// "Upgrade"). The stage/swap/rollback/version templates live in Commands with the others.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

struct Playbook;
enum class CommandId;

/// Where a node keeps its binaries: templates over the node's vars, rendered per node and then
/// offered to the upgrade commands as {{binary}}, {{staged}} and {{rollback}}.
struct UpgradePaths {
  std::string binary;    // the binary the node runs
  std::string staged;    // where `stage` puts the new release
  std::string rollback;  // where `stage` keeps the binary it replaces
};

struct UpgradePolicy {
  int canary = 1;               // nodes per shard upgraded and soaked before the waves
  Duration soak{30000};         // a canary must stay healthy this long ...
  int soak_blocks = 3;          // ... while its shard commits this many new blocks
  std::string format;           // "elf-x86_64", "any", ...; empty: the operator's machine type
  std::string version_pointer;  // JSON pointer into `version`'s output; empty: the whole output
  UpgradePaths paths;
  bool present = false;  // the playbook has an "upgrade" section
};

/// The per-run values upgrade commands may use besides the node's vars and the paths.
struct UpgradeRunVars {
  std::string artifact_sha256;  // {{artifact_sha256}}: lowercase hex of the release
  std::string version;          // {{version}}: --version, or "" when not given
  std::string run_id;           // {{run_id}}
};

/// The placeholder names UpgradeRunVars and UpgradePaths add, in that order.
const std::vector<std::string>& UpgradeVarNames();

/// Parses the playbook's "upgrade" object: unknown keys, bad numbers, malformed path templates or
/// JSON pointers are errors naming FILE:/upgrade/key.
Result<UpgradePolicy> ParseUpgradePolicy(const nlohmann::json& upgrade, const std::string& file);

/// Ok when pb can run `upgrade`: stage, swap, rollback, version and the upgrade section with its
/// paths are present, and every upgrade command renders for every node of inv (with placeholder
/// run values). A node var named like an upgrade placeholder is an error. Names file and node.
Status CheckUpgradeAgainst(const Playbook& pb, const Inventory& inv);

/// The node's vars plus the rendered paths and run; errors name the path key and node.
Result<Vars> UpgradeVarsFor(const Playbook& pb, const Node& node, const UpgradeRunVars& run);

/// Renders upgrade command id (stage, swap, rollback, version) for node with run's values;
/// errors name the playbook, the command and the node.
Result<std::string> RenderUpgradeCommand(const Playbook& pb, CommandId id, const Node& node,
                                         const UpgradeRunVars& run);

/// The version text in a `version` command's output: the whole output trimmed, or the string at
/// pb.upgrade.version_pointer when set (an error when the output is not such JSON).
Result<std::string> ExtractVersion(const UpgradePolicy& policy, const std::string& output);

/// True when `version` occurs in text as a whole token (not inside a longer version string:
/// "v2" matches "sim v2 (rpc)" but not "v2.1" or "v21").
bool VersionMatches(const std::string& text, const std::string& version);

}  // namespace shardctl
