// The one place JSON text becomes a value and a value becomes JSON text. Parsing rejects what
// nlohmann would accept silently (duplicate keys, absurd nesting) and turns every nlohmann
// exception (syntax, number overflow) into a Status naming where the text came from. Dumping
// never throws on bytes that are not UTF-8 (a node's output may hold any byte): they are
// replaced by U+FFFD.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace shardctl {

/// Deepest nesting of arrays and objects accepted in any input.
inline constexpr size_t kMaxJsonDepth = 64;

/// Parses text; origin ("FILE" or "FILE:LINE") starts every error message. A duplicate key is
/// an error naming its JSON pointer ("FILE:/shards/0/stop: duplicate key"); syntax errors name
/// line and column; a number too large for a double is an error, never an exception. With
/// reject_nul, a string or key holding a NUL is an error too (it would cut a command short).
Result<nlohmann::json> ParseJsonText(std::string_view text, const std::string& origin,
                                     bool reject_nul = false);

/// Reads a regular file (size-limited, see base/read_file.h) and parses it with ParseJsonText,
/// rejecting NUL characters: for hand-written inputs (inventory, playbook).
Result<nlohmann::json> ReadJsonFile(const std::string& path);

/// key as one token of a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string JsonPointerToken(const std::string& key);

/// One line of JSON (no newline), invalid UTF-8 replaced. Use for every JSON output.
std::string ToJsonText(const nlohmann::json& j);

}  // namespace shardctl
