// Any bytes as an ssh_config (a file shardctl reads from the operator's home): settings or an
// error naming the line, never a crash. Include lines may name files; the fuzzer runs in its own
// working directory and Include only reads regular files of limited size.
#include "fuzz_input.h"
#include "model/ssh_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto cfg = shardctl::SshConfig::Parse(shardctl::fuzz::AsText(data, size), "fuzz/config");
  if (cfg.ok()) (void)cfg->Lookup("s0-n0.example");  // fuzzing: only crashes matter
  return 0;
}
