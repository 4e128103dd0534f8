#include "ops/upgrade/version_check.h"

namespace shardctl::upgrade {

Status CheckNodeVersion(Transport& transport, const Playbook& pb, const Node& node,
                        const UpgradeRunVars& run, const CancelToken* cancel) {
  if (run.version.empty()) return Status::Ok();
  auto cmd = RenderUpgradeCommand(pb, CommandId::kVersion, node, run);
  if (!cmd.ok()) return cmd.status();
  ExecOptions o;
  o.timeout = pb.timeouts.probe;
  o.cancel = cancel;
  ExecResult r = transport.Exec(node, *cmd, o);
  if (!r.ok()) {
    return Status::Failed(node.name + ": version: " + r.Reason() +
                          (r.err.empty() ? "" : ": " + r.err.substr(0, r.err.find('\n'))));
  }
  auto reported = ExtractVersion(pb.upgrade, r.out);
  if (!reported.ok()) return reported.status().Annotate(node.name + ": ");
  if (!VersionMatches(*reported, run.version)) {
    return Status::Failed(node.name + ": reports version \"" + *reported + "\", expected " +
                          run.version);
  }
  return Status::Ok();
}

}  // namespace shardctl::upgrade
