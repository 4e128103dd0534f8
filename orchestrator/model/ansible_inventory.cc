#include "model/ansible_inventory.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "base/read_file.h"
#include "base/text.h"
#include "model/ansible_ssh_args.h"
#include "model/host_name.h"

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

/// Secrets shardctl never stores (it logs in with keys): dropped with a warning.
bool IsSecret(const std::string& key) {
  static const std::set<std::string> kSecrets = {
      "ansible_password",      "ansible_ssh_pass",
      "ansible_ssh_password",  "ansible_become_password",
      "ansible_become_pass",   "ansible_sudo_pass",
      "ansible_sudo_password", "ansible_ssh_private_key_passphrase"};
  return kSecrets.count(key) > 0;
}

bool IsSshArgs(const std::string& key) {
  const auto& args = AnsibleSshArgVars();
  return std::find(args.begin(), args.end(), key) != args.end();
}

/// Var name -> hosts whose value of it was not carried over, for one warning per var.
using SkippedVars = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> SkippedWarnings(const SkippedVars& skipped) {
  std::vector<std::string> out;
  for (const auto& [key, hosts] : skipped) {
    std::string list =
        hosts.size() <= 5
            ? Join(hosts)
            : Join(std::vector<std::string>(hosts.begin(), hosts.begin() + 5)) + ", ...";
    out.push_back("var \"" + key + "\" not carried over for " + std::to_string(hosts.size()) +
                  " host(s) (" + list + "): " +
                  (IsSecret(key) ? "a secret; shardctl logs in with keys and never stores one"
                                 : "shardctl runs no ssh command line; only a ProxyJump in it is "
                                   "kept, as the node's jump host"));
  }
  return out;
}

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

/// The SSH fields of one host: user, port, key, the address dialled (a host or IP, checked),
/// and a jump host from a ProxyJump in its ssh argument vars.
Status TakeSsh(const std::string& host, const AnsibleVars& vars, AnsibleVars* ssh,
               SkippedVars* skipped) {
  auto take = [&](const char* key, const char* alt, const char* field) {
    if (vars.count(key))
      (*ssh)[field] = vars.at(key);
    else if (alt != nullptr && vars.count(alt))
      (*ssh)[field] = vars.at(alt);
  };
  take("ansible_user", "ansible_ssh_user", "user");
  take("ansible_port", "ansible_ssh_port", "port");
  take("ansible_ssh_private_key_file", "ansible_private_key_file", "identity_file");
  for (const char* key : {"ansible_port", "ansible_ssh_port"}) {
    if (!vars.count(key)) continue;
    auto port = IntVar(vars, key, host, 1, 65535);
    if (!port.ok()) return port.status();
  }
  std::string target = vars.count("ansible_host") ? vars.at("ansible_host") : host;
  if (!IsHostOrAddress(target)) {
    return Status::Invalid("host \"" + host + "\": ansible_host \"" + target + "\" is not " +
                           HostRule() + "; a port goes in ansible_port");
  }
  (*ssh)["host"] = target;
  for (const std::string& key : AnsibleSshArgVars()) {
    if (!vars.count(key)) continue;
    auto route = ParseSshArgs(vars.at(key), "host \"" + host + "\": " + key);
    if (!route.ok()) return route.status();
    if (!route->jump.empty() && !ssh->count("jump")) (*ssh)["jump"] = route->jump;
    if (!route->ignored.empty()) (*skipped)[key].push_back(host);
  }
  return Status::Ok();
}

/// What --shard-group says of one group name: not a shard group (nullopt), a shard id, or why
/// the number it captured is not one. Matched once per group, not once per host.
using ShardGroupMatch = std::optional<Result<int>>;

ShardGroupMatch MatchShardGroup(const std::string& g, const AnsibleImportOptions& o,
                                const std::regex& re) {
  std::smatch m;
  // --shard-group's first group must capture the id.
  if (!std::regex_match(g, m, re) || m.size() < 2) return std::nullopt;
  auto id = ParseDecimal(m[1].str(), 0, 1'000'000);
  if (id) return Result<int>(static_cast<int>(*id));
  return Result<int>(Status::Invalid("group \"" + g + "\" matches the shard pattern " +
                                     o.shard_group + " but \"" + m[1].str() +
                                     "\" is not a shard number (0 to 1000000)"));
}

/// The shard matches of group names, computed as they are first needed.
class ShardGroups {
 public:
  ShardGroups(const AnsibleImportOptions& o, const std::regex& re) : o_(o), re_(re) {}
  const ShardGroupMatch& Of(const std::string& group) {
    auto it = cache_.find(group);
    if (it == cache_.end()) it = cache_.emplace(group, MatchShardGroup(group, o_, re_)).first;
    return it->second;
  }

 private:
  const AnsibleImportOptions& o_;
  const std::regex& re_;
  std::map<std::string, ShardGroupMatch> cache_;
};

Result<int> ShardOf(const AnsibleTree& tree, const std::string& host, const AnsibleVars& vars,
                    const AnsibleImportOptions& o, ShardGroups& groups) {
  if (!o.shard_var.empty()) {
    if (!vars.count(o.shard_var)) {
      return Status::Invalid("host \"" + host + "\" has no var \"" + o.shard_var +
                             "\" (--shard-var) naming its shard");
    }
    return IntVar(vars, o.shard_var, host, 0, 1'000'000);
  }
  std::set<int> ids;
  for (const std::string& g : tree.GroupsOf(host)) {
    const ShardGroupMatch& m = groups.Of(g);
    if (!m) continue;
    if (!m->ok()) return m->status().Annotate("host \"" + host + "\": ");
    ids.insert(m->value());
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
                            const AnsibleImportOptions& o, ShardGroups& groups,
                            SkippedVars* skipped) {
  NodeDraft d;
  d.name = host;
  AnsibleVars vars = tree.EffectiveVars(host);
  auto shard = ShardOf(tree, host, vars, o, groups);
  if (!shard.ok()) return shard.status();
  d.shard = *shard;
  if (vars.count(o.power_var)) {
    auto p = IntVar(vars, o.power_var, host, 1, 1'000'000'000);
    if (!p.ok()) return p.status();
    d.power = *p;
  }
  SHARDCTL_RETURN_IF_ERROR(TakeSsh(host, vars, &d.ssh, skipped));
  for (const auto& [k, v] : vars) {
    if (IsSecret(k)) {
      (*skipped)[k].push_back(host);
    } else if (!kSshVars.count(k) && !IsSshArgs(k) && k != o.shard_var && k != o.power_var) {
      d.vars[k] = v;
    }
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
  std::optional<std::regex> re;
  try {
    re.emplace(options.shard_group);
  } catch (const std::regex_error&) {
    return Status::Invalid("--shard-group: not a valid regex: " + options.shard_group);
  }
  if (tree.hosts.empty()) return Status::Invalid(name + ": no hosts");
  std::vector<NodeDraft> drafts;
  SkippedVars skipped;
  ShardGroups groups(options, *re);
  for (const std::string& host : tree.hosts) {
    auto d = DraftNode(tree, host, options, groups, &skipped);
    if (!d.ok()) return d.status().Annotate(name + ": ");
    drafts.push_back(std::move(*d));
  }
  std::vector<AnsibleVars> hosts;
  for (const NodeDraft& d : drafts) hosts.push_back(d.ssh);
  json inv = BuildJson(drafts);
  std::map<int, json*> shard_json;
  for (json& s : inv["shards"]) shard_json[s["id"].get<int>()] = &s;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const NodeDraft& d = drafts[i];
    json node = SshJson(d.ssh);
    node["name"] = d.name;
    node["host"] = hosts[i].at("host");
    if (d.power != 1) node["voting_power"] = d.power;
    if (!d.vars.empty()) node["vars"] = d.vars;
    (*shard_json.at(d.shard))["nodes"].push_back(node);
  }
  auto parsed = ParseInventory(inv, name);
  if (!parsed.ok()) return parsed.status();
  std::vector<std::string> warnings = tree.warnings;
  for (std::string& w : SkippedWarnings(skipped)) warnings.push_back(name + ": " + w);
  return AnsibleImport{inv, warnings};
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
      if (n.ssh.explicit_fields & kSshJump) {
        v["ansible_ssh_common_args"] = "-o ProxyJump=" + n.ssh.jump;
      }
      all.push_back(&v);
      per_group[group].push_back(&v);
    }
  }
  t.groups["all"].vars = HoistCommon(all);
  for (auto& [group, members] : per_group) t.groups[group].vars = HoistCommon(members);
  return t;
}

}  // namespace shardctl
