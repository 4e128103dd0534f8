// Any bytes as a node's probe output, read through the sandbox playbook's map (every field,
// one of them a boolean): fields or an error, never a crash.
#include "consensus/node_status.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const shardctl::ProbeMap map{"/result/current-block-number", "/result/consensus/viewId",
                                      "/result/consensus/viewChangeId", "/result/consensus/mode",
                                      "/result/is-leader"};
  auto fields = shardctl::ParseProbeOutput(shardctl::fuzz::AsText(data, size), map);
  if (fields.ok() && fields->height < 0) shardctl::fuzz::Broken();  // a height was required
  return 0;
}
