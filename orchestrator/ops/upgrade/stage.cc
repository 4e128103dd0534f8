#include "ops/upgrade/stage.h"

#include <algorithm>
#include <map>

#include "run/node_ops.h"
#include "transport/fanout.h"

namespace shardctl::upgrade {

Duration StageTimeout(const Playbook& pb, size_t bytes, size_t at_once) {
  size_t mib = (bytes >> 20) * std::max<size_t>(at_once, 1);
  return pb.timeouts.command + Duration(static_cast<int64_t>(mib) * 1000);
}

std::vector<StageOutcome> StageOnNodes(Transport& transport, const Playbook& pb,
                                       const std::vector<const Node*>& nodes,
                                       const Artifact& artifact, const UpgradeRunVars& run,
                                       int parallelism, const CancelToken* cancel,
                                       const BeforeStageFn& before) {
  std::vector<StageOutcome> out(nodes.size());
  // Render and announce first: a node that fails either is never sent anything.
  std::vector<const Node*> send;
  std::vector<size_t> send_index;
  std::map<const Node*, std::string> commands;
  for (size_t i = 0; i < nodes.size(); ++i) {
    out[i].node = nodes[i];
    auto cmd = RenderUpgradeCommand(pb, CommandId::kStage, *nodes[i], run);
    Status s = cmd.ok() ? Status::Ok() : cmd.status();
    if (s.ok() && before) s = before(*nodes[i], *cmd);
    if (!s.ok()) {
      out[i].status = s;
      continue;
    }
    commands[nodes[i]] = *cmd;
    send.push_back(nodes[i]);
    send_index.push_back(i);
  }
  ExecOptions options;
  size_t at_once = parallelism >= 1 ? std::min(send.size(), size_t(parallelism)) : send.size();
  options.timeout = StageTimeout(pb, artifact.bytes.size(), at_once);
  options.cancel = cancel;
  options.stdin_data = &artifact.bytes;
  std::vector<ExecResult> results = RunOnNodes(
      transport, send, [&](const Node& n) { return commands.at(&n); }, options, parallelism);
  for (size_t k = 0; k < send.size(); ++k) {
    if (results[k].ok()) continue;
    out[send_index[k]].status =
        Status::Failed(send[k]->name + ": stage failed (" + Explain(results[k]) + ")");
  }
  return out;
}

}  // namespace shardctl::upgrade
