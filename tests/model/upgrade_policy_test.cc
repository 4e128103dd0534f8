#include "model/upgrade_policy.h"

#include <gtest/gtest.h>

#include "model/playbook.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

json WithUpgrade() {
  return {
      {"name", "p"},
      {"commands",
       {{"stop", "stop"},
        {"start", "start"},
        {"is_running", "st"},
        {"probe", "probe"},
        {"stage", "cat > {{staged}} && check {{artifact_sha256}} && keep {{binary}} {{rollback}}"},
        {"swap", "cp {{staged}} {{binary}}"},
        {"rollback", "cp {{rollback}} {{binary}}"},
        {"version", "{{binary}} --version --expect {{version}} --run {{run_id}}"}}},
      {"probe", {{"height", "/h"}, {"mode", "/m"}}},
      {"upgrade",
       {{"soak_s", 2.5},
        {"soak_blocks", 4},
        {"paths",
         {{"binary", "{{dir}}/bin/sim"},
          {"staged", "{{dir}}/bin/sim.staged"},
          {"rollback", "{{dir}}/bin/sim.rollback"}}}}}};
}

Inventory OneNode(const std::string& dir) {
  json j = {{"network", "t"},
            {"defaults", {{"ssh", {{"user", "u"}, {"known_hosts", "/kh"}}}}},
            {"shards",
             {{{"id", 0},
               {"nodes", {{{"name", "n1"}, {"host", "10.0.0.1"}, {"vars", {{"dir", dir}}}}}}}}}};
  auto inv = ParseInventory(j, "inv.json");
  EXPECT_TRUE(inv.ok()) << inv.status().message();
  return inv.ok() ? *inv : Inventory{};
}

TEST(UpgradePolicyTest, ParsesTheSectionWithDefaults) {
  auto pb = ParsePlaybook(WithUpgrade(), "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  EXPECT_TRUE(pb->upgrade.present);
  EXPECT_EQ(pb->upgrade.canary, 1);
  EXPECT_EQ(pb->upgrade.soak.count(), 2500);
  EXPECT_EQ(pb->upgrade.soak_blocks, 4);
  EXPECT_EQ(pb->upgrade.format, "");
  EXPECT_EQ(pb->commands.swap, "cp {{staged}} {{binary}}");
}

TEST(UpgradePolicyTest, BadSectionsNameTheirPath) {
  json j = WithUpgrade();
  j["upgrade"]["canari"] = 1;
  auto pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("pb.json:/upgrade"), std::string::npos);
  EXPECT_NE(pb.status().message().find("canari"), std::string::npos) << pb.status().message();
  j = WithUpgrade();
  j["upgrade"]["paths"].erase("rollback");
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("rollback"), std::string::npos) << pb.status().message();
  j = WithUpgrade();
  j["upgrade"]["soak_blocks"] = -1;
  EXPECT_FALSE(ParsePlaybook(j, "pb.json").ok());
  j = WithUpgrade();
  j["upgrade"]["version_pointer"] = "result/version";
  EXPECT_FALSE(ParsePlaybook(j, "pb.json").ok());
  j = WithUpgrade();
  j["commands"]["swap"] = "cp {{staged";
  EXPECT_FALSE(ParsePlaybook(j, "pb.json").ok());
}

TEST(UpgradePolicyTest, RendersPathsAndRunValuesShellQuotedOnce) {
  auto pb = ParsePlaybook(WithUpgrade(), "pb.json");
  ASSERT_TRUE(pb.ok());
  Inventory inv = OneNode("/srv/my node");
  ASSERT_TRUE(CheckPlaybookAgainst(*pb, inv).ok());
  UpgradeRunVars run{std::string(64, 'a'), "v2; rm -rf /", "r1"};
  auto cmd = RenderUpgradeCommand(*pb, CommandId::kSwap, *inv.AllNodes()[0], run);
  ASSERT_TRUE(cmd.ok()) << cmd.status().message();
  EXPECT_EQ(*cmd, "cp '/srv/my node/bin/sim.staged' '/srv/my node/bin/sim'");
  cmd = RenderUpgradeCommand(*pb, CommandId::kVersion, *inv.AllNodes()[0], run);
  ASSERT_TRUE(cmd.ok());
  EXPECT_EQ(*cmd, "'/srv/my node/bin/sim' --version --expect 'v2; rm -rf /' --run r1");
}

TEST(UpgradePolicyTest, CheckNeedsEveryCommandTheSectionAndNoClashingVars) {
  Inventory inv = OneNode("/srv/a");
  json j = WithUpgrade();
  j["commands"].erase("rollback");
  auto pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok());
  EXPECT_TRUE(CheckPlaybookAgainst(*pb, inv).ok());  // not an upgrade playbook: fine elsewhere
  Status s = CheckUpgradeAgainst(*pb, inv);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("pb.json:/commands/rollback"), std::string::npos) << s.message();

  j = WithUpgrade();
  j.erase("upgrade");
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok());
  s = CheckUpgradeAgainst(*pb, inv);
  EXPECT_NE(s.message().find("pb.json:/upgrade"), std::string::npos) << s.message();

  j = WithUpgrade();
  j["commands"]["swap"] = "cp {{stagged}} {{binary}}";
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok());
  s = CheckPlaybookAgainst(*pb, inv);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("stagged"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("n1"), std::string::npos) << s.message();

  pb = ParsePlaybook(WithUpgrade(), "pb.json");
  inv.shards[0].nodes[0].vars["staged"] = "/x";
  s = CheckUpgradeAgainst(*pb, inv);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("\"staged\""), std::string::npos) << s.message();
}

TEST(UpgradePolicyTest, ExtractsAndMatchesVersions) {
  UpgradePolicy plain;
  EXPECT_EQ(*ExtractVersion(plain, "  sim v2 (rpc)\n"), "sim v2 (rpc)");
  UpgradePolicy json_out;
  json_out.version_pointer = "/result/version";
  auto v = ExtractVersion(json_out, R"js({"result":{"version":"validator-sim v2 (rpc)"}})js");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "validator-sim v2 (rpc)");
  EXPECT_FALSE(ExtractVersion(json_out, "not json").ok());
  EXPECT_FALSE(ExtractVersion(json_out, R"({"result":{}})").ok());
  EXPECT_TRUE(VersionMatches("validator-sim v2 (rpc)", "v2"));
  EXPECT_TRUE(VersionMatches("v2", "v2"));
  EXPECT_TRUE(VersionMatches("release v2.", "v2"));
  EXPECT_FALSE(VersionMatches("validator-sim v2.1 (rpc)", "v2"));
  EXPECT_FALSE(VersionMatches("validator-sim v21", "v2"));
  EXPECT_FALSE(VersionMatches("xv2", "v2"));
  EXPECT_FALSE(VersionMatches("anything", ""));
}

TEST(UpgradePolicyTest, ShippedPlaybooksCanUpgrade) {
  Inventory inv = OneNode("/srv/a");
  inv.shards[0].nodes[0].vars["rpc_port"] = "9500";
  for (const char* name : {"harmony-recover.json", "sandbox.json"}) {
    auto pb = LoadPlaybook(testing::SourceDir() + "/playbooks/" + name);
    ASSERT_TRUE(pb.ok()) << pb.status().message();
    Status s = CheckUpgradeAgainst(*pb, inv);
    EXPECT_TRUE(s.ok()) << name << ": " << s.message();
  }
}

}  // namespace
}  // namespace shardctl
