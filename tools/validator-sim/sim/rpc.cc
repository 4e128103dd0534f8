#include "sim/rpc.h"

#include "base/text.h"

#include "sim/release.h"

namespace vsim {
namespace {

using nlohmann::json;

json Error(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

/// Harmony prints header time like Go's time.Time: "2019-08-30 12:34:56 +0000 UTC".
std::string GoTime(int64_t unix_ms) {
  return shardctl::FormatUtcAs(unix_ms, "%Y-%m-%d %H:%M:%S +0000 UTC");
}

json Metadata(const RpcView& v) {
  const NodeState& s = v.state;
  return {{"version", v.version},
          {"network", "sandbox"},
          {"shard-id", v.shard_id},
          {"is-leader", s.is_leader},
          {"role", "validator"},
          {"is-archival", false},
          {"node-name", v.name},
          {"current-block-number", s.height},
          {"node-unix-start-time", v.start_unix_s},
          {"consensus",
           {{"viewId", s.view},
            {"viewChangeId", s.view_change_id},
            {"mode", ModeName(s.mode)},
            {"phase", s.phase},
            {"blocknum", s.height + 1}}}};
}

json LatestHeader(const RpcView& v) {
  if (!v.last_block) {
    return {{"blockNumber", 0}, {"viewID", 0},     {"shardID", v.shard_id},
            {"leader", ""},     {"timestamp", ""}, {"unixtime", 0}};
  }
  const Block& b = *v.last_block;
  return {{"blockNumber", b.height},        {"viewID", b.view},
          {"shardID", v.shard_id},          {"leader", v.last_block_leader},
          {"timestamp", GoTime(b.unix_ms)}, {"unixtime", b.unix_ms / 1000}};
}

}  // namespace

std::string VersionString() {
  return "validator-sim " + ReleaseVersion() + " (harmony-compatible RPC)";
}

json HandleRpc(const std::string& body, const RpcView& view) {
  json req = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (req.is_discarded()) return Error(nullptr, -32700, "parse error: body is not JSON");
  if (!req.is_object() || !req.contains("method") || !req["method"].is_string()) {
    return Error(nullptr, -32600, "invalid request: expected an object with a string method");
  }
  json id = req.contains("id") ? req["id"] : json(nullptr);
  const std::string method = req["method"].get<std::string>();
  json result;
  const NodeState& s = view.state;
  if (method == "hmyv2_blockNumber") {
    result = s.height;
  } else if (method == "hmyv2_getNodeMetadata") {
    result = Metadata(view);
  } else if (method == "hmyv2_latestHeader") {
    result = LatestHeader(view);
  } else if (method == "hmyv2_inSync") {
    result = s.mode != Mode::kSyncing && s.height >= s.max_peer_height;
  } else {
    return Error(id, -32601, "the method " + method + " does not exist/is not available");
  }
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

}  // namespace vsim
