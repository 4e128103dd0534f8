// The SSH transport a command uses, configured from its flags.
#pragma once

#include <memory>

#include "base/cancel.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "transport/transport.h"

namespace shardctl::cli {

/// The SSH transport configured from the flags (--known-hosts, --accept-new-host-keys,
/// --connect-timeout, -j), whose commands cancel is cancelled by (Ctrl-C by default).
std::unique_ptr<Transport> MakeTransport(const CommonOptions& o,
                                         const CancelToken* cancel = GlobalCancel());

}  // namespace shardctl::cli
