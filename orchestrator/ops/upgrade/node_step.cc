#include "ops/upgrade/node_step.h"

namespace shardctl::upgrade {

Status RunNodeStep(Transport& transport, const Playbook& pb, const Node& node, CommandId id,
                   const UpgradeRunVars& run, const CancelToken* cancel,
                   const BeforeStageFn& before) {
  auto cmd = RenderUpgradeCommand(pb, id, node, run);
  if (!cmd.ok()) return cmd.status();
  if (before) SHARDCTL_RETURN_IF_ERROR(before(node, *cmd));
  ExecOptions o;
  o.timeout = pb.timeouts.command;
  o.cancel = cancel;
  ExecResult r = transport.Exec(node, *cmd, o);
  if (r.ok()) return Status::Ok();
  std::string first = r.err.substr(0, r.err.find('\n'));
  return Status::Failed(node.name + ": " + CommandKey(id) + " failed (" + r.Reason() +
                        (first.empty() ? "" : ": " + first) + ")");
}

}  // namespace shardctl::upgrade
