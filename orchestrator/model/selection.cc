#include "model/selection.h"

#include <fnmatch.h>

#include <algorithm>

namespace shardctl {
namespace {

bool ShardSelected(const Selection& sel, int id) {
  return sel.shards.empty() ||
         std::find(sel.shards.begin(), sel.shards.end(), id) != sel.shards.end();
}

bool NameSelected(const Selection& sel, const std::string& name) {
  if (sel.globs.empty()) return true;
  for (const auto& g : sel.globs) {
    if (fnmatch(g.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

Status CheckSelectionExists(const Inventory& inv, const Selection& sel) {
  for (int id : sel.shards) {
    if (inv.FindShard(id) == nullptr) {
      std::string ids;
      for (const Shard& s : inv.shards) ids += (ids.empty() ? "" : ", ") + std::to_string(s.id);
      return Status::Invalid("--shard " + std::to_string(id) + ": no such shard in " + inv.path +
                             " (shards: " + ids + ")");
    }
  }
  for (const auto& g : sel.globs) {
    bool any = false;
    for (const Node* n : inv.AllNodes()) any = any || fnmatch(g.c_str(), n->name.c_str(), 0) == 0;
    if (!any) return Status::Invalid("--node '" + g + "': matches no node in " + inv.path);
  }
  return Status::Ok();
}

}  // namespace

std::string Selection::ToString() const {
  if (empty()) return "all nodes";
  std::string out;
  for (int s : shards)
    out += (out.empty() ? "" : " ") + std::string("--shard ") + std::to_string(s);
  for (const auto& g : globs) out += (out.empty() ? "" : " ") + std::string("--node ") + g;
  return out;
}

Result<std::vector<const Node*>> SelectNodes(const Inventory& inv, const Selection& sel) {
  SHARDCTL_RETURN_IF_ERROR(CheckSelectionExists(inv, sel));
  std::vector<const Node*> out;
  for (const Node* n : inv.AllNodes()) {
    if (ShardSelected(sel, n->shard) && NameSelected(sel, n->name)) out.push_back(n);
  }
  if (out.empty()) return Status::Invalid("selection " + sel.ToString() + " matches no node");
  return out;
}

Result<std::vector<int>> SelectShards(const Inventory& inv, const Selection& sel) {
  auto nodes = SelectNodes(inv, sel);
  if (!nodes.ok()) return nodes.status();
  std::vector<int> out;
  for (const Shard& s : inv.shards) {
    for (const Node* n : *nodes) {
      if (n->shard == s.id) {
        out.push_back(s.id);
        break;
      }
    }
  }
  return out;
}

}  // namespace shardctl
