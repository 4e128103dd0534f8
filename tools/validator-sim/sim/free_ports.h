// `validator-sim free-ports N`: loopback ports free for both TCP and UDP.
#pragma once

#include <vector>

#include "base/status.h"

namespace vsim {

/// n distinct ports on 127.0.0.1 that were free for TCP and UDP when this returned. All sockets
/// are held until every port is found, so the ports are distinct; n must be in 1..1000. They are
/// chosen at random below the kernel's ephemeral port range (which outgoing sockets draw from).
shardctl::Result<std::vector<int>> FreePorts(int n);

}  // namespace vsim
