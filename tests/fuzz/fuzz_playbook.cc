// Any bytes as a playbook file: an error value or a playbook, never a crash.
#include "fuzz_input.h"
#include "model/playbook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = shardctl::fuzz::AsJson(data, size);
  if (j.ok()) (void)shardctl::ParsePlaybook(*j, "fuzz");  // fuzzing: only crashes matter
  return 0;
}
