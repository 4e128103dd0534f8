// Real validator-sim processes on loopback: CLI contract, a 4-node shard committing over UDP,
// RPC over HTTP, clean SIGTERM, and the chain on disk afterwards.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ops/upgrade/artifact.h"
#include "support/test_util.h"

namespace {

using namespace std::chrono_literals;
using shardctl::testing::BinDir;
using shardctl::testing::FreePort;
using shardctl::testing::RunCommand;
using shardctl::testing::TempDir;
using shardctl::testing::WaitFor;

std::string Sim() { return BinDir() + "/validator-sim"; }

/// sim_tests does not depend on the binary in CMake: say so instead of failing obscurely.
class SimProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(Sim().c_str(), X_OK), 0)
        << Sim() << " is missing: cmake --build <dir> --target validator-sim";
  }
};

/// A `validator-sim run` child; killed (SIGKILL) and reaped on destruction if still running.
class SimProcess {
 public:
  SimProcess(const std::string& config, const std::string& log, const std::string& binary = Sim()) {
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      execl(binary.c_str(), "validator-sim", "run", "--config", config.c_str(), nullptr);
      _exit(127);
    }
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  /// SIGTERM, then waits up to 5 s; returns the exit code (-1 if it did not exit normally).
  int Terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    bool done = WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, 5000ms, 10ms);
    if (!done) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
};

/// Result of a JSON-RPC call, or null when the node does not answer.
nlohmann::json Rpc(int port, const std::string& method) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(1s);
  cli.set_read_timeout(2s);
  auto res = cli.Post("/", R"({"jsonrpc":"2.0","method":")" + method + R"(","params":[],"id":1})",
                      "application/json");
  if (!res || res->status != 200) return nullptr;
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  return j.is_object() && j.contains("result") ? j["result"] : nlohmann::json(nullptr);
}

std::vector<int> DistinctFreePorts(size_t n) {
  std::set<int> ports;
  while (ports.size() < n) ports.insert(FreePort());
  return {ports.begin(), ports.end()};
}

/// Writes one config per node of a shard with equal voting power; returns their paths.
std::vector<std::string> WriteShard(const TempDir& tmp, const std::vector<int>& p2p,
                                    const std::vector<int>& rpc) {
  nlohmann::json peers = nlohmann::json::array();
  for (size_t i = 0; i < p2p.size(); ++i) {
    peers.push_back({{"index", i}, {"name", "s0-n" + std::to_string(i)}, {"p2p_port", p2p[i]}});
  }
  std::vector<std::string> paths;
  for (size_t i = 0; i < p2p.size(); ++i) {
    nlohmann::json c = {{"name", "s0-n" + std::to_string(i)},
                        {"shard_id", 0},
                        {"index", i},
                        {"data_dir", tmp.path() + "/n" + std::to_string(i) + "/data"},
                        {"rpc_port", rpc[i]},
                        {"p2p_port", p2p[i]},
                        {"net_faults_file", "n" + std::to_string(i) + "/net-faults"},
                        {"peers", peers}};
    paths.push_back(tmp.WriteFile("n" + std::to_string(i) + ".json", c.dump(2)));
  }
  return paths;
}

TEST_F(SimProcessTest, FourNodesCommitServeRpcStopCleanlyAndKeepTheirChain) {
  TempDir tmp;
  std::vector<int> ports = DistinctFreePorts(8);
  std::vector<int> p2p(ports.begin(), ports.begin() + 4), rpc(ports.begin() + 4, ports.end());
  std::vector<std::string> configs = WriteShard(tmp, p2p, rpc);
  std::vector<std::unique_ptr<SimProcess>> nodes;
  for (size_t i = 0; i < 4; ++i) {
    nodes.push_back(
        std::make_unique<SimProcess>(configs[i], tmp.path() + "/n" + std::to_string(i) + ".log"));
  }
  bool committing = WaitFor(
      [&] {
        for (int port : rpc) {
          auto h = Rpc(port, "hmyv2_blockNumber");
          if (!h.is_number() || h.get<int>() < 5) return false;
        }
        return true;
      },
      15s, 100ms);
  ASSERT_TRUE(committing) << shardctl::testing::ReadFile(tmp.path() + "/n0.log");
  auto meta = Rpc(rpc[1], "hmyv2_getNodeMetadata");
  EXPECT_EQ(meta["consensus"]["mode"], "Normal");
  EXPECT_EQ(meta["role"], "validator");
  EXPECT_EQ(Rpc(rpc[2], "hmyv2_latestHeader")["shardID"], 0);

  for (auto& n : nodes) EXPECT_EQ(n->Terminate(), 0);
  std::string out;
  ASSERT_EQ(RunCommand({Sim(), "db-height", "--data", tmp.path() + "/n3/data"}, &out), 0) << out;
  int stored = std::stoi(out);
  EXPECT_GE(stored, 5);

  SimProcess again(configs[3], tmp.path() + "/n3-again.log");  // alone: it loads, cannot commit
  ASSERT_TRUE(WaitFor([&] { return Rpc(rpc[3], "hmyv2_blockNumber").is_number(); }, 5s));
  EXPECT_EQ(Rpc(rpc[3], "hmyv2_blockNumber").get<int>(), stored);
  EXPECT_EQ(again.Terminate(), 0);
  std::string log = shardctl::testing::ReadFile(tmp.path() + "/n0.log");
  EXPECT_NE(log.find("commit height=1 "), std::string::npos) << log;
}

/// Every rpc port answers and reports a height of at least `min`.
bool AllAtLeast(const std::vector<int>& rpc, int min) {
  for (int port : rpc) {
    auto h = Rpc(port, "hmyv2_blockNumber");
    if (!h.is_number() || h.get<int>() < min) return false;
  }
  return true;
}

int HeightOf(int port) {
  auto h = Rpc(port, "hmyv2_blockNumber");
  return h.is_number() ? h.get<int>() : -1;
}

TEST_F(SimProcessTest, APartitionFromTheNetFaultsFileCutsANodeOffAndHealingLetsItCatchUp) {
  TempDir tmp;
  std::vector<int> ports = DistinctFreePorts(8);
  std::vector<int> p2p(ports.begin(), ports.begin() + 4), rpc(ports.begin() + 4, ports.end());
  std::vector<std::string> configs = WriteShard(tmp, p2p, rpc);
  std::vector<std::unique_ptr<SimProcess>> nodes;
  for (size_t i = 0; i < 4; ++i) {
    nodes.push_back(
        std::make_unique<SimProcess>(configs[i], tmp.path() + "/n" + std::to_string(i) + ".log"));
  }
  ASSERT_TRUE(WaitFor([&] { return AllAtLeast(rpc, 3); }, 15s, 100ms))
      << shardctl::testing::ReadFile(tmp.path() + "/n0.log");

  // n3 stops hearing (and reaching) its peers; the other 3 of 4 still hold a quorum.
  tmp.WriteFile("n3/net-faults", "block *\n");
  auto mode = [&](int port) {
    auto m = Rpc(port, "hmyv2_getNodeMetadata");
    return m.is_object() ? m["consensus"]["mode"].get<std::string>() : std::string("down");
  };
  ASSERT_TRUE(WaitFor([&] { return mode(rpc[3]) == "ViewChanging"; }, 10s, 50ms));
  int cut_at = HeightOf(rpc[3]);
  EXPECT_TRUE(WaitFor([&] { return HeightOf(rpc[0]) >= cut_at + 10; }, 15s, 100ms));
  EXPECT_LE(HeightOf(rpc[3]), cut_at + 1);  // hears no commit while cut off
  EXPECT_NE(
      shardctl::testing::ReadFile(tmp.path() + "/n3.log").find("net faults: block every peer"),
      std::string::npos);

  ASSERT_EQ(std::remove((tmp.path() + "/n3/net-faults").c_str()), 0);
  int top = HeightOf(rpc[0]);
  EXPECT_TRUE(
      WaitFor([&] { return HeightOf(rpc[3]) >= top + 3 && mode(rpc[3]) == "Normal"; }, 20s, 100ms))
      << shardctl::testing::ReadFile(tmp.path() + "/n3.log");
  for (auto& n : nodes) EXPECT_EQ(n->Terminate(), 0);
}

TEST_F(SimProcessTest, CliContract) {
  std::string out;
  EXPECT_EQ(RunCommand({Sim(), "--version"}, &out), 0);
  EXPECT_EQ(out, "validator-sim v1.0.0 (harmony-compatible RPC)\n");

  EXPECT_EQ(RunCommand({Sim(), "free-ports", "3"}, &out), 0);
  std::istringstream lines(out);
  std::set<int> ports;
  for (int p; lines >> p;) ports.insert(p);
  EXPECT_EQ(ports.size(), 3u) << out;

  TempDir tmp;
  EXPECT_EQ(RunCommand({Sim(), "db-height", "--data", tmp.path()}, &out), 0);
  EXPECT_EQ(out, "0\n");
  EXPECT_NE(RunCommand({Sim(), "db-height", "--data", tmp.path() + "/missing"}, &out), 0);
  EXPECT_NE(out.find("missing"), std::string::npos) << out;

  std::string bad = tmp.WriteFile("bad.json", R"({"name": "x", "index": 0, "colour": 1})");
  EXPECT_EQ(RunCommand({Sim(), "run", "--config", bad}, &out), 2);
  EXPECT_NE(out.find("colour"), std::string::npos) << out;
  EXPECT_EQ(RunCommand({Sim(), "frobnicate"}, &out), 2);
  EXPECT_EQ(RunCommand({Sim(), "free-ports", "x"}, &out), 2);
}

/// Runs `tools/sandbox release` from the built simulator; returns its exit code.
int MakeRelease(const TempDir& tmp, const std::vector<std::string>& extra, std::string* out) {
  std::vector<std::string> argv = {shardctl::testing::SourceDir() + "/tools/sandbox",
                                   "release",
                                   "--dir",
                                   tmp.path(),
                                   "--sim",
                                   Sim()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunCommand(argv, out);
}

TEST_F(SimProcessTest, SandboxReleaseReportsItsVersionOrCrashesOnStart) {
  TempDir tmp;
  std::string out;
  std::string v2 = tmp.path() + "/v2";
  ASSERT_EQ(MakeRelease(tmp, {"--version", "v2.3.4", "--out", v2}, &out), 0) << out;
  std::string bytes = shardctl::testing::ReadFile(v2);
  std::string sha = shardctl::upgrade::Sha256Hex(bytes);
  EXPECT_NE(out.find(sha), std::string::npos) << out;
  EXPECT_NE(sha, shardctl::upgrade::Sha256Hex(shardctl::testing::ReadFile(Sim())));
  EXPECT_TRUE(
      shardctl::upgrade::CheckArtifactFormat(bytes, shardctl::upgrade::HostArtifactFormat()).ok());
  ASSERT_EQ(RunCommand({v2, "--version"}, &out), 0);
  EXPECT_EQ(out, "validator-sim v2.3.4 (harmony-compatible RPC)\n");

  std::vector<int> ports = DistinctFreePorts(2);
  std::vector<std::string> configs = WriteShard(tmp, {ports[0]}, {ports[1]});
  {
    SimProcess node(configs[0], tmp.path() + "/v2.log", v2);  // a release is a working validator
    ASSERT_TRUE(WaitFor([&] { return Rpc(ports[1], "hmyv2_getNodeMetadata").is_object(); }, 5s));
    EXPECT_EQ(Rpc(ports[1], "hmyv2_getNodeMetadata")["version"],
              "validator-sim v2.3.4 (harmony-compatible RPC)");
    EXPECT_EQ(node.Terminate(), 0);
  }

  std::string crash = tmp.path() + "/crash";
  ASSERT_EQ(MakeRelease(tmp, {"--version", "v3", "--crash-on-start", "--out", crash}, &out), 0)
      << out;
  EXPECT_EQ(RunCommand({crash, "run", "--config", configs[0]}, &out), 1);
  EXPECT_NE(out.find("crash-on-start"), std::string::npos) << out;
  EXPECT_EQ(RunCommand({crash, "--version"}, &out), 0);
  EXPECT_EQ(out, "validator-sim v3 (harmony-compatible RPC)\n");

  EXPECT_NE(MakeRelease(tmp, {"--version", "bad version", "--out", crash}, &out), 0);
  EXPECT_NE(out.find("--version must be"), std::string::npos) << out;
  EXPECT_NE(MakeRelease(tmp, {"--version", "v4", "--out", crash, "--sim", v2 + ".none"}, &out), 0);
}

}  // namespace
