#include "run/node_action.h"

namespace shardctl {

Result<std::map<std::string, std::string>> NodeAction::Prepare(RunContext&,
                                                               const std::vector<const Node*>&) {
  return std::map<std::string, std::string>{};
}

Status NodeAction::Check(NodeOps&, const Node&, const NodeStatus*) { return Status::Ok(); }

Result<std::vector<const Node*>> NodeAction::Canaries(const Shard&, const WaveInput&) {
  return std::vector<const Node*>{};
}

Status NodeAction::Soak(const Shard&, const std::vector<const Node*>&, const SampleFn&) {
  return Status::Ok();
}

Status NodeAction::Undo(NodeOps&, const Node& node) {
  return Status::Failed(node.name + ": this action cannot be undone");
}

}  // namespace shardctl
