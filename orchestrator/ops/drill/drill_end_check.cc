#include "ops/drill/drill_end_check.h"

#include <algorithm>

#include "base/parallel.h"
#include "run/node_ops.h"

namespace shardctl {

std::vector<const Node*> TouchedNodes(const DrillTargets& targets, const std::vector<bool>& sent) {
  std::vector<const Node*> out;
  auto add = [&out](const ResolvedStep& step) {
    for (const Node* n : step.nodes) {
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  };
  for (size_t i = 0; i < targets.faults.size() && i < sent.size(); ++i) {
    if (sent[i]) add(targets.faults[i]);
  }
  for (const ResolvedStep& r : targets.rollbacks) add(r);
  return out;
}

std::vector<std::string> NodesLeftDown(RunContext& c, const std::vector<const Node*>& nodes) {
  std::vector<std::string> answers(nodes.size());
  ParallelFor(nodes.size(), 0, [&](size_t i) {
    std::string why;
    std::optional<bool> running = NodeOps(c, nodes[i]->shard).IsRunning(*nodes[i], &why);
    if (running == true) return;
    answers[i] = nodes[i]->name + (running ? " (stopped)" : " (unknown: " + why + ")");
  });
  std::vector<std::string> out;
  for (std::string& a : answers) {
    if (!a.empty()) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace shardctl
