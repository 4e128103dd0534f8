#include "model/ansible_tree.h"

#include <algorithm>
#include <cstdio>
#include <deque>

#include "base/text.h"

namespace shardctl {
namespace {

bool AddOnce(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) != list->end()) return false;
  list->push_back(item);
  return true;
}

}  // namespace

bool AnsibleTree::AddHost(const std::string& group, const std::string& host) {
  if (host_vars.emplace(host, AnsibleVars{}).second) hosts.push_back(host);
  // Membership is checked on the host's few groups, never on a group's many hosts.
  if (!AddOnce(&direct_[host], group)) return false;
  groups[group].hosts.push_back(host);
  return true;
}

bool AnsibleTree::AddChild(const std::string& parent, const std::string& child) {
  groups[child];
  if (!AddOnce(&groups[parent].children, child)) return false;
  parents_[child].push_back(parent);
  return true;
}

Status AnsibleTree::Finish(const std::string& path) {
  // Kahn's order over the children graph: each group's depth is its longest path below "all"
  // (top-level groups hang below it); groups left over sit on a cycle.
  std::map<std::string, size_t> waiting;
  std::deque<std::string> ready;
  depth_.clear();
  for (const auto& [name, g] : groups) {
    auto p = parents_.find(name);
    waiting[name] = p == parents_.end() ? 0 : p->second.size();
    if (waiting[name] == 0) {
      ready.push_back(name);
      depth_[name] = name == "all" ? 0 : 1;
    }
  }
  for (; !ready.empty(); ready.pop_front()) {
    const std::string& g = ready.front();
    for (const std::string& c : groups[g].children) {
      depth_[c] = std::max(depth_[c], depth_[g] + 1);
      if (--waiting[c] == 0) ready.push_back(c);
    }
  }
  for (const auto& [name, left] : waiting) {
    if (left > 0) return CycleError(name, waiting, path);
  }
  return Status::Ok();
}

Status AnsibleTree::CycleError(const std::string& start,
                               const std::map<std::string, size_t>& waiting,
                               const std::string& path) const {
  // Walk up through parents still waiting until a group repeats: from there on is the cycle.
  std::vector<std::string> walk{start};
  std::set<std::string> seen{start};
  while (true) {
    auto p = parents_.find(walk.back());
    if (p == parents_.end()) break;  // cannot happen: a waiting group has a waiting parent
    auto next = std::find_if(p->second.begin(), p->second.end(),
                             [&](const std::string& g) { return waiting.at(g) > 0; });
    if (next == p->second.end()) break;
    walk.push_back(*next);
    if (!seen.insert(*next).second) break;
  }
  auto first = std::find(walk.begin(), walk.end(), walk.back());
  std::vector<std::string> cycle(first, walk.end());
  std::reverse(cycle.begin(), cycle.end());
  return Status::Invalid(path + ": group cycle: " + Join(cycle, " -> ") +
                         " (a group cannot contain itself through its children)");
}

std::vector<std::string> AnsibleTree::GroupsOf(const std::string& host) const {
  std::set<std::string> out{"all"};
  std::vector<std::string> todo;
  auto d = direct_.find(host);
  if (d != direct_.end()) todo = d->second;
  while (!todo.empty()) {
    std::string g = todo.back();
    todo.pop_back();
    if (!out.insert(g).second) continue;
    auto p = parents_.find(g);
    if (p != parents_.end()) todo.insert(todo.end(), p->second.begin(), p->second.end());
  }
  return {out.begin(), out.end()};
}

AnsibleVars AnsibleTree::EffectiveVars(const std::string& host) const {
  std::vector<std::pair<int, std::string>> order;
  for (const std::string& g : GroupsOf(host)) {
    auto d = depth_.find(g);
    order.push_back({d == depth_.end() ? (g == "all" ? 0 : 1) : d->second, g});
  }
  std::sort(order.begin(), order.end());
  AnsibleVars vars;
  for (const auto& [depth, g] : order) {
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

Status CheckAnsibleUtf8(const std::string& text, const std::string& path) {
  size_t bad = InvalidUtf8At(text);
  if (bad == std::string::npos) return Status::Ok();
  size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = line_start == std::string::npos || bad == 0 ? 0 : line_start + 1;
  size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n');
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
  return Status::Invalid(path + ":" + std::to_string(line) + ":" +
                         std::to_string(bad - line_start + 1) + ": not valid UTF-8 (byte " + hex +
                         "); an inventory is UTF-8 text, re-encode it (e.g. iconv -t UTF-8)");
}

}  // namespace shardctl
