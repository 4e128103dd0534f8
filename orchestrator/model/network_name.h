// The inventory's "network" names the run lock file (STATE_DIR/NETWORK.lock), so it must be a
// plain file name: it can never leave the state dir or hold control characters.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace shardctl {

inline constexpr size_t kMaxNetworkNameLength = 64;

/// Ok when name is 1..64 of [A-Za-z0-9._-] and starts with a letter or digit; otherwise
/// Invalid saying what is allowed (the message does not repeat the caller's location).
Status CheckNetworkName(const std::string& name);

}  // namespace shardctl
