// validator-sim: a simulated Harmony-like validator for the shardctl sandbox.
//   validator-sim run --config FILE     run until SIGTERM/SIGINT (exit 0)
//   validator-sim db-height --data DIR  print the stored chain height
//   validator-sim free-ports N          print N loopback ports free for TCP and UDP
//   validator-sim --version
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sim/chain_store.h"
#include "sim/config.h"
#include "sim/free_ports.h"
#include "sim/release.h"
#include "sim/rpc.h"
#include "sim/runner.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

const char kUsage[] =
    "usage: validator-sim run --config FILE\n"
    "       validator-sim db-height --data DIR\n"
    "       validator-sim free-ports N\n"
    "       validator-sim --version\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "validator-sim: %s\n%s", problem.c_str(), kUsage);
  return kExitUsage;
}

/// Value of `--flag VALUE` or `--flag=VALUE` in args (exactly that one flag); empty if malformed.
std::string FlagValue(const std::vector<std::string>& args, const std::string& flag) {
  if (args.size() == 2 && args[0] == flag) return args[1];
  if (args.size() == 1 && args[0].rfind(flag + "=", 0) == 0) return args[0].substr(flag.size() + 1);
  return "";
}

int Run(const std::string& config_path) {
  if (vsim::ReleaseCrashesOnStart()) {
    std::fprintf(stderr, "validator-sim: %s was released with --crash-on-start; exiting\n",
                 vsim::ReleaseVersion().c_str());
    return kExitError;
  }
  auto config = vsim::LoadConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "validator-sim: %s\n", config.status().message().c_str());
    return kExitUsage;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // threads inherit: only sigwait sees them
  signal(SIGPIPE, SIG_IGN);
  auto runner = vsim::Runner::Create(std::move(config.value()));
  if (!runner.ok()) {
    std::fprintf(stderr, "validator-sim: %s\n", runner.status().message().c_str());
    return kExitError;
  }
  (*runner)->Start();
  int sig = 0;
  sigwait(&signals, &sig);
  (*runner)->Stop();
  return 0;
}

int DbHeight(const std::string& dir) {
  auto chain = vsim::ChainStore::Read(dir);
  if (!chain.ok()) {
    std::fprintf(stderr, "validator-sim: %s\n", chain.status().message().c_str());
    return kExitError;
  }
  std::printf("%zu\n", chain->size());
  return 0;
}

int PrintFreePorts(const std::string& count) {
  int n = 0;
  try {
    size_t used = 0;
    n = std::stoi(count, &used);
    if (used != count.size()) n = 0;
  } catch (...) {
    n = 0;
  }
  auto ports = vsim::FreePorts(n);
  if (!ports.ok()) {
    std::fprintf(stderr, "validator-sim: %s\n", ports.status().message().c_str());
    return n < 1 ? kExitUsage : kExitError;
  }
  for (int p : *ports) std::printf("%d\n", p);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage("missing command");
  std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "--version" || cmd == "version") {
    std::printf("%s\n", vsim::VersionString().c_str());
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::printf("%s", kUsage);
    return 0;
  }
  if (cmd == "run") {
    std::string path = FlagValue(rest, "--config");
    return path.empty() ? Usage("run: expected --config FILE") : Run(path);
  }
  if (cmd == "db-height") {
    std::string dir = FlagValue(rest, "--data");
    return dir.empty() ? Usage("db-height: expected --data DIR") : DbHeight(dir);
  }
  if (cmd == "free-ports") {
    return rest.size() == 1 ? PrintFreePorts(rest[0]) : Usage("free-ports: expected a count N");
  }
  return Usage("unknown command '" + cmd + "'");
}
