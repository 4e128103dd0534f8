#include "ops/upgrade/precheck.h"

namespace shardctl::upgrade {

Result<ArtifactFormat> NodeArtifactFormat(const Playbook& pb) {
  if (pb.upgrade.format.empty()) return HostArtifactFormat();
  auto f = ParseArtifactFormat(pb.upgrade.format);
  if (!f.ok()) return f.status().Annotate(pb.path + ":/upgrade/format: ");
  return f;
}

Result<Artifact> PrecheckUpgrade(const UpgradeRequest& req, const Playbook& pb,
                                 const Inventory& inv, const FetchOptions& fetch) {
  if (req.artifact.empty()) {
    return Status::Invalid("--artifact is required (a file or an http(s) URL of the release)");
  }
  if (req.sha256.empty()) {
    return Status::Invalid(
        "--sha256 is required: the SHA-256 of the release, from its publisher (there is no "
        "trust on first download)");
  }
  SHARDCTL_RETURN_IF_ERROR(CheckSha256Syntax(req.sha256));
  SHARDCTL_RETURN_IF_ERROR(CheckUpgradeAgainst(pb, inv));
  auto format = NodeArtifactFormat(pb);
  if (!format.ok()) return format.status();
  return LoadArtifact(req.artifact, req.sha256, *format, fetch);
}

}  // namespace shardctl::upgrade
