// Cooperative cancellation: Ctrl-C sets the flag; long operations poll it and stop cleanly.
#pragma once

#include <atomic>

namespace shardctl {

class CancelToken {
 public:
  void Cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(); }

 private:
  std::atomic<bool> cancelled_{false};
};

/// Routes SIGINT, SIGTERM and SIGHUP to token; what a signal does: base/signal_rule.h.
/// The token must outlive the process's use of signals.
void InstallSignalCancel(CancelToken* token);

}  // namespace shardctl
