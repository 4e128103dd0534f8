#include "model/ansible_inventory.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "base/read_file.h"
#include "base/text.h"

namespace shardctl {
namespace {

using nlohmann::json;

const std::set<std::string> kSshVars = {"ansible_host",
                                        "ansible_port",
                                        "ansible_ssh_port",
                                        "ansible_user",
                                        "ansible_ssh_user",
                                        "ansible_ssh_private_key_file",
                                        "ansible_private_key_file"};

/// Moves pairs every member shares out of the members into the result.
AnsibleVars HoistCommon(const std::vector<AnsibleVars*>& members) {
  AnsibleVars common;
  if (members.empty()) return common;
  for (const auto& [k, v] : *members[0]) {
    bool shared = true;
    for (const AnsibleVars* m : members) {
      auto it = m->find(k);
      shared = shared && it != m->end() && it->second == v;
    }
    if (shared) common[k] = v;
  }
  for (AnsibleVars* m : members) {
    for (const auto& [k, v] : common) m->erase(k);
  }
  return common;
}

Result<int> IntVar(const AnsibleVars& vars, const std::string& key, const std::string& host,
                   long min, long max) {
  const std::string& v = vars.at(key);
  auto n = ParseDecimal(v, min, max);
  if (!n) {
    return Status::Invalid("host \"" + host + "\": " + key + " must be a number from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", found \"" + v +
                           "\"");
  }
  return static_cast<int>(*n);
}

Result<int> ShardOf(const AnsibleTree& tree, const std::string& host, const AnsibleVars& vars,
                    const AnsibleImportOptions& o) {
  if (!o.shard_var.empty()) {
    if (!vars.count(o.shard_var)) {
      return Status::Invalid("host \"" + host + "\" has no var \"" + o.shard_var +
                             "\" (--shard-var) naming its shard");
    }
    return IntVar(vars, o.shard_var, host, 0, 1'000'000);
  }
  std::regex re(o.shard_group);
  std::set<int> ids;
  for (const std::string& g : tree.GroupsOf(host)) {
    std::smatch m;
    // --shard-group's first group must capture the id.
    if (!std::regex_match(g, m, re) || m.size() < 2) continue;
    if (auto id = ParseDecimal(m[1].str(), 0, 9'999'999)) ids.insert(static_cast<int>(*id));
  }
  if (ids.size() == 1) return *ids.begin();
  return Status::Invalid(
      "host \"" + host + "\" is in " + (ids.empty() ? std::string("no group") : "several groups") +
      " matching the shard pattern " + o.shard_group + " (use --shard-var or --shard-group)");
}

struct NodeDraft {
  std::string name;
  int shard = 0;
  AnsibleVars ssh;   // user, port, identity_file, host (strings)
  AnsibleVars vars;  // the rest
  int power = 1;
};

Result<NodeDraft> DraftNode(const AnsibleTree& tree, const std::string& host,
                            const AnsibleImportOptions& o) {
  NodeDraft d;
  d.name = host;
  AnsibleVars vars = tree.EffectiveVars(host);
  auto shard = ShardOf(tree, host, vars, o);
  if (!shard.ok()) return shard.status();
  d.shard = *shard;
  if (vars.count(o.power_var)) {
    auto p = IntVar(vars, o.power_var, host, 1, 1'000'000'000);
    if (!p.ok()) return p.status();
    d.power = *p;
  }
  auto take = [&](const char* key, const char* alt, const char* field) {
    if (vars.count(key))
      d.ssh[field] = vars[key];
    else if (alt != nullptr && vars.count(alt))
      d.ssh[field] = vars[alt];
  };
  take("ansible_user", "ansible_ssh_user", "user");
  take("ansible_port", "ansible_ssh_port", "port");
  take("ansible_ssh_private_key_file", "ansible_private_key_file", "identity_file");
  for (const char* key : {"ansible_port", "ansible_ssh_port"}) {
    if (!vars.count(key)) continue;
    auto port = IntVar(vars, key, host, 1, 65535);
    if (!port.ok()) return port.status();
  }
  d.ssh["host"] = vars.count("ansible_host") ? vars["ansible_host"] : host;
  for (const auto& [k, v] : vars) {
    if (!kSshVars.count(k) && k != o.shard_var && k != o.power_var) d.vars[k] = v;
  }
  return d;
}

json SshJson(const AnsibleVars& ssh) {
  json j = json::object();
  for (const auto& [k, v] : ssh) {
    if (k == "port")
      j[k] = std::stoi(v);
    else
      j[k] = v;
  }
  return j;
}

json BuildJson(std::vector<NodeDraft>& drafts) {
  std::vector<AnsibleVars*> all_ssh, all_vars;
  std::map<int, std::vector<AnsibleVars*>> shard_vars;
  for (NodeDraft& d : drafts) {
    all_vars.push_back(&d.vars);
    shard_vars[d.shard].push_back(&d.vars);
    d.ssh.erase("host");  // never a default: every node names its own host
  }
  for (NodeDraft& d : drafts) all_ssh.push_back(&d.ssh);
  AnsibleVars common_ssh = HoistCommon(all_ssh);
  AnsibleVars common_vars = HoistCommon(all_vars);
  json inv = json::object();
  if (!common_ssh.empty() || !common_vars.empty()) inv["defaults"] = json::object();
  if (!common_ssh.empty()) inv["defaults"]["ssh"] = SshJson(common_ssh);
  if (!common_vars.empty()) inv["defaults"]["vars"] = common_vars;
  inv["shards"] = json::array();
  for (auto& [id, members] : shard_vars) {
    json shard = {{"id", id}, {"nodes", json::array()}};
    AnsibleVars common = HoistCommon(members);
    if (!common.empty()) shard["vars"] = common;
    inv["shards"].push_back(shard);
  }
  return inv;
}

}  // namespace

Result<AnsibleTree> ReadAnsibleFile(const std::string& path) {
  auto read = ReadRegularFile(path);
  if (!read.ok()) return read.status();
  const std::string& text = *read;
  auto ends = [&](const std::string& suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  std::string first;
  std::istringstream lines(text);
  while (std::getline(lines, first) &&
         (first.find_first_not_of(" \t\r") == std::string::npos || first[0] == '#')) {
  }
  bool yaml = ends(".yml") || ends(".yaml") || first.rfind("---", 0) == 0 ||
              (!first.empty() && first[0] != '[' && first.back() == ':');
  return yaml ? ParseAnsibleYaml(text, path) : ParseAnsibleIni(text, path);
}

Result<AnsibleImport> ImportAnsible(const AnsibleTree& tree, const AnsibleImportOptions& options,
                                    const std::string& name) {
  try {
    std::regex check(options.shard_group);
  } catch (const std::regex_error&) {
    return Status::Invalid("--shard-group: not a valid regex: " + options.shard_group);
  }
  if (tree.hosts.empty()) return Status::Invalid(name + ": no hosts");
  std::vector<NodeDraft> drafts;
  for (const std::string& host : tree.hosts) {
    auto d = DraftNode(tree, host, options);
    if (!d.ok()) return d.status().Annotate(name + ": ");
    drafts.push_back(std::move(*d));
  }
  std::vector<AnsibleVars> hosts;
  for (const NodeDraft& d : drafts) hosts.push_back(d.ssh);
  json inv = BuildJson(drafts);
  for (size_t i = 0; i < drafts.size(); ++i) {
    const NodeDraft& d = drafts[i];
    json node = SshJson(d.ssh);
    node["name"] = d.name;
    node["host"] = hosts[i].at("host");
    if (d.power != 1) node["voting_power"] = d.power;
    if (!d.vars.empty()) node["vars"] = d.vars;
    for (json& s : inv["shards"]) {
      if (s["id"] == d.shard) s["nodes"].push_back(node);
    }
  }
  auto parsed = ParseInventory(inv, name);
  if (!parsed.ok()) return parsed.status();
  return AnsibleImport{inv, tree.warnings};
}

AnsibleTree ExportAnsible(const Inventory& inv, const std::string& power_var) {
  AnsibleTree t;
  t.groups["all"];
  std::vector<AnsibleVars*> all;
  std::map<std::string, std::vector<AnsibleVars*>> per_group;
  for (const Shard& s : inv.shards) {
    std::string group = "shard" + std::to_string(s.id);
    for (const Node& n : s.nodes) {
      t.AddHost(group, n.name);
      AnsibleVars& v = t.host_vars[n.name];
      for (const auto& [k, val] : n.vars) {
        if (k.rfind("node.", 0) != 0 && k != "shard.id") v[k] = val;
      }
      if (n.ssh.host != n.name) v["ansible_host"] = n.ssh.host;
      if (n.ssh.explicit_fields & kSshPort) v["ansible_port"] = std::to_string(n.ssh.port);
      if (n.ssh.explicit_fields & kSshUser) v["ansible_user"] = n.ssh.user;
      if (n.ssh.explicit_fields & kSshIdentity) {
        v["ansible_ssh_private_key_file"] = n.ssh.identity_file;
      }
      if (n.voting_power != 1) v[power_var] = std::to_string(n.voting_power);
      all.push_back(&v);
      per_group[group].push_back(&v);
    }
  }
  t.groups["all"].vars = HoistCommon(all);
  for (auto& [group, members] : per_group) t.groups[group].vars = HoistCommon(members);
  return t;
}

}  // namespace shardctl
