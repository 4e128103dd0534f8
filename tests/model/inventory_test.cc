#include "model/inventory.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

json MinimalInventory() {
  return json::parse(R"({
    "network": "t",
    "defaults": {"ssh": {"user": "validator", "port": 22, "identity_file": "~/.ssh/id",
                         "known_hosts": "/kh"},
                 "vars": {"rpc_port": 9500, "dir": "/opt/harmony"}},
    "shards": [
      {"id": 0, "nodes": [
        {"name": "s0-a", "host": "10.0.0.1", "voting_power": 4, "vars": {"dir": "/srv/a"}},
        {"name": "s0-b", "host": "10.0.0.2", "port": 2222, "user": "ops"}]},
      {"id": 1, "vars": {"rpc_port": 9600}, "nodes": [{"name": "s1-a", "host": "10.0.1.1"}]}
    ]})");
}

// Parses j and returns the error message ("" when it parsed).
std::string ErrorOf(const json& j) {
  auto inv = ParseInventory(j, "inv.json");
  return inv.ok() ? "" : inv.status().message();
}

TEST(InventoryTest, ParsesPinnedCoreWithDefaultsAndVarPrecedence) {
  auto inv = ParseInventory(MinimalInventory(), "inv.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  ASSERT_EQ(inv->shards.size(), 2u);
  const Node* a = inv->FindNode("s0-a");
  const Node* b = inv->FindNode("s0-b");
  const Node* c = inv->FindNode("s1-a");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->voting_power, 4);
  EXPECT_EQ(a->ssh.port, 22);
  EXPECT_EQ(a->ssh.user, "validator");
  EXPECT_EQ(a->ssh.identity_file, std::string(getenv("HOME")) + "/.ssh/id");
  EXPECT_EQ(a->vars.at("dir"), "/srv/a");
  EXPECT_EQ(a->vars.at("rpc_port"), "9500");
  EXPECT_EQ(a->vars.at("node.name"), "s0-a");
  EXPECT_EQ(b->ssh.port, 2222);
  EXPECT_EQ(b->ssh.user, "ops");
  EXPECT_EQ(b->voting_power, 1);
  EXPECT_EQ(c->vars.at("rpc_port"), "9600");
  EXPECT_EQ(c->vars.at("shard.id"), "1");
  EXPECT_EQ(inv->shards[0].TotalPower(), 5);
}

TEST(InventoryTest, DrillsFlagDefaultsToFalseAndMustBeABoolean) {
  auto inv = ParseInventory(MinimalInventory(), "inv.json");
  ASSERT_TRUE(inv.ok());
  EXPECT_FALSE(inv->drills);
  json j = MinimalInventory();
  j["drills"] = true;
  inv = ParseInventory(j, "inv.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  EXPECT_TRUE(inv->drills);
  j["drills"] = "yes";
  EXPECT_EQ(ErrorOf(j), "inv.json:/drills: expected true or false, found \"yes\"");
}

TEST(InventoryTest, UnknownKeyIsRejectedWithPath) {
  json j = MinimalInventory();
  j["shards"][0]["nodes"][1]["prot"] = 22;
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/0/nodes/1: unknown key \"prot\" (allowed: name, host, port, user, "
            "identity_file, known_hosts, jump, voting_power, vars)");
  j = MinimalInventory();
  j["defaults"]["ssh"]["timeout"] = 3;
  EXPECT_NE(ErrorOf(j).find("inv.json:/defaults/ssh: unknown key \"timeout\""), std::string::npos);
}

TEST(InventoryTest, DuplicateNodeNameAcrossShards) {
  json j = MinimalInventory();
  j["shards"][1]["nodes"][0]["name"] = "s0-a";
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/1/nodes/0/name: duplicate node name \"s0-a\" (names must be unique "
            "across the inventory)");
}

TEST(InventoryTest, MissingHost) {
  json j = MinimalInventory();
  j["shards"][0]["nodes"][0].erase("host");
  EXPECT_EQ(ErrorOf(j), "inv.json:/shards/0/nodes/0: missing \"host\" for node \"s0-a\"");
}

TEST(InventoryTest, BadPort) {
  json j = MinimalInventory();
  j["shards"][0]["nodes"][1]["port"] = 70000;
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/0/nodes/1/port: expected an integer from 1 to 65535, found 70000");
  j["shards"][0]["nodes"][1]["port"] = "22";
  EXPECT_NE(ErrorOf(j).find("found \"22\""), std::string::npos);
}

TEST(InventoryTest, NonPositiveVotingPower) {
  json j = MinimalInventory();
  j["shards"][0]["nodes"][0]["voting_power"] = 0;
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/0/nodes/0/voting_power: expected a positive integer voting power, "
            "found 0");
}

TEST(InventoryTest, EmptyShardAndNoShards) {
  json j = MinimalInventory();
  j["shards"][1]["nodes"] = json::array();
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/1/nodes: expected at least one node in shard 1, found an array");
  j["shards"] = json::array();
  EXPECT_EQ(ErrorOf(j), "inv.json:/shards: expected at least one shard, found an array");
  j.erase("shards");
  EXPECT_EQ(ErrorOf(j), "inv.json:/: missing \"shards\" (an array of shards)");
}

TEST(InventoryTest, DuplicateShardIdAndBadTypes) {
  json j = MinimalInventory();
  j["shards"][1]["id"] = 0;
  EXPECT_EQ(ErrorOf(j), "inv.json:/shards/1/id: duplicate shard id 0");
  j = MinimalInventory();
  j["shards"][0]["nodes"][0]["vars"]["dir"] = json::array();
  EXPECT_EQ(ErrorOf(j),
            "inv.json:/shards/0/nodes/0/vars/dir: expected a string or a number, found an array");
  j = MinimalInventory();
  j["shards"][0]["nodes"][0]["name"] = "bad name; rm -rf /";
  EXPECT_NE(ErrorOf(j).find("/shards/0/nodes/0/name: expected a name of letters"),
            std::string::npos);
}

TEST(InventoryTest, LoadReportsParseErrorsWithLineAndColumn) {
  testing::TempDir dir;
  std::string path = dir.WriteFile("inv.json", "{\n  \"shards\": [\n    {\"id\": 0,,}\n]}\n");
  auto inv = LoadInventory(path);
  ASSERT_FALSE(inv.ok());
  EXPECT_NE(inv.status().message().find(path + ":3:"), std::string::npos) << inv.status().message();
  auto missing = LoadInventory(dir.path() + "/nope.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("cannot read"), std::string::npos);
}

TEST(InventoryTest, ShippedExampleIsValid) {
  auto inv = LoadInventory(testing::SourceDir() + "/inventory/harmony-mainnet.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  EXPECT_EQ(inv->shards.size(), 4u);
}

}  // namespace
}  // namespace shardctl
