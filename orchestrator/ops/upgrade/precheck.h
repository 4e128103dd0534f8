// Everything `upgrade` checks on the operator's machine before any node is touched. A failure
// here is bad input: the CLI exits 2 with the message, which says what failed and what was
// expected.
#pragma once

#include <string>

#include "model/inventory.h"
#include "model/playbook.h"
#include "ops/upgrade/artifact.h"

namespace shardctl::upgrade {

struct UpgradeRequest {
  std::string artifact;  // --artifact FILE|URL
  std::string sha256;    // --sha256 HEX (required: no trust on first download)
  std::string version;   // --version V, or empty
};

/// The artifact format the nodes run: the playbook's upgrade.format, or the operator's machine
/// type when it has none. An unknown name is an error naming PLAYBOOK:/upgrade/format.
Result<ArtifactFormat> NodeArtifactFormat(const Playbook& pb);

/// In order: --artifact and --sha256 given and well-formed; the playbook can upgrade this
/// inventory (CheckUpgradeAgainst); the artifact loads (file or URL), matches --sha256 and is an
/// executable of NodeArtifactFormat(pb). Returns the loaded artifact.
Result<Artifact> PrecheckUpgrade(const UpgradeRequest& req, const Playbook& pb,
                                 const Inventory& inv, const FetchOptions& fetch);

}  // namespace shardctl::upgrade
