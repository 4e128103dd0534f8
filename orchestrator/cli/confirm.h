// Asking the person at the terminal before validators are changed.
#pragma once

#include <string>

namespace shardctl::cli {

/// Asks "question [y/N]" on the TTY; false when stdin is not a TTY (use --yes there).
bool Confirm(const std::string& question);

/// True when stdin is a terminal a question can be asked on.
bool StdinIsTty();

}  // namespace shardctl::cli
