// A loopback testnet for integration tests: drives tools/sandbox (docs/sandbox.md) and talks to
// the nodes over JSON-RPC (curl) and SSH. Shared by the sandbox tests and, later, the recover
// engine's integration tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace shardctl::testing {

struct SandboxOptions {
  int shards = 1;
  int nodes = 4;
  std::vector<int> voting_power{};  // one per node index (same in every shard); empty: all 1
  int block_ms = 200;
  int phase_timeout_ms = 1000;
  int view_change_ms = 1000;
  std::string sim{};     // the validator-sim binary; empty: BinDir()/validator-sim
  int up_timeout_s = 0;  // how long `up` waits for every shard to commit; 0: the script's default
};

/// One node as the inventory written by `sandbox up` describes it.
struct SandboxNode {
  std::string name;  // "s<shard>-n<index>"
  int shard = 0;
  int index = 0;
  int voting_power = 1;
  std::string dir;  // absolute node directory (the inventory's vars.dir)
  int rpc_port = 0;
  int p2p_port = 0;
};

/// Owns a sandbox in a fresh temp dir. The destructor runs `sandbox down` (so a failing test
/// never leaks processes) and removes the dir, except when the test failed: then the dir and its
/// node logs are kept and the path is printed. Not thread-safe; one per test.
class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  /// `sandbox up` with these options, then reads inventory.json. False (and *err with the
  /// script's output) if the sandbox did not come up with every shard committing.
  bool Up(const SandboxOptions& options, std::string* err);
  /// `sandbox down`; true when it reports that no process is left. Idempotent.
  bool Down(std::string* err = nullptr);

  const std::string& dir() const { return dir_; }
  std::string inventory_path() const { return dir_ + "/inventory.json"; }
  std::string identity_file() const { return dir_ + "/id_ed25519"; }
  std::string known_hosts() const { return dir_ + "/known_hosts"; }
  int ssh_port() const { return ssh_port_; }
  const std::vector<SandboxNode>& nodes() const { return nodes_; }
  std::vector<SandboxNode> shard_nodes(int shard) const;
  std::vector<std::string> shard_node_names(int shard) const;
  /// The node called name; throws std::out_of_range (the test fails) on an unknown name.
  const SandboxNode& node(const std::string& name) const;
  std::string node_dir(const std::string& name) const { return node(name).dir; }

  /// `tools/sandbox <command> --dir dir() <args...>`; returns the exit status.
  int Run(const std::string& command, const std::vector<std::string>& args,
          std::string* output = nullptr) const;
  /// `<node dir>/ctl <action>` run locally; returns the exit status (status: 0 running, 3 not).
  int Ctl(const std::string& name, const std::string& action, std::string* output = nullptr) const;
  /// Runs command on the sandbox's sshd with the written key and known_hosts (strict host key
  /// checking, BatchMode, 30 s overall limit); returns ssh's exit status.
  int Ssh(const std::string& command, std::string* output = nullptr) const;
  bool IsRunning(const std::string& name) const { return Ctl(name, "status") == 0; }

  /// JSON-RPC to one node (1 s limit); nullopt if it does not answer or the reply has no result.
  std::optional<nlohmann::json> Rpc(const std::string& name, const std::string& method) const;
  std::optional<int64_t> Height(const std::string& name) const;
  std::optional<nlohmann::json> Metadata(const std::string& name) const;
  /// Highest block any node of the shard reports; nullopt if none answers.
  std::optional<int64_t> ShardHeight(int shard) const;

  /// Waits until the shard's top height is at least min_height.
  bool WaitForShardHeight(int shard, int64_t min_height, std::chrono::milliseconds timeout) const;
  /// Waits until the shard's top height has not moved for `stable`; *height gets that height.
  bool WaitForHalt(int shard, std::chrono::milliseconds stable, std::chrono::milliseconds timeout,
                   int64_t* height = nullptr) const;

  /// WaitForHalt for every shard at once: true when no shard's top height moved for `stable`.
  bool WaitForAllHalted(std::chrono::milliseconds stable, std::chrono::milliseconds timeout) const;

  /// Pids of live processes that belong to this sandbox: anything whose argv names a file under
  /// dir()/nodes/, and the sandbox's sshd. Empty after a clean Down().
  std::vector<int> LivePids() const;

 private:
  bool LoadInventory(std::string* err);

  std::string dir_;
  bool up_ = false;
  int ssh_port_ = 0;
  std::vector<SandboxNode> nodes_;
};

/// The fixture every sandbox test shares (TEST_F of a suite deriving from it): its sandbox,
/// taken down when the test ends, also when it fails.
class SandboxTest : public ::testing::Test {
 protected:
  /// Brings sb_ up with opt or fails the test: ASSERT_NO_FATAL_FAILURE(Up(opt)).
  void Up(const SandboxOptions& opt) {
    std::string err;
    ASSERT_TRUE(sb_.Up(opt, &err)) << err;
  }

  Sandbox sb_;
};

}  // namespace shardctl::testing
