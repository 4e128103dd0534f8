// Logging on stderr (spdlog): text, or one JSON object per line for log shippers.
#pragma once

#include "cli/options.h"

namespace shardctl::cli {

/// The default logger: o.log_format text or json, level from o.verbose (warn, info, debug).
void SetUpLogging(const CommonOptions& o);

}  // namespace shardctl::cli
