// Any bytes as an Ansible inventory, INI and YAML: a valid shardctl inventory or an error, never
// a crash, a hang or unbounded memory, and never an exception escaping (yaml-cpp throws; the
// reader must catch). What parses is also exported to both formats and the YAML read back (for
// trees of up to 20 hosts and 1,000 host vars: the export leg is there for odd values, not size).
#include "fuzz_input.h"
#include "model/ansible_inventory.h"

namespace {

void ImportAndExport(const shardctl::Result<shardctl::AnsibleTree>& tree) {
  if (!tree.ok()) return;
  auto imported = shardctl::ImportAnsible(*tree, {}, "fuzz");  // crashes only
  size_t host_vars = 0;
  for (const auto& [host, vars] : tree->host_vars) host_vars += vars.size();
  if (tree->hosts.size() > 20 || host_vars > 1000) return;
  (void)shardctl::EmitAnsibleIni(*tree);
  (void)shardctl::ParseAnsibleYaml(shardctl::EmitAnsibleYaml(*tree), "fuzz-out.yml");
  if (!imported.ok()) return;
  auto inv = shardctl::ParseInventory(imported->inventory, "fuzz.json");
  if (inv.ok()) (void)shardctl::EmitAnsibleIni(shardctl::ExportAnsible(*inv));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = shardctl::fuzz::AsText(data, size);
  ImportAndExport(shardctl::ParseAnsibleIni(text, "fuzz.ini"));
  ImportAndExport(shardctl::ParseAnsibleYaml(text, "fuzz.yml"));
  return 0;
}
