// Base64 (RFC 4648, padded), as etcd's JSON gateway carries keys and values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shardctl {

std::string Base64Encode(std::string_view bytes);
/// nullopt when text is not padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace shardctl
