#pragma once

#include <string>
#include <string_view>

namespace shardctl {

/// Quotes s for a POSIX shell so it is always one word, whatever it holds ('it'"'"'s').
std::string ShellQuote(std::string_view s);

}  // namespace shardctl
