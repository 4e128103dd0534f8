#include "cli/load.h"

#include <filesystem>

#include "cli/output.h"
#include "model/key_files.h"
#include "model/ssh_resolve.h"

namespace shardctl::cli {

std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

Result<Inventory> LoadInventoryOrReport(const CommonOptions& o) {
  auto inv = LoadInventory(o.inventory);
  if (!inv.ok()) {
    PrintError(inv.status());
    return inv.status();
  }
  std::vector<std::string> warnings;
  if (Status st = ResolveSsh(&*inv, o.ssh_config, &warnings); !st.ok()) {
    PrintError(st);
    return st;
  }
  for (const std::string& w : warnings) PrintError("warning: " + w);
  if (!o.known_hosts.empty()) {
    for (Shard& s : inv->shards) {
      for (Node& n : s.nodes) n.ssh.known_hosts = ExpandHome(o.known_hosts);
    }
  }
  if (Status st = CheckKeyFiles(*inv); !st.ok()) {
    PrintError(st);
    return st;
  }
  return inv;
}

Result<Playbook> LoadPlaybookOrReport(const CommonOptions& o, const Inventory& inv) {
  auto pb = LoadPlaybookFor(o.playbook, inv);
  if (!pb.ok()) PrintError(pb.status());
  return pb;
}

}  // namespace shardctl::cli
