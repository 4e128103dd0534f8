// Writing an output file (a report) so that losing it is an error, never silent: every write and
// the close are checked (a full disk, /dev/full, a closed pipe).
#pragma once

#include <string>

#include "base/status.h"

namespace shardctl {

/// Replaces the content of path with text. Io naming the file and the reason when any byte could
/// not be written or the close failed.
Status WriteWholeFile(const std::string& path, const std::string& text);

}  // namespace shardctl
