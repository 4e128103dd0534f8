#include "ops/upgrade/version_check.h"

namespace shardctl::upgrade {
namespace {

Status Matches(const Node& node, const std::string& reported, const UpgradeRunVars& run) {
  if (VersionMatches(reported, run.version)) return Status::Ok();
  return Status::Failed(node.name + ": reports version \"" + reported + "\", expected " +
                        run.version);
}

}  // namespace

Status CheckNodeVersion(NodeOps& ops, const Playbook& pb, const Node& node,
                        const UpgradeRunVars& run, const NodeStatus* probed) {
  if (run.version.empty()) return Status::Ok();
  if (probed && probed->answered && probed->fields.version) {
    return Matches(node, *probed->fields.version, run);
  }
  ExecResult r;
  if (pb.commands.version.empty()) {  // the version is read from probe.http's answer
    r = ops.Ask(node);
  } else {
    auto command = ops.Command(node, CommandId::kVersion, &run);
    if (!command.ok()) return command.status();
    r = ops.Read(node, *command);
  }
  if (!r.ok()) return Status::Failed(node.name + ": version: " + Explain(r));
  auto reported = ExtractVersion(pb.upgrade, r.out);
  if (!reported.ok()) return reported.status().Annotate(node.name + ": ");
  return Matches(node, *reported, run);
}

}  // namespace shardctl::upgrade
