// The incident room's page (`watch --listen`, path /): every shard's state, height, block age,
// view ids and nodes down, the last decisions with their reasons, and the shards waiting for
// approval with a button. One renderer, in the page's script: it draws the state embedded in
// the page at once, then polls /api/state every interval and redraws without a reload.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace shardctl {

/// The whole HTML document for state (the JSON /api/state serves). Text from nodes is only
/// ever set as text by the script, never parsed as HTML.
std::string RenderWatchPage(const nlohmann::json& state);

}  // namespace shardctl
