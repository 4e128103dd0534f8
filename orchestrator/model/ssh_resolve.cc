#include "model/ssh_resolve.h"

#include <unistd.h>

#include <map>
#include <memory>
#include <optional>

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

void ApplyEntry(const SshConfigEntry& e, SshTarget* t) {
  if (e.hostname) t->host = *e.hostname;
  unsigned set = t->explicit_fields;
  if (!(set & kSshUser) && e.user) t->user = *e.user;
  if (!(set & kSshPort) && e.port) t->port = *e.port;
  if (!(set & kSshIdentity) && e.identity_file) t->identity_file = *e.identity_file;
  if (!(set & kSshKnownHosts) && e.known_hosts) t->known_hosts = *e.known_hosts;
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
  b->user = j->user;
  b->port = j->port != 0 ? j->port : 22;
  if (!j->user.empty()) b->explicit_fields |= kSshUser;
  if (j->port != 0) b->explicit_fields |= kSshPort;
  if (cfg != nullptr) ApplyEntry(cfg->Lookup(j->host), b.get());
  if (b->user.empty()) b->user = node.user;
  if (b->identity_file.empty()) b->identity_file = node.identity_file;
  if (b->known_hosts.empty()) b->known_hosts = node.known_hosts;
  if (b->connect_timeout_ms == 0) b->connect_timeout_ms = node.connect_timeout_ms;
  if (b->keepalive_ms == 0) b->keepalive_ms = node.keepalive_ms;
  return std::shared_ptr<const SshTarget>(std::move(b));
}

Status ResolveNode(Node* n, const SshConfig* cfg, const std::string& inv_path) {
  std::optional<std::string> proxy_jump;
  if (cfg != nullptr) {
    SshConfigEntry e = cfg->Lookup(n->ssh.host);
    proxy_jump = e.proxy_jump;
    ApplyEntry(e, &n->ssh);
  }
  std::string spec = (n->ssh.explicit_fields & kSshJump) ? n->ssh.jump : proxy_jump.value_or("");
  n->ssh.via.reset();
  if (!spec.empty() && spec != "none") {
    std::string where = inv_path + ": node \"" + n->name + "\" jump host";
    auto via = ResolveJump(spec, n->ssh, cfg, where);
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

Status ResolveSsh(Inventory* inv, const std::string& config_override) {
  auto cfg = ChooseConfig(*inv, config_override);
  if (!cfg.ok()) return cfg.status();
  const SshConfig* c = cfg->has_value() ? &**cfg : nullptr;
  for (Shard& s : inv->shards) {
    for (Node& n : s.nodes) SHARDCTL_RETURN_IF_ERROR(ResolveNode(&n, c, inv->path));
  }
  return Status::Ok();
}

}  // namespace shardctl
