#include "model/ssh_resolve.h"

#include <unistd.h>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "model/ssh_config.h"

namespace shardctl {
namespace {

/// The ssh_config to use, or nullopt for none.
Result<std::optional<SshConfig>> ChooseConfig(const Inventory& inv, const std::string& flag) {
  std::string path = flag;
  if (path.empty() && !inv.shards.empty() && !inv.shards[0].nodes.empty()) {
    path = inv.shards[0].nodes[0].ssh.config;
  }
  bool explicit_path = !path.empty();
  if (!explicit_path) path = ExpandHome("~/.ssh/config");
  if (path == "none") return std::optional<SshConfig>();
  path = ExpandHome(path);
  if (!explicit_path && access(path.c_str(), F_OK) != 0) return std::optional<SshConfig>();
  auto cfg = SshConfig::Load(path);
  if (!cfg.ok()) return cfg.status();
  return std::optional<SshConfig>(std::move(*cfg));
}

/// Applies a config entry to t: the host, then what the inventory left unset; the paths'
/// tokens stand for the connection as it will be made (original: the host as written).
void ApplyEntry(const SshConfigEntry& e, SshTarget* t, const std::string& original) {
  if (e.hostname) t->host = *e.hostname;
  unsigned set = t->explicit_fields;
  if (!(set & kSshUser) && e.user) t->user = *e.user;
  if (!(set & kSshPort) && e.port) t->port = *e.port;
  SshTokens tokens{t->host, original, t->port, t->user};
  if (!(set & kSshIdentity) && e.identity_file) {
    t->identity_file = ExpandSshPath(*e.identity_file, tokens);
  }
  if (!(set & kSshKnownHosts) && e.known_hosts) {
    t->known_hosts = ExpandSshPath(*e.known_hosts, tokens);
  }
  if (e.connect_timeout_s) t->connect_timeout_ms = *e.connect_timeout_s * 1000;
  if (e.server_alive_interval_s) t->keepalive_ms = *e.server_alive_interval_s * 1000;
}

Result<std::shared_ptr<const SshTarget>> ResolveJump(const std::string& spec, const SshTarget& node,
                                                     const SshConfig* cfg,
                                                     const std::string& where) {
  auto j = ParseJumpSpec(spec, where);
  if (!j.ok()) return j.status();
  auto b = std::make_shared<SshTarget>();
  b->host = j->host;
  b->port = j->port != 0 ? j->port : 22;
  // What the jump spec does not say falls back to the bastion's config block, then the node's.
  b->user = j->user.empty() ? node.user : j->user;
  b->identity_file = node.identity_file;
  b->known_hosts = node.known_hosts;
  if (!j->user.empty()) b->explicit_fields |= kSshUser;
  if (j->port != 0) b->explicit_fields |= kSshPort;
  if (cfg != nullptr) ApplyEntry(cfg->Lookup(j->host), b.get(), j->host);
  if (b->connect_timeout_ms == 0) b->connect_timeout_ms = node.connect_timeout_ms;
  if (b->keepalive_ms == 0) b->keepalive_ms = node.keepalive_ms;
  return std::shared_ptr<const SshTarget>(std::move(b));
}

Status ResolveNode(Node* n, const SshConfig* cfg, const std::string& inv_path) {
  std::optional<SshConfigEntry> e;
  if (cfg != nullptr) e = cfg->Lookup(n->ssh.host);
  const std::string original = n->ssh.host;  // %n: the host as the inventory writes it
  if (e) ApplyEntry(*e, &n->ssh, original);
  bool own_jump = (n->ssh.explicit_fields & kSshJump) != 0;
  std::string where = inv_path + ": node \"" + n->name + "\"";
  if (!own_jump && e && e->proxy_command) {
    return Status::Invalid(
        where + ": " + *e->proxy_command +
        ": ProxyCommand is never run by shardctl, and without it the node would be dialled "
        "directly; name the bastion with ProxyJump (or \"jump\" in the inventory), or write "
        "ProxyCommand none for hosts reached directly");
  }
  std::string spec = own_jump ? n->ssh.jump : e ? e->proxy_jump.value_or("") : "";
  n->ssh.via.reset();
  if (!spec.empty() && spec != "none") {
    auto via = ResolveJump(spec, n->ssh, cfg, where + " jump host");
    if (!via.ok()) return via.status();
    n->ssh.via = *via;
    n->ssh.jump = spec;
  }
  n->vars["node.host"] = n->ssh.host;
  n->vars["node.port"] = std::to_string(n->ssh.port);
  n->vars["node.user"] = n->ssh.user;
  return Status::Ok();
}

}  // namespace

Status ResolveSsh(Inventory* inv, const std::string& config_override,
                  std::vector<std::string>* warnings) {
  auto cfg = ChooseConfig(*inv, config_override);
  if (!cfg.ok()) return cfg.status();
  const SshConfig* c = cfg->has_value() ? &**cfg : nullptr;
  if (c != nullptr && warnings != nullptr) {
    warnings->insert(warnings->end(), c->warnings().begin(), c->warnings().end());
  }
  for (Shard& s : inv->shards) {
    for (Node& n : s.nodes) SHARDCTL_RETURN_IF_ERROR(ResolveNode(&n, c, inv->path));
  }
  return Status::Ok();
}

}  // namespace shardctl
