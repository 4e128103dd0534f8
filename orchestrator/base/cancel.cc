#include "base/cancel.h"

#include <unistd.h>

#include <csignal>

#include "base/signal_rule.h"

namespace shardctl {
namespace {

CancelToken* g_token = nullptr;
std::atomic<bool> g_touching{false};
std::atomic<bool> g_hold_second{false};
static_assert(std::atomic<bool>::is_always_lock_free, "read in a signal handler");

void Say(const char* msg, size_t n) { (void)!write(STDERR_FILENO, msg, n); }

// The first signal once something may be touched: cancel, and say what happens next.
void CancelFirst() {
  g_token->Cancel();
  const char quick[] = "\nshardctl: interrupted; finishing steps in flight (again to force)\n";
  const char held[] =
      "\nshardctl: interrupted; finishing the step in flight, then printing where the run "
      "stopped and the command that continues it\n";
  if (g_hold_second.load()) {
    Say(held, sizeof held - 1);
  } else {
    Say(quick, sizeof quick - 1);
  }
}

extern "C" void OnSignal(int sig) {
  if (g_token == nullptr) return;
  if (!g_touching.load()) {
    const char msg[] = "\nshardctl: interrupted before anything was touched\n";
    Say(msg, sizeof msg - 1);
    _exit(128 + sig);
  }
  if (!g_token->cancelled()) return CancelFirst();
  if (!g_hold_second.load()) _exit(128 + sig);
  const char msg[] =
      "\nshardctl: still finishing the step in flight so that no node is left stopped; the state "
      "and the command that continues are printed next (SIGKILL abandons the run where it is)\n";
  Say(msg, sizeof msg - 1);
}

}  // namespace

void InstallSignalCancel(CancelToken* token) {
  g_token = token;
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

void MarkTouching(bool touching) { g_touching.store(touching); }

void HoldSecondSignal(bool hold) {
  if (hold) MarkTouching();
  g_hold_second.store(hold);
}

}  // namespace shardctl
