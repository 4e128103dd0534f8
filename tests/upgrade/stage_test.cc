// Staging a release: the playbook's `stage` command with the artifact on stdin, on a FakeTransport
// and through a real sshd with the sandbox playbook's own command.
#include "ops/upgrade/stage.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/sshd_fixture.h"
#include "transport/fake_transport.h"
#include "transport/ssh_transport.h"

namespace shardctl::upgrade {
namespace {

using shardctl::testing::LocalSshd;
using shardctl::testing::ReadFile;
using shardctl::testing::SourceDir;

Playbook StagePlaybook() {
  auto pb = LoadPlaybook(SourceDir() + "/playbooks/sandbox.json");
  EXPECT_TRUE(pb.ok()) << pb.status().message();
  return pb.ok() ? *pb : Playbook{};
}

Artifact StageArtifact(std::string bytes) {
  Artifact a;
  a.source = "test";
  a.sha256 = Sha256Hex(bytes);
  a.bytes = std::move(bytes);
  return a;
}

Node StageFakeNode(const std::string& name) {
  Node n;
  n.name = name;
  n.vars = {{"dir", "/srv/" + name}, {"rpc_port", "9500"}};
  return n;
}

TEST(StageTest, SendsTheArtifactOnStdinToEveryNodeAndReportsFailuresByNode) {
  FakeTransport t;
  t.On("", "cat >", FakeTransport::Ok());
  t.On("b", "cat >", FakeTransport::Exited(1, "", "sha256sum: WARNING: 1 did NOT match\n"));
  Node a = StageFakeNode("a"), b = StageFakeNode("b"), c = StageFakeNode("c");
  Artifact art = StageArtifact(
      "\x7f"
      "ELF release bytes");
  UpgradeRunVars run{art.sha256, "v2", "r1"};
  std::vector<std::string> announced;
  std::mutex mu;
  auto before = [&](const Node& n, const std::string& cmd) {
    std::lock_guard<std::mutex> lock(mu);
    announced.push_back(n.name);
    EXPECT_NE(cmd.find(art.sha256), std::string::npos);
    return n.name == "c" ? Status::Io("journal full") : Status::Ok();
  };
  auto out = StageOnNodes(t, StagePlaybook(), {&a, &b, &c}, art, run, 4, nullptr, before);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].status.ok()) << out[0].status.message();
  EXPECT_FALSE(out[1].status.ok());
  EXPECT_NE(out[1].status.message().find("b: stage failed (exit 1: sha256sum"), std::string::npos)
      << out[1].status.message();
  EXPECT_EQ(out[2].status.message(), "journal full");
  EXPECT_EQ(announced.size(), 3u);
  auto calls = t.calls();
  ASSERT_EQ(calls.size(), 2u);  // c was never sent anything
  for (const auto& call : calls) {
    EXPECT_NE(call.node, "c");
    EXPECT_TRUE(call.has_stdin);
    EXPECT_EQ(call.stdin_data, art.bytes);
    EXPECT_NE(call.command.find("/srv/" + call.node + "/bin/validator-sim.staged"),
              std::string::npos);
  }
}

TEST(StageTest, TimeoutGrowsWithTheBytesSentAtOnce) {
  Playbook pb;
  pb.timeouts.command = Duration(20000);
  EXPECT_EQ(StageTimeout(pb, 100, 1).count(), 20000);
  EXPECT_EQ(StageTimeout(pb, size_t{50} << 20, 1).count(), 70000);
  // 20 nodes share the link: 10 MiB each is 200 MiB crossing it.
  EXPECT_EQ(StageTimeout(pb, size_t{10} << 20, 20).count(), 220000);
  EXPECT_EQ(StageTimeout(pb, size_t{10} << 20, 0).count(), 30000);
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

TEST(StageSshTest, SandboxStageSwapAndRollbackOnARealSshd) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string dir = StageNodeDir(sshd.temp().path(), "old binary v1");
  Node node = sshd.MakeNode("s0-n0");
  node.vars["dir"] = dir;
  node.vars["rpc_port"] = "1";
  SshTransport t;
  Playbook pb = StagePlaybook();
  std::string big(3u << 20, 'x');  // more than one SSH window
  Artifact art = StageArtifact(
      "\x7f"
      "ELF new release v2" +
      big);
  UpgradeRunVars run{art.sha256, "v2", "r1"};
  auto out = StageOnNodes(t, pb, {&node}, art, run, 1, nullptr);
  ASSERT_TRUE(out[0].status.ok()) << out[0].status.message();
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.staged"), art.bytes);
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");  // nothing swapped yet
  // Staging again (a resumed run) keeps the rollback copy.
  ASSERT_TRUE(StageOnNodes(t, pb, {&node}, art, run, 1, nullptr)[0].status.ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");

  ExecOptions o;
  auto swap = RenderUpgradeCommand(pb, CommandId::kSwap, node, run);
  ASSERT_TRUE(swap.ok()) << swap.status().message();
  ExecResult r = t.Exec(node, *swap, o);
  ASSERT_TRUE(r.ok()) << r.Reason() << " " << r.err;
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), art.bytes);
  EXPECT_EQ(ReadFile(dir + "/release/validator-sim"), art.bytes);
  // After the swap a stage of the same release must not make the new binary the rollback copy.
  ASSERT_TRUE(StageOnNodes(t, pb, {&node}, art, run, 1, nullptr)[0].status.ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim.rollback"), "old binary v1");

  auto rollback = RenderUpgradeCommand(pb, CommandId::kRollback, node, run);
  ASSERT_TRUE(rollback.ok());
  r = t.Exec(node, *rollback, o);
  ASSERT_TRUE(r.ok()) << r.Reason() << " " << r.err;
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");
  EXPECT_EQ(ReadFile(dir + "/release/validator-sim"), "old binary v1");
  EXPECT_NE(ReadFile(dir + "/release/SHA256SUMS").find(Sha256Hex("old binary v1")),
            std::string::npos);

  // A corrupted transfer (wrong sha) is refused on the node and nothing is replaced.
  UpgradeRunVars wrong{std::string(64, '0'), "v2", "r1"};
  out = StageOnNodes(t, pb, {&node}, art, wrong, 1, nullptr);
  EXPECT_FALSE(out[0].status.ok());
  EXPECT_EQ(ReadFile(dir + "/bin/validator-sim"), "old binary v1");
  EXPECT_EQ(t.connections_opened(), 1);
}

}  // namespace
}  // namespace shardctl::upgrade
