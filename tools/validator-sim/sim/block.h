// A block of the simulated chain: just enough to prove consensus moved (height, the view it was
// made in, who made it, when).
#pragma once

#include <cstdint>

namespace vsim {

struct Block {
  uint64_t height = 0;  ///< 1 for the first block; the chain height is the last block's height.
  uint64_t view = 0;    ///< The leader's view when it proposed the block.
  uint32_t leader = 0;  ///< Index of the proposing node in its shard.
  int64_t unix_ms = 0;  ///< Wall-clock time of the proposal, ms since the Unix epoch.

  friend bool operator==(const Block&, const Block&) = default;
};

}  // namespace vsim
