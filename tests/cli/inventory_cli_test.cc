// shardctl inventory import|export end to end: Ansible INI and YAML of 4 shards in, the same
// inventory out, and back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;

std::string Data(const std::string& name) { return SourceDir() + "/tests/data/ansible/" + name; }

// Imports an Ansible file with the CLI into dir/out and returns the JSON written.
json ImportWithCli(const TempDir& dir, const std::string& file, const std::string& out) {
  std::string output;
  int rc = RunCommand(
      {ShardctlBin(), "inventory", "import", "--ansible", file, "-o", dir.path() + "/" + out},
      &output);
  EXPECT_EQ(rc, 0) << output;
  return json::parse(ReadFile(dir.path() + "/" + out), nullptr, false);
}

TEST(InventoryCliTest, IniAndYamlImportToTheSameValidInventoryAndExportRoundTrips) {
  TempDir dir;
  json from_ini = ImportWithCli(dir, Data("four_shards.ini"), "ini.json");
  json from_yaml = ImportWithCli(dir, Data("four_shards.yml"), "yaml.json");
  ASSERT_TRUE(from_ini.is_object());
  EXPECT_EQ(from_ini, from_yaml);
  EXPECT_EQ(from_ini["shards"].size(), 4u);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "validate", "-i", dir.path() + "/ini.json"}, &out), 0)
      << out;
  EXPECT_NE(out.find("4 shards, 6 nodes"), std::string::npos) << out;
  for (std::string name : {"back.ini", "back.yml"}) {
    ASSERT_EQ(RunCommand({ShardctlBin(), "inventory", "export", "-i", dir.path() + "/ini.json",
                          "--ansible", "-o", dir.path() + "/" + name},
                         &out),
              0)
        << out;
    EXPECT_EQ(ImportWithCli(dir, dir.path() + "/" + name, name + ".json"), from_ini)
        << ReadFile(dir.path() + "/" + name);
  }
  EXPECT_NE(ReadFile(dir.path() + "/back.ini").find("[shard3]"), std::string::npos);
  EXPECT_NE(ReadFile(dir.path() + "/back.yml").find("shard3:"), std::string::npos);
}

TEST(InventoryCliTest, BadAnsibleInputIsAUsageErrorAndWritesNothing) {
  TempDir dir;
  std::string bad = dir.WriteFile("hosts.ini", "[web]\nh1 ansible_host=10.0.0.1\n");
  std::string out;
  EXPECT_EQ(RunCommand({ShardctlBin(), "inventory", "import", "--ansible", bad, "-o",
                        dir.path() + "/inv.json"},
                       &out),
            2);
  EXPECT_NE(out.find("host \"h1\""), std::string::npos) << out;
  EXPECT_EQ(ReadFile(dir.path() + "/inv.json"), "");
  EXPECT_EQ(RunCommand({ShardctlBin(), "inventory", "frobnicate"}, &out), 2);
}

}  // namespace
}  // namespace shardctl::testing
