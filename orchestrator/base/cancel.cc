#include "base/cancel.h"

#include <unistd.h>

#include <csignal>

namespace shardctl {
namespace {

CancelToken* g_token = nullptr;

extern "C" void OnSignal(int sig) {
  if (g_token == nullptr) return;
  if (g_token->cancelled()) _exit(128 + sig);
  g_token->Cancel();
  const char msg[] = "\nshardctl: interrupted; finishing steps in flight (again to force)\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

void InstallSignalCancel(CancelToken* token) {
  g_token = token;
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace shardctl
