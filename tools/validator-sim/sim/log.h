// One line per event on stdout: "2024-11-25T17:54:00.123Z s0-n1 commit height=5 ...".
#pragma once

#include <cstdint>
#include <string>

namespace vsim {

/// Writes and flushes one timestamped line; thread-safe.
void LogLine(const std::string& node_name, const std::string& text);

/// UTC time as 2024-11-25T17:54:00.123Z.
std::string FormatIsoMillis(int64_t unix_ms);

}  // namespace vsim
