// Any bytes as an Ansible inventory, INI and YAML: a valid shardctl inventory or an error, never
// a crash and never an exception escaping (yaml-cpp throws; the reader must catch).
#include "fuzz_input.h"
#include "model/ansible_inventory.h"

namespace {

void Import(const shardctl::Result<shardctl::AnsibleTree>& tree) {
  if (tree.ok()) (void)shardctl::ImportAnsible(*tree, {}, "fuzz");  // crashes only
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = shardctl::fuzz::AsText(data, size);
  Import(shardctl::ParseAnsibleIni(text, "fuzz.ini"));
  Import(shardctl::ParseAnsibleYaml(text, "fuzz.yml"));
  return 0;
}
