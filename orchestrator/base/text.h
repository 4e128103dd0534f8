// Text helpers every layer uses for messages and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace shardctl {

/// Letters, digits, "-", "_" and ".": what names (nodes, networks, placeholders) are made of.
bool IsNameChar(char c);

/// text as a whole decimal number from min to max (min >= 0): digits only, no sign or spaces;
/// nullopt for anything else, an overflow included. Never throws (unlike std::stol).
std::optional<int64_t> ParseDecimal(std::string_view text, int64_t min, int64_t max);

/// The offset of the first byte of text that does not belong to valid UTF-8 (overlong forms,
/// surrogates and code points past U+10FFFF included), or npos when all of it is valid.
size_t InvalidUtf8At(std::string_view text);

/// "1m05.3s", "4.2s", "850ms".
std::string FormatDuration(Duration d);
/// "2024-05-01T03:12:45.120Z".
std::string FormatUtc(int64_t unix_ms);
/// unix_ms in UTC through strftime_format (at most 63 characters out; "" if longer).
std::string FormatUtcAs(int64_t unix_ms, const char* strftime_format);
/// "33%": share (0..1) as a whole percentage.
std::string FormatPercent(double share);
/// parts joined by sep.
std::string Join(const std::vector<std::string>& parts, const std::string& sep = ", ");
/// "a, b, c"; "-" when empty.
std::string JoinOrDash(const std::vector<std::string>& parts);

}  // namespace shardctl
