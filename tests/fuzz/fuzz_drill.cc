// Any bytes as a drill file: an error value or a drill, never a crash.
#include "fuzz_input.h"
#include "ops/drill/drill_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = shardctl::fuzz::AsJson(data, size);
  if (j.ok()) (void)shardctl::ParseDrillSpec(*j, "fuzz");  // fuzzing: only crashes matter
  return 0;
}
