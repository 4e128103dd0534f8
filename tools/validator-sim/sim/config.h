// The per-node config file (JSON) that the sandbox writes. Unknown keys and bad values are errors
// that name the file, the key and what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/node.h"

namespace vsim {

struct PeerConfig {
  uint32_t index = 0;
  std::string name;
  int p2p_port = 0;
  uint64_t voting_power = 1;
};

struct SimConfig {
  std::string name;
  uint32_t shard_id = 0;
  uint32_t index = 0;
  std::string data_dir;  ///< Absolute; a relative path is taken relative to the config's dir.
  int rpc_port = 0;
  int p2p_port = 0;
  std::vector<PeerConfig> peers;  ///< Every node of the shard, sorted by index 0..N-1.
  /// Network faults re-read while running (sim/net_faults.h); key `net_faults_file`, default
  /// `net-faults` beside the config. Relative paths are taken relative to the config's dir.
  std::string net_faults_file;
  ConsensusParams params;

  std::vector<uint64_t> VotingPower() const;
};

/// Parses config text; `source` (the file name) prefixes every error.
shardctl::Result<SimConfig> ParseConfig(const std::string& text, const std::string& source);
/// Reads and parses a config file.
shardctl::Result<SimConfig> LoadConfig(const std::string& path);

}  // namespace vsim
