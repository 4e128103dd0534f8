#include "model/key_files.h"

#include "base/read_file.h"

namespace shardctl {
namespace {

Status CheckKeyFile(const std::string& path, const std::string& what) {
  if (path.empty()) return Status::Ok();
  return CheckRegularFile(path, kMaxKeyFileBytes).Annotate(what + " ");
}

Status CheckTargetFiles(const SshTarget& t, const std::string& who) {
  SHARDCTL_RETURN_IF_ERROR(CheckKeyFile(t.identity_file, who + ": identity file"));
  return CheckKeyFile(t.known_hosts, who + ": known_hosts");
}

}  // namespace

Status CheckKeyFiles(const Inventory& inv) {
  for (const Node* n : inv.AllNodes()) {
    std::string who = inv.path + ": node \"" + n->name + "\"";
    SHARDCTL_RETURN_IF_ERROR(CheckTargetFiles(n->ssh, who));
    if (n->ssh.via) SHARDCTL_RETURN_IF_ERROR(CheckTargetFiles(*n->ssh.via, who + " jump host"));
  }
  if (!inv.etcd_lock) return Status::Ok();
  const EtcdLockConfig& e = *inv.etcd_lock;
  for (const auto& [path, what] :
       {std::pair{e.ca_file, "ca"}, {e.cert_file, "cert"}, {e.key_file, "key"}}) {
    SHARDCTL_RETURN_IF_ERROR(CheckKeyFile(path, inv.path + ": lock.etcd." + what));
  }
  return Status::Ok();
}

}  // namespace shardctl
