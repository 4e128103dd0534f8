// Checks before any node is touched, and the version a node reports.
#include <gtest/gtest.h>

#include "ops/upgrade/precheck.h"
#include "ops/upgrade/version_check.h"
#include "run/context.h"
#include "support/test_util.h"
#include "transport/fake_transport.h"

namespace shardctl::upgrade {
namespace {

using nlohmann::json;
using shardctl::testing::ReadFile;
using shardctl::testing::SourceDir;
using shardctl::testing::TempDir;

Playbook PrecheckPlaybook() {
  auto pb = LoadPlaybook(SourceDir() + "/playbooks/sandbox.json");
  EXPECT_TRUE(pb.ok()) << pb.status().message();
  return pb.ok() ? *pb : Playbook{};
}

Inventory PrecheckInventory() {
  json j = {{"network", "t"},
            {"defaults", {{"ssh", {{"user", "u"}, {"known_hosts", "/kh"}}}}},
            {"shards",
             {{{"id", 0},
               {"nodes",
                {{{"name", "n1"},
                  {"host", "127.0.0.1"},
                  {"vars", {{"dir", "/srv/n1"}, {"rpc_port", 9500}}}}}}}}}};
  auto inv = ParseInventory(j, "inv.json");
  EXPECT_TRUE(inv.ok()) << inv.status().message();
  return inv.ok() ? *inv : Inventory{};
}

TEST(PrecheckTest, RefusesMissingOrMalformedInputWithWhatWasExpected) {
  TempDir dir;
  std::string elf = dir.WriteFile("rel", ReadFile("/proc/self/exe"));
  Playbook pb = PrecheckPlaybook();
  Inventory inv = PrecheckInventory();
  auto r = PrecheckUpgrade({elf, "", ""}, pb, inv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--sha256 is required"), std::string::npos);
  r = PrecheckUpgrade({"", std::string(64, 'a'), ""}, pb, inv, {});
  EXPECT_NE(r.status().message().find("--artifact is required"), std::string::npos);
  r = PrecheckUpgrade({elf, "xyz", ""}, pb, inv, {});
  EXPECT_NE(r.status().message().find("64 hex digits"), std::string::npos);
  r = PrecheckUpgrade({elf, Sha256Hex(ReadFile(elf)), ""}, pb, inv, {});
  ASSERT_TRUE(r.ok()) << r.status().message();

  pb.upgrade.format = "elf-aarch64";
  if (HostArtifactFormat().name == "elf-aarch64") pb.upgrade.format = "elf-x86_64";
  r = PrecheckUpgrade({elf, Sha256Hex(ReadFile(elf)), ""}, pb, inv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("expected an ELF executable for " + pb.upgrade.format),
            std::string::npos)
      << r.status().message();
  pb.upgrade.format = "elf-vax";
  r = PrecheckUpgrade({elf, Sha256Hex(ReadFile(elf)), ""}, pb, inv, {});
  EXPECT_NE(r.status().message().find("sandbox.json:/upgrade/format"), std::string::npos)
      << r.status().message();

  pb = PrecheckPlaybook();
  pb.commands.stage.clear();
  r = PrecheckUpgrade({elf, Sha256Hex(ReadFile(elf)), ""}, pb, inv, {});
  EXPECT_NE(r.status().message().find("/commands/stage"), std::string::npos)
      << r.status().message();
}

// Reads through NodeOps in a read-only context over t.
struct VersionReader {
  explicit VersionReader(FakeTransport& t, const Inventory& inv, const Playbook& pb)
      : ro(inv, pb, t, clock), ops(ro.get(), 0) {}
  FakeClock clock;
  ReadOnlyContext ro;
  NodeOps ops;
};

TEST(VersionCheckTest, ComparesWhatTheRunningNodeReports) {
  FakeTransport t;
  // sandbox.json probes over HTTP and has no version command: the version is read from there.
  t.On("n1", "HTTP POST 127.0.0.1:9500/ ",
       FakeTransport::Ok(
           R"js({"result":{"version":"validator-sim v2 (harmony-compatible RPC)"}})js"));
  Playbook pb = PrecheckPlaybook();
  Inventory inv = PrecheckInventory();
  VersionReader reader(t, inv, pb);
  NodeOps& ops = reader.ops;
  const Node& n = *inv.AllNodes()[0];
  UpgradeRunVars run{std::string(64, 'a'), "v2", "r"};
  EXPECT_TRUE(CheckNodeVersion(ops, pb, n, run).ok());
  run.version = "v3";
  Status s = CheckNodeVersion(ops, pb, n, run);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "n1: reports version \"validator-sim v2 (harmony-compatible RPC)\", expected v3");
  run.version = "";
  EXPECT_TRUE(CheckNodeVersion(ops, pb, n, run).ok());
  t.On("n1", "HTTP POST",
       FakeTransport::Failure(ExecResult::Outcome::kError,
                              "the node cannot connect to 127.0.0.1:9500"));
  run.version = "v2";
  s = CheckNodeVersion(ops, pb, n, run);
  EXPECT_NE(s.message().find("cannot connect to 127.0.0.1:9500"), std::string::npos) << s.message();
}

TEST(VersionCheckTest, AVersionInTheLatestProbeIsTakenWithoutAskingAgain) {
  FakeTransport t;  // nothing scripted: a command sent would fail
  Playbook pb = PrecheckPlaybook();
  Inventory inv = PrecheckInventory();
  const Node& n = *inv.AllNodes()[0];
  UpgradeRunVars run{std::string(64, 'a'), "v2", "r"};
  VersionReader reader(t, inv, pb);
  NodeOps& ops = reader.ops;
  NodeStatus probed;
  probed.node = "n1";
  probed.answered = true;
  probed.fields.version = "validator-sim v2 (harmony-compatible RPC)";
  EXPECT_TRUE(CheckNodeVersion(ops, pb, n, run, &probed).ok());
  probed.fields.version = "validator-sim v1.0.0";
  EXPECT_EQ(CheckNodeVersion(ops, pb, n, run, &probed).message(),
            "n1: reports version \"validator-sim v1.0.0\", expected v2");
  EXPECT_TRUE(t.calls().empty());
  // A probe without a version: the node is asked.
  probed.fields.version.reset();
  EXPECT_FALSE(CheckNodeVersion(ops, pb, n, run, &probed).ok());
  EXPECT_EQ(t.calls().size(), 1u);
}

}  // namespace
}  // namespace shardctl::upgrade
