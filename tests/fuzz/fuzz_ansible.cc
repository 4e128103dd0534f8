// Any bytes as an Ansible inventory, INI and YAML: a valid shardctl inventory or an error, never
// a crash, a hang or unbounded memory, and never an exception escaping (yaml-cpp throws; the
// reader must catch). What parses is also exported to both formats and the YAML read back.
#include "fuzz_input.h"
#include "model/ansible_inventory.h"

namespace {

void ImportAndExport(const shardctl::Result<shardctl::AnsibleTree>& tree) {
  if (!tree.ok()) return;
  auto imported = shardctl::ImportAnsible(*tree, {}, "fuzz");  // crashes only
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
