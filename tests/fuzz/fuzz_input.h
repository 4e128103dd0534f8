// Shared by the libFuzzer targets: the input as text, and JSON parsed the way every loader
// parses a hand-written file (ParseJsonText with NUL rejection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/json_text.h"

namespace shardctl::fuzz {

inline std::string AsText(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

inline Result<nlohmann::json> AsJson(const uint8_t* data, size_t size) {
  return ParseJsonText(AsText(data, size), "fuzz", /*reject_nul=*/true);
}

/// A broken invariant: libFuzzer reports the abort with the input that caused it.
[[noreturn]] inline void Broken() { __builtin_trap(); }

}  // namespace shardctl::fuzz
