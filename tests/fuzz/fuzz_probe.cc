// Any bytes as a node's probe output, read through the sandbox playbook's map (every field,
// one of them a boolean, and the version an upgrade reads from it) and through etcd's (no mode,
// the leader by id): fields or an error, never a crash.
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
  static const shardctl::ProbeMap by_id = [] {
    shardctl::ProbeMap m;
    m.height = "/raftIndex";
    m.view_id = "/raftTerm";
    m.leader_id = "/leader";
    m.node_id = "/header/member_id";
    return m;
  }();
  const std::string text = shardctl::fuzz::AsText(data, size);
  for (const shardctl::ProbeMap* m : {&map, &by_id}) {
    auto fields = shardctl::ParseProbeOutput(text, *m);
    if (fields.ok() && fields->height < 0) shardctl::fuzz::Broken();  // a height was required
    // Without a mode pointer the mode is derived, never left empty.
    if (fields.ok() && m == &by_id && fields->mode.empty()) shardctl::fuzz::Broken();
  }
  return 0;
}
