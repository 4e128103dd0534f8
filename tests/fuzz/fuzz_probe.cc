// Any bytes as a node's probe output, read through the sandbox playbook's map (every field,
// one of them a boolean, and the version an upgrade reads from it): fields or an error, never a
// crash.
#include "consensus/node_status.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const shardctl::ProbeMap map = [] {
    shardctl::ProbeMap m;
    m.height = "/result/current-block-number";
    m.view_id = "/result/consensus/viewId";
    m.view_change_id = "/result/consensus/viewChangeId";
    m.mode = "/result/consensus/mode";
    m.leader = "/result/is-leader";
    m.version = "/result/version";
    return m;
  }();
  auto fields = shardctl::ParseProbeOutput(shardctl::fuzz::AsText(data, size), map);
  if (fields.ok() && fields->height < 0) shardctl::fuzz::Broken();  // a height was required
  return 0;
}
