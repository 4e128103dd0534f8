// Whether a playbook's lease names the validator or only one inventory's view of it (issue 20):
// two operators whose inventories name the network or the nodes differently must still meet at
// the same lease file on the same validator, or both runs restart it.
#pragma once

#include <string>
#include <vector>

#include "model/playbook.h"

namespace shardctl {

/// What makes pb's lease path depend on names an inventory chooses, one warning each (naming the
/// playbook and /lease/path): {{network}}, {{node.*}} and {{shard.id}}; a var no command of the
/// playbook uses (so it does not locate the validator on its host); a path
/// relative to the SSH login's home (~ or relative), which depends on the login user. Empty when
/// the path is fixed on the host or keyed by what the commands use, e.g. "{{dir}}/shardctl.lease".
std::vector<std::string> LeaseIdentityWarnings(const Playbook& pb);

}  // namespace shardctl
