// Any bytes as an ssh_config (a file shardctl reads from the operator's home): settings or an
// error naming the line, never a crash, a hang or unbounded memory. Include lines may name
// files; the fuzzer runs in its own working directory, and Include reads only regular files,
// with the files, entries and bytes it looks at capped in all.
#include "fuzz_input.h"
#include "model/ssh_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto cfg = shardctl::SshConfig::Parse(shardctl::fuzz::AsText(data, size), "fuzz/config");
  if (!cfg.ok()) return 0;  // fuzzing: only crashes matter
  shardctl::SshConfigEntry e = cfg->Lookup("s0-n0.example");
  shardctl::SshTokens tokens{e.hostname.value_or("s0-n0.example"), "s0-n0.example",
                             e.port.value_or(22), e.user.value_or("root")};
  if (e.identity_file) (void)shardctl::ExpandSshPath(*e.identity_file, tokens);
  if (e.known_hosts) (void)shardctl::ExpandSshPath(*e.known_hosts, tokens);
  if (e.proxy_jump) (void)shardctl::ParseJumpSpec(*e.proxy_jump, "fuzz");
  return 0;
}
