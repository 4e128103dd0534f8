// Staging a release through a real sshd with the sandbox playbook's own commands: stage keeps
// the rollback copy, verify_staged finds it staged, swap and rollback put binaries in place.
#include "ops/upgrade/stage.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "run/node_ops.h"
#include "support/sshd_fixture.h"
#include "support/test_util.h"
#include "transport/ssh_transport.h"

namespace shardctl::upgrade {
namespace {

using shardctl::testing::LocalSshd;
using shardctl::testing::ReadFile;
using shardctl::testing::SourceDir;
using shardctl::testing::TempDir;

Artifact StageArtifact(std::string bytes) {
  Artifact a;
  a.source = "test";
  a.sha256 = Sha256Hex(bytes);
  a.bytes = std::move(bytes);
  return a;
}

/// A node dir like the sandbox's: bin/validator-sim (running "v1") and release/ + SHA256SUMS.
std::string StageNodeDir(const std::string& root, const std::string& v1) {
  std::string dir = root + "/node";
  std::filesystem::create_directories(dir + "/bin");
  std::filesystem::create_directories(dir + "/release");
  std::FILE* f = std::fopen((dir + "/bin/validator-sim").c_str(), "wb");
  std::fwrite(v1.data(), 1, v1.size(), f);
  std::fclose(f);
  chmod((dir + "/bin/validator-sim").c_str(), 0755);
  return dir;
}

// The sandbox playbook's swap or rollback, sent through NodeOps.
Status Put(RunContext& ctx, const Node& node, CommandId id, const UpgradeRunVars& run) {
  NodeOps ops(ctx, 0);
  auto command = ops.Command(node, id, &run);
  return command.ok() ? ops.Do(node, *command) : command.status();
}

TEST(StageSshTest, SandboxStageVerifySwapAndRollbackOnARealSshd) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string dir = StageNodeDir(sshd.temp().path(), "old binary v1");
  Inventory inv;
  inv.shards.push_back(Shard{});
  Node& node = inv.shards[0].nodes.emplace_back(sshd.MakeNode("s0-n0"));
  node.vars["dir"] = dir;
  node.vars["rpc_port"] = "1";
  auto pb = LoadPlaybook(SourceDir() + "/playbooks/sandbox.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  SshTransport t;
  RealClock clock;
  TempDir state;
  auto journal = Journal::Open(state.path(), "stage-test", clock);
  ASSERT_TRUE(journal.ok());
  EventLog events;
  CancelToken stop;
  RunContext ctx(inv, *pb, t, clock, **journal, events, stop);
  std::string big(3u << 20, 'x');  // more than one SSH window
  Artifact art = StageArtifact(
      "\x7f"
      "ELF new release v2" +
      big);
  UpgradeRunVars run{art.sha256, "v2", "r1"};
  auto out = StageRelease(ctx, {&node}, art, run);
  ASSERT_TRUE(out[0].status.ok()) << out[0].status.message();
  EXPECT_FALSE(out[0].found_staged);
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.staged"), art.bytes);
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");  // nothing swapped yet
  // Staging again (a later upgrade, a resumed run): verify_staged finds it, nothing is sent.
  out = StageRelease(ctx, {&node}, art, run);
  ASSERT_TRUE(out[0].status.ok()) << out[0].status.message();
  EXPECT_TRUE(out[0].found_staged);
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");

  ASSERT_TRUE(Put(ctx, node, CommandId::kSwap, run).ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), art.bytes);
  EXPECT_EQ(ReadFile(dir + "/release/validator-sim"), art.bytes);
  // After the swap, staging the same release again keeps the old binary as the rollback copy.
  ASSERT_TRUE(StageRelease(ctx, {&node}, art, run)[0].status.ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");

  ASSERT_TRUE(Put(ctx, node, CommandId::kRollback, run).ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");
  EXPECT_EQ(ReadFile(dir + "/release/validator-sim"), "old binary v1");
  EXPECT_NE(ReadFile(dir + "/release/SHA256SUMS").find(Sha256Hex("old binary v1")),
            std::string::npos);

  // A corrupted transfer (wrong sha) is refused on the node and nothing is replaced.
  UpgradeRunVars wrong{std::string(64, '0'), "v2", "r1"};
  out = StageRelease(ctx, {&node}, art, wrong);
  EXPECT_FALSE(out[0].status.ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");
  EXPECT_EQ(t.connections_opened(), 1);
}

}  // namespace
}  // namespace shardctl::upgrade
