#include "ops/upgrade/version_check.h"

namespace shardctl::upgrade {
namespace {

Status Matches(const Node& node, const std::string& reported, const UpgradeRunVars& run) {
  if (VersionMatches(reported, run.version)) return Status::Ok();
  return Status::Failed(node.name + ": reports version \"" + reported + "\", expected " +
                        run.version);
}

}  // namespace

Status CheckNodeVersion(Transport& transport, const Playbook& pb, const Node& node,
                        const UpgradeRunVars& run, const CancelToken* cancel,
                        const NodeStatus* probed) {
  if (run.version.empty()) return Status::Ok();
  if (probed && probed->answered && probed->fields.version) {
    return Matches(node, *probed->fields.version, run);
  }
  ExecOptions o;
  o.timeout = pb.timeouts.probe;
  o.cancel = cancel;
  ExecResult r;
  if (pb.commands.version.empty()) {  // the version is read from probe.http's answer
    auto request = RenderHttpProbe(pb.probe.http, node);
    if (!request.ok()) return request.status();
    r = transport.Fetch(node, *request, o);
  } else {
    auto cmd = RenderUpgradeCommand(pb, CommandId::kVersion, node, run);
    if (!cmd.ok()) return cmd.status();
    r = transport.Exec(node, *cmd, o);
  }
  if (!r.ok()) {
    return Status::Failed(node.name + ": version: " + r.Reason() +
                          (r.err.empty() ? "" : ": " + r.err.substr(0, r.err.find('\n'))));
  }
  auto reported = ExtractVersion(pb.upgrade, r.out);
  if (!reported.ok()) return reported.status().Annotate(node.name + ": ");
  return Matches(node, *reported, run);
}

}  // namespace shardctl::upgrade
