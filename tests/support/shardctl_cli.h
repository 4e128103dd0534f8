// Running build/bin/shardctl the way an operator does, and reading what it leaves behind
// (JSON-lines output, journals), for the end-to-end tests.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace shardctl::testing {

/// Runs shardctl with args, stdin from /dev/null and at most limit_s seconds, then SIGTERM and,
/// 10 s later, SIGKILL (a hung run fails the test instead of blocking ctest, even one that ignores
/// SIGTERM: exit 124, or 137). stdout goes to *out; stderr is appended to err_file so JSON lines
/// on stdout stay whole. Returns the exit status.
int Shardctl(const std::vector<std::string>& args, const std::string& err_file, std::string* out,
             int limit_s = 240);

/// Shardctl with its stderr (dir/stderr.txt) appended to *out after its stdout.
int ShardctlOutput(const TempDir& dir, const std::vector<std::string>& args, std::string* out,
                   int limit_s = 120);

/// An inventory of `nodes` sandbox-shaped nodes (vars dir and rpc_port, for the sandbox
/// playbook) on a loopback port nobody listens on: every SSH connect is refused at once.
/// Written to dir/inv.json; returns its path.
std::string UnreachableInventory(const TempDir& dir, int nodes = 2);

class LocalSshd;
/// An inventory of one node, s0-n0 on sshd (its port, key and known_hosts), with vars when not
/// empty. Written to sshd's temp dir as inv.json; returns its path.
std::string SshdInventory(const LocalSshd& sshd,
                          const nlohmann::json& vars = nlohmann::json::object());

/// The JSON objects of a JSON-lines text; other lines are skipped.
std::vector<nlohmann::json> JsonLines(const std::string& text);

/// The last {"event":"report"} object's "report" in `-o json` output; null if absent.
nlohmann::json FinalReport(const std::string& out);

/// shardctl started in the background with stdin from /dev/null and stdout+stderr to out_file,
/// for tests that signal it. The destructor SIGKILLs and reaps it if it is still running.
class ShardctlProcess {
 public:
  ShardctlProcess(const std::vector<std::string>& args, const std::string& out_file);
  ~ShardctlProcess();
  ShardctlProcess(const ShardctlProcess&) = delete;
  ShardctlProcess& operator=(const ShardctlProcess&) = delete;
  void Signal(int sig) const;
  /// The exit status (128 + N when killed by signal N), or -1 if it did not end within timeout.
  int Wait(std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
  bool reaped_ = false;
};

/// Every line of every journal under state_dir/runs, file by file in name (= time) order.
std::vector<nlohmann::json> JournalLines(const std::string& state_dir);

}  // namespace shardctl::testing
