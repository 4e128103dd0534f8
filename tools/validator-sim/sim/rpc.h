// Harmony-compatible JSON-RPC 2.0 over the node's state: hmyv2_blockNumber,
// hmyv2_getNodeMetadata, hmyv2_latestHeader, hmyv2_inSync. Pure functions; the Runner serves them
// over HTTP (cpp-httplib) on 127.0.0.1:rpc_port.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/block.h"
#include "sim/node.h"

namespace vsim {

/// Everything an RPC answer needs, copied under the node's lock.
struct RpcView {
  std::string version;
  std::string name;
  uint32_t shard_id = 0;
  NodeState state;
  std::optional<Block> last_block;
  std::string last_block_leader;  ///< Name of the node that proposed last_block.
  int64_t start_unix_s = 0;
};

/// The version line `validator-sim --version` prints and RPC reports.
std::string VersionString();

/// Answers one request body. Bad JSON -> error -32700, not a request -> -32600, unknown method
/// -> -32601. Always returns a JSON-RPC 2.0 response object.
nlohmann::json HandleRpc(const std::string& body, const RpcView& view);

}  // namespace vsim
