// Any bytes as an inventory file: an error value or an inventory, never a crash.
#include "fuzz_input.h"
#include "model/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = shardctl::fuzz::AsJson(data, size);
  if (!j.ok()) return 0;
  auto inv = shardctl::ParseInventory(*j, "fuzz");
  if (inv.ok() && inv->AllNodes().empty()) shardctl::fuzz::Broken();  // a valid inventory has nodes
  return 0;
}
