// CheckDrillAgainst (declared in drill_spec.h): the drill against its playbook and inventory.
#include <fnmatch.h>

#include <algorithm>

#include "ops/drill/drill_spec.h"

namespace shardctl {
namespace {

std::string ShardIds(const Inventory& inv) {
  std::string ids;
  for (const Shard& s : inv.shards) ids += (ids.empty() ? "" : ", ") + std::to_string(s.id);
  return ids;
}

Status CheckShards(const ShardSet& set, const std::string& where, const Inventory& inv) {
  for (int id : set.ids) {
    if (inv.FindShard(id) == nullptr) {
      return Status::Invalid(where + ": shard " + std::to_string(id) + " is not in " + inv.path +
                             " (shards: " + ShardIds(inv) + ")");
    }
  }
  return Status::Ok();
}

std::string FaultNames(const Playbook& pb) {
  std::string names;
  for (const FaultDef& f : pb.faults) names += (names.empty() ? "" : ", ") + f.name;
  return names.empty() ? "none defined" : names;
}

Status CheckTargets(const TargetRule& t, const Inventory& inv) {
  SHARDCTL_RETURN_IF_ERROR(CheckShards(t.shards, t.where + "/shards", inv));
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (inv.FindNode(t.nodes[i]) == nullptr) {
      return Status::Invalid(t.where + "/nodes/" + std::to_string(i) + ": no node \"" + t.nodes[i] +
                             "\" in " + inv.path);
    }
  }
  if (t.glob.empty()) return Status::Ok();
  for (const Node* n : inv.AllNodes()) {
    if (t.shards.Contains(n->shard) && fnmatch(t.glob.c_str(), n->name.c_str(), 0) == 0) {
      return Status::Ok();
    }
  }
  return Status::Invalid(t.where + "/glob: \"" + t.glob + "\" matches no node of shards " +
                         t.shards.ToString() + " in " + inv.path);
}

Status CheckStep(const FaultStep& step, const Playbook& pb, const Inventory& inv) {
  const FaultDef* fault = FindFault(pb.faults, step.fault);
  if (fault == nullptr) {
    return Status::Invalid(step.where + "/fault: no fault \"" + step.fault + "\" in " + pb.path +
                           " (faults: " + FaultNames(pb) + ")");
  }
  for (const auto& [key, unused] : step.params) {
    if (fault->params.count(key) == 0) {
      std::string known;
      for (const auto& [k, v] : fault->params) known += (known.empty() ? "" : ", ") + k;
      return Status::Invalid(step.where + "/params/" + key + ": fault \"" + fault->name +
                             "\" has no parameter \"" + key +
                             "\" (parameters: " + (known.empty() ? "none" : known) + ")");
    }
  }
  SHARDCTL_RETURN_IF_ERROR(CheckTargets(step.targets, inv));
  for (const Node* node : inv.AllNodes()) {
    auto cmd = RenderFault(pb, *fault, false, *node, step.params);
    if (!cmd.ok()) return cmd.status().Annotate(step.where + ": ");
    if (fault->undo.empty()) continue;
    auto undo = RenderFault(pb, *fault, true, *node, step.params);
    if (!undo.ok()) return undo.status().Annotate(step.where + ": ");
  }
  return Status::Ok();
}

}  // namespace

Status CheckDrillAgainst(const DrillSpec& spec, const Playbook& pb, const Inventory& inv) {
  SHARDCTL_RETURN_IF_ERROR(CheckShards(spec.hypothesis, spec.path + ":/hypothesis/shards", inv));
  SHARDCTL_RETURN_IF_ERROR(
      CheckShards(spec.blast_shards, spec.path + ":/blast_radius/shards", inv));
  for (const FaultStep& step : spec.faults) SHARDCTL_RETURN_IF_ERROR(CheckStep(step, pb, inv));
  for (const FaultStep& step : spec.rollbacks) SHARDCTL_RETURN_IF_ERROR(CheckStep(step, pb, inv));
  return Status::Ok();
}

}  // namespace shardctl
