// Cooperative cancellation: Ctrl-C sets the flag; long operations poll it and stop cleanly.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

namespace shardctl {

class CancelToken {
 public:
  /// Cancels without a reason: the operator's signal (async-signal-safe).
  void Cancel() { cancelled_.store(true); }
  /// Cancels and says why (a lost lease), unless already cancelled. Takes a lock: never from a
  /// signal handler.
  void Cancel(const std::string& why);
  bool cancelled() const { return cancelled_.load(); }
  /// Why it was cancelled, when Cancel(why) came first; "" for the operator's signal.
  std::string reason() const;

 private:
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mu_;  // guards reason_
  std::string reason_;
};

/// Routes SIGINT, SIGTERM and SIGHUP to token; what a signal does: base/signal_rule.h.
/// The token must outlive the process's use of signals.
void InstallSignalCancel(CancelToken* token);

}  // namespace shardctl
