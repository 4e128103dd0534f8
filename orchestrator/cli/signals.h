// The process's stop request: Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel one token, which every
// command hands to what it runs (base/cancel.h, base/signal_rule.h).
#pragma once

#include "base/cancel.h"

namespace shardctl::cli {

/// The process's cancellation token; main routes the signals to it.
CancelToken* GlobalCancel();

}  // namespace shardctl::cli
