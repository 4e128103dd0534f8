#include "model/ansible_tree.h"

#include <algorithm>
#include <functional>
#include <set>

namespace shardctl {

void AnsibleTree::AddHost(const std::string& group, const std::string& host) {
  if (host_vars.emplace(host, AnsibleVars{}).second) hosts.push_back(host);
  auto& members = groups[group].hosts;
  if (std::find(members.begin(), members.end(), host) == members.end()) members.push_back(host);
}

std::vector<std::string> AnsibleTree::GroupsOf(const std::string& host) const {
  std::set<std::string> out;
  std::function<bool(const std::string&, int)> visit = [&](const std::string& g, int depth) {
    auto it = groups.find(g);
    if (it == groups.end() || depth > 64) return false;
    bool in =
        std::find(it->second.hosts.begin(), it->second.hosts.end(), host) != it->second.hosts.end();
    for (const std::string& c : it->second.children) in = visit(c, depth + 1) || in;
    if (in) out.insert(g);
    return in;
  };
  for (const auto& [name, g] : groups) visit(name, 0);
  out.insert("all");
  return {out.begin(), out.end()};
}

AnsibleVars AnsibleTree::EffectiveVars(const std::string& host) const {
  // Depth of each group below "all" (the longest path, as deeper groups win).
  std::map<std::string, int> depth;
  std::function<void(const std::string&, int)> walk = [&](const std::string& g, int d) {
    if (d > 64 || (depth.count(g) && depth[g] >= d)) return;
    depth[g] = d;
    auto it = groups.find(g);
    if (it == groups.end()) return;
    for (const std::string& c : it->second.children) walk(c, d + 1);
  };
  walk("all", 0);
  std::vector<std::pair<int, std::string>> order;
  for (const std::string& g : GroupsOf(host)) order.push_back({depth.count(g) ? depth[g] : 1, g});
  std::sort(order.begin(), order.end());
  AnsibleVars vars;
  for (const auto& [d, g] : order) {
    auto it = groups.find(g);
    if (it == groups.end()) continue;
    for (const auto& [k, v] : it->second.vars) vars[k] = v;
  }
  auto hv = host_vars.find(host);
  if (hv != host_vars.end()) {
    for (const auto& [k, v] : hv->second) vars[k] = v;
  }
  return vars;
}

}  // namespace shardctl
