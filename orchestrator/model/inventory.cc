#include "model/inventory.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "base/text.h"
#include "model/host_name.h"
#include "model/json_reader.h"
#include "model/network_name.h"
#include "model/ssh_config.h"

namespace shardctl {
namespace {

bool IsValidName(const std::string& s) {
  if (s.empty() || s[0] == '-') return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

bool IsValidVarKey(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!IsNameChar(c) || c == '-') return false;
  }
  return true;
}

/// Names shardctl sets for every node; a var of the inventory's own would be shadowed.
bool IsReservedVar(const std::string& key) {
  return key == "network" || key.rfind("node.", 0) == 0 || key.rfind("shard.", 0) == 0;
}

std::string LocalUser() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "root";
}

Status ReadVars(const JsonAt& at, Vars* vars) {
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  for (const auto& [key, unused] : at.value().items()) {
    JsonAt v = at[key];
    if (!IsValidVarKey(key)) {
      return v.Error("variable names use letters, digits, '_' and '.', found \"" + key + "\"");
    }
    if (IsReservedVar(key)) {
      return v.Error("variable \"" + key +
                     "\" is set by shardctl itself (node.*, shard.*, network: the node's own "
                     "name, host, shard, and the inventory's network); choose another name");
    }
    auto s = v.Scalar();
    if (!s.ok()) return s.status();
    (*vars)[key] = *s;
  }
  return Status::Ok();
}

// Reads the SSH fields shared by defaults.ssh, shard.ssh and a node into *t; absent keys keep
// *t. Present ones are marked explicit (they beat ssh_config).
Status ReadSshFields(const JsonAt& at, SshTarget* t) {
  if (at.Has("user")) {
    auto v = at["user"].String();
    if (!v.ok()) return v.status();
    t->user = *v;
    t->explicit_fields |= kSshUser;
  }
  if (at.Has("port")) {
    auto v = at["port"].Int(1, 65535);
    if (!v.ok()) return v.status();
    t->port = static_cast<int>(*v);
    t->explicit_fields |= kSshPort;
  }
  if (at.Has("identity_file")) {
    auto v = at["identity_file"].String();
    if (!v.ok()) return v.status();
    t->identity_file = ExpandHome(*v);
    t->explicit_fields |= kSshIdentity;
  }
  if (at.Has("known_hosts")) {
    auto v = at["known_hosts"].String();
    if (!v.ok()) return v.status();
    t->known_hosts = ExpandHome(*v);
    t->explicit_fields |= kSshKnownHosts;
  }
  if (at.Has("jump")) {
    auto v = at["jump"].String();
    if (!v.ok()) return v.status();
    auto spec = ParseJumpSpec(*v, at["jump"].Where());
    if (*v != "none" && !spec.ok()) return spec.status();
    t->jump = *v;
    t->explicit_fields |= kSshJump;
  }
  return Status::Ok();
}

struct Defaults {
  SshTarget ssh;
  Vars vars;
};

Status ReadDefaults(const JsonAt& root, Defaults* d) {
  d->ssh.user = LocalUser();
  d->ssh.known_hosts = ExpandHome("~/.ssh/known_hosts");
  if (!root.Has("defaults")) return Status::Ok();
  JsonAt at = root["defaults"];
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"ssh", "vars"}));
  if (at.Has("ssh")) {
    SHARDCTL_RETURN_IF_ERROR(
        at["ssh"].OnlyKeys({"user", "port", "identity_file", "known_hosts", "jump", "config"}));
    SHARDCTL_RETURN_IF_ERROR(ReadSshFields(at["ssh"], &d->ssh));
    if (at["ssh"].Has("config")) {
      auto v = at["ssh"]["config"].String();
      if (!v.ok()) return v.status();
      d->ssh.config = ExpandHome(*v);
    }
  }
  if (at.Has("vars")) SHARDCTL_RETURN_IF_ERROR(ReadVars(at["vars"], &d->vars));
  return Status::Ok();
}

Result<Node> ReadNode(const JsonAt& at, const Defaults& d, const SshTarget& shard_ssh,
                      const Vars& shard_vars, int shard) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"name", "host", "port", "user", "identity_file",
                                        "known_hosts", "jump", "voting_power", "vars"}));
  Node n;
  n.shard = shard;
  n.ssh = shard_ssh;
  if (!at.Has("name")) return at.Error("missing \"name\" (a unique node name)");
  auto name = at["name"].String();
  if (!name.ok()) return name.status();
  if (!IsValidName(*name)) {
    return at["name"].Expected("a name of letters, digits, '-', '_' and '.'");
  }
  n.name = *name;
  if (!at.Has("host")) return at.Error("missing \"host\" for node \"" + n.name + "\"");
  auto host = at["host"].String();
  if (!host.ok()) return host.status();
  if (!IsHostOrAddress(*host)) return at["host"].Expected(HostRule());
  n.ssh.host = *host;
  SHARDCTL_RETURN_IF_ERROR(ReadSshFields(at, &n.ssh));
  if (at.Has("voting_power")) {
    auto vp = at["voting_power"].Int(1, 1'000'000'000);
    if (!vp.ok()) return at["voting_power"].Expected("a positive integer voting power");
    n.voting_power = static_cast<int>(*vp);
  }
  n.vars = d.vars;
  for (const auto& [k, v] : shard_vars) n.vars[k] = v;
  if (at.Has("vars")) SHARDCTL_RETURN_IF_ERROR(ReadVars(at["vars"], &n.vars));
  n.vars["node.name"] = n.name;
  n.vars["node.host"] = n.ssh.host;
  n.vars["node.port"] = std::to_string(n.ssh.port);
  n.vars["node.user"] = n.ssh.user;
  n.vars["node.voting_power"] = std::to_string(n.voting_power);
  n.vars["shard.id"] = std::to_string(shard);
  return n;
}

Result<Shard> ReadShard(const JsonAt& at, const Defaults& d, std::set<std::string>* names) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"id", "ssh", "nodes", "vars"}));
  if (!at.Has("id")) return at.Error("missing \"id\" (the shard number)");
  auto id = at["id"].Int(0, 1'000'000);
  if (!id.ok()) return id.status();
  Shard s;
  s.id = static_cast<int>(*id);
  Vars shard_vars;
  if (at.Has("vars")) SHARDCTL_RETURN_IF_ERROR(ReadVars(at["vars"], &shard_vars));
  SshTarget shard_ssh = d.ssh;
  if (at.Has("ssh")) {
    SHARDCTL_RETURN_IF_ERROR(
        at["ssh"].OnlyKeys({"user", "port", "identity_file", "known_hosts", "jump"}));
    SHARDCTL_RETURN_IF_ERROR(ReadSshFields(at["ssh"], &shard_ssh));
  }
  if (!at.Has("nodes")) return at.Error("missing \"nodes\" for shard " + std::to_string(s.id));
  JsonAt nodes = at["nodes"];
  SHARDCTL_RETURN_IF_ERROR(nodes.RequireArray());
  if (nodes.value().empty()) {
    return nodes.Expected("at least one node in shard " + std::to_string(s.id));
  }
  for (size_t i = 0; i < nodes.value().size(); ++i) {
    auto n = ReadNode(nodes[i], d, shard_ssh, shard_vars, s.id);
    if (!n.ok()) return n.status();
    if (!names->insert(n->name).second) {
      return nodes[i]["name"].Error("duplicate node name \"" + n->name +
                                    "\" (names must be unique across the inventory)");
    }
    s.nodes.push_back(std::move(*n));
  }
  return s;
}

Status ReadEtcdFiles(const JsonAt& at, EtcdLockConfig* c) {
  for (auto [key, field] : {std::pair<const char*, std::string*>{"ca", &c->ca_file},
                            {"cert", &c->cert_file},
                            {"key", &c->key_file}}) {
    if (!at.Has(key)) continue;
    auto v = at[key].String();
    if (!v.ok()) return v.status();
    *field = ExpandHome(*v);
  }
  if (c->cert_file.empty() != c->key_file.empty()) {
    return at.Error("\"cert\" and \"key\" go together (a client certificate and its key)");
  }
  return Status::Ok();
}

Result<EtcdLockConfig> ReadEtcdLock(const JsonAt& at) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"endpoints", "prefix", "ttl_s", "ca", "cert", "key"}));
  EtcdLockConfig c;
  if (!at.Has("endpoints")) return at.Error("missing \"endpoints\" (etcd client URLs)");
  JsonAt eps = at["endpoints"];
  SHARDCTL_RETURN_IF_ERROR(eps.RequireArray());
  if (eps.value().empty()) return eps.Expected("at least one endpoint URL");
  for (size_t i = 0; i < eps.value().size(); ++i) {
    auto url = eps[i].String();
    if (!url.ok()) return url.status();
    if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
      return eps[i].Expected("an URL starting with http:// or https://");
    }
    c.endpoints.push_back(*url);
  }
  if (at.Has("prefix")) {
    auto v = at["prefix"].String();
    if (!v.ok()) return v.status();
    c.prefix = *v;
  }
  if (at.Has("ttl_s")) {
    auto v = at["ttl_s"].Int(2, 3600);
    if (!v.ok()) return v.status();
    c.ttl_s = static_cast<int>(*v);
  }
  SHARDCTL_RETURN_IF_ERROR(ReadEtcdFiles(at, &c));
  return c;
}

Status ReadLock(const JsonAt& root, Inventory* inv) {
  if (!root.Has("lock")) return Status::Ok();
  JsonAt at = root["lock"];
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"etcd"}));
  if (!at.Has("etcd")) return Status::Ok();
  auto etcd = ReadEtcdLock(at["etcd"]);
  if (!etcd.ok()) return etcd.status();
  inv->etcd_lock = std::move(*etcd);
  return Status::Ok();
}

}  // namespace

int Shard::TotalPower() const {
  int total = 0;
  for (const Node& n : nodes) total += n.voting_power;
  return total;
}

const Shard* Inventory::FindShard(int id) const {
  for (const Shard& s : shards) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const Node* Inventory::FindNode(const std::string& name) const {
  for (const Shard& s : shards) {
    for (const Node& n : s.nodes) {
      if (n.name == name) return &n;
    }
  }
  return nullptr;
}

std::vector<const Node*> Inventory::AllNodes() const {
  std::vector<const Node*> out;
  for (const Shard& s : shards) {
    for (const Node& n : s.nodes) out.push_back(&n);
  }
  return out;
}

std::vector<std::string> NodeNames(const std::vector<const Node*>& nodes) {
  std::vector<std::string> out;
  for (const Node* n : nodes) out.push_back(n->name);
  return out;
}

Result<Inventory> ParseInventory(const nlohmann::json& j, const std::string& path) {
  JsonAt root(j, path);
  SHARDCTL_RETURN_IF_ERROR(root.OnlyKeys({"network", "drills", "defaults", "shards", "lock"}));
  Inventory inv;
  inv.path = path;
  if (root.Has("network")) {
    auto net = root["network"].String();
    if (!net.ok()) return net.status();
    SHARDCTL_RETURN_IF_ERROR(CheckNetworkName(*net).Annotate(root["network"].Where() + ": "));
    inv.network = *net;
  }
  SHARDCTL_RETURN_IF_ERROR(ReadLock(root, &inv));
  if (root.Has("drills")) {
    auto drills = root["drills"].Bool();
    if (!drills.ok()) return drills.status();
    inv.drills = *drills;
  }
  Defaults d;
  SHARDCTL_RETURN_IF_ERROR(ReadDefaults(root, &d));
  if (!root.Has("shards")) return root.Error("missing \"shards\" (an array of shards)");
  JsonAt shards = root["shards"];
  SHARDCTL_RETURN_IF_ERROR(shards.RequireArray());
  if (shards.value().empty()) return shards.Expected("at least one shard");
  std::set<std::string> names;
  std::set<int> ids;
  for (size_t i = 0; i < shards.value().size(); ++i) {
    auto s = ReadShard(shards[i], d, &names);
    if (!s.ok()) return s.status();
    if (!ids.insert(s->id).second) {
      return shards[i]["id"].Error("duplicate shard id " + std::to_string(s->id));
    }
    inv.shards.push_back(std::move(*s));
  }
  return inv;
}

Result<Inventory> LoadInventory(const std::string& path) {
  auto j = ReadJsonFile(path);
  if (!j.ok()) return j.status();
  return ParseInventory(*j, path);
}

std::string ExpandHome(const std::string& path) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/') return path;  // ~user is not expanded
  const char* home = std::getenv("HOME");
  std::string h = home ? home : "";
  if (h.empty()) {
    if (const passwd* pw = getpwuid(getuid())) h = pw->pw_dir;
  }
  return h + path.substr(1);
}

}  // namespace shardctl
