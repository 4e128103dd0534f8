#include "model/ansible_inventory.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

// One network of 4 shards, spelled as Ansible INI and as YAML with vars declared at other levels
// that merge to the same values.
std::string Data(const std::string& name) {
  return testing::ReadFile(testing::SourceDir() + "/tests/data/ansible/" + name);
}

json Import(const Result<AnsibleTree>& tree) {
  EXPECT_TRUE(tree.ok()) << tree.status().message();
  if (!tree.ok()) return nullptr;
  auto imported = ImportAnsible(*tree, AnsibleImportOptions{}, "hosts");
  EXPECT_TRUE(imported.ok()) << imported.status().message();
  return imported.ok() ? imported->inventory : json();
}

TEST(AnsibleInventoryTest, IniAndYamlImportToTheSameInventory) {
  json from_ini = Import(ParseAnsibleIni(Data("four_shards.ini"), "hosts.ini"));
  json from_yaml = Import(ParseAnsibleYaml(Data("four_shards.yml"), "hosts.yml"));
  EXPECT_EQ(from_ini, from_yaml) << from_ini.dump(2) << "\n---\n" << from_yaml.dump(2);
  auto inv = ParseInventory(from_ini, "x.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  ASSERT_EQ(inv->shards.size(), 4u);
  const Node* a = inv->FindNode("s0-a");
  const Node* b = inv->FindNode("s0-b");
  ASSERT_TRUE(a && b && inv->FindNode("s1-b"));
  EXPECT_EQ(a->ssh.host, "10.0.0.1");
  EXPECT_EQ(a->ssh.user, "validator");
  EXPECT_EQ(a->ssh.identity_file, "/keys/id");
  EXPECT_EQ(a->voting_power, 3);
  EXPECT_EQ(b->ssh.port, 2222);
  EXPECT_EQ(a->vars.at("chain"), "mainnet");
  EXPECT_EQ(a->vars.at("rpc_port"), "9500");
  EXPECT_EQ(inv->FindNode("s1-a")->vars.at("dir"), "/opt/harmony one");
  EXPECT_EQ(inv->FindNode("s2-a")->vars.at("role"), "leader");
  EXPECT_EQ(from_ini["defaults"]["ssh"]["user"], "validator");
}

TEST(AnsibleInventoryTest, ExportRoundTripsThroughIniAndYaml) {
  json original = Import(ParseAnsibleIni(Data("four_shards.ini"), "hosts.ini"));
  auto inv = ParseInventory(original, "x.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  AnsibleTree tree = ExportAnsible(*inv);
  auto ini = EmitAnsibleIni(tree);
  ASSERT_TRUE(ini.ok()) << ini.status().message();
  EXPECT_EQ(Import(ParseAnsibleIni(*ini, "out.ini")), original) << *ini;
  EXPECT_EQ(Import(ParseAnsibleYaml(EmitAnsibleYaml(tree), "out.yml")), original)
      << EmitAnsibleYaml(tree);
}

TEST(AnsibleInventoryTest, ShardFromAHostVarAndClearErrors) {
  auto tree = ParseAnsibleIni("[web]\nh1 shard=2\nh2 shard=x\n", "h.ini");
  ASSERT_TRUE(tree.ok());
  AnsibleImportOptions o;
  o.shard_var = "shard";
  auto bad = ImportAnsible(*tree, o, "h.ini");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("h.ini: host \"h2\": shard must be a number"),
            std::string::npos)
      << bad.status().message();
  auto no_group = ImportAnsible(*tree, AnsibleImportOptions{}, "h.ini");
  ASSERT_FALSE(no_group.ok());
  EXPECT_NE(no_group.status().message().find("no group matching the shard pattern"),
            std::string::npos)
      << no_group.status().message();
  auto one = ParseAnsibleIni("[web]\nh1 shard=2 ansible_port=99999\n", "p.ini");
  ASSERT_TRUE(one.ok());
  auto port = ImportAnsible(*one, o, "p.ini");
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.status().message().find("ansible_port"), std::string::npos)
      << port.status().message();
  auto yaml = ParseAnsibleYaml("all:\n  hosts: [a, b\n", "bad.yml");
  ASSERT_FALSE(yaml.ok());
  EXPECT_NE(yaml.status().message().find("bad.yml:"), std::string::npos);
  auto ini = ParseAnsibleIni("[web\nh1\n", "bad.ini");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(ini.status().message().find("bad.ini:1:"), std::string::npos);
  // Found by fuzz_ansible: a range bound past LONG_MAX threw from stol.
  auto huge = ParseAnsibleIni("[web]\nn[1:99999999999999999999]\n", "r.ini");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("unsupported host range"), std::string::npos)
      << huge.status().message();
  auto ok = ParseAnsibleIni("[web]\nn[08:10]\n", "r.ini");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  // A --shard-group whose group captures letters matches no shard instead of throwing.
  auto letters = ParseAnsibleIni("[shard_x]\nh1\n", "g.ini");
  ASSERT_TRUE(letters.ok());
  AnsibleImportOptions g;
  g.shard_group = "shard_(.*)";
  EXPECT_FALSE(ImportAnsible(*letters, g, "g.ini").ok());
}

}  // namespace
}  // namespace shardctl
