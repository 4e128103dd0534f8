// The inventory's "lock" section and the playbook's "lease" section, and base64.
#include <gtest/gtest.h>

#include "lock/base64.h"
#include "model/inventory.h"
#include "model/playbook.h"

namespace shardctl {
namespace {

using nlohmann::json;

json MinimalInventory() {
  return json::parse(R"({"network": "testnet", "shards": [{"id": 0, "nodes": [
      {"name": "s0-a", "host": "127.0.0.1"}]}]})");
}

TEST(LockConfig, EtcdSectionParses) {
  json j = MinimalInventory();
  j["lock"] = json::parse(R"({"etcd": {"endpoints": ["http://127.0.0.1:2379",
      "https://etcd-2:2379"], "prefix": "/ops/lock/", "ttl_s": 10, "ca": "/etc/ca.pem",
      "cert": "/etc/c.pem", "key": "/etc/c.key"}})");
  auto inv = ParseInventory(j, "inv.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  ASSERT_TRUE(inv->etcd_lock.has_value());
  EXPECT_EQ(inv->etcd_lock->endpoints.size(), 2u);
  EXPECT_EQ(inv->etcd_lock->prefix, "/ops/lock/");
  EXPECT_EQ(inv->etcd_lock->ttl_s, 10);
  EXPECT_EQ(inv->etcd_lock->key_file, "/etc/c.key");
  EXPECT_FALSE(ParseInventory(MinimalInventory(), "inv.json")->etcd_lock.has_value());
}

TEST(LockConfig, EtcdSectionErrorsNameThePath) {
  json j = MinimalInventory();
  j["lock"] = json::parse(R"({"etcd": {"endpoints": ["127.0.0.1:2379"]}})");
  EXPECT_EQ(ParseInventory(j, "inv.json").status().message(),
            "inv.json:/lock/etcd/endpoints/0: expected an URL starting with http:// or https://, "
            "found \"127.0.0.1:2379\"");
  j["lock"] = json::parse(R"({"etcd": {"endpoints": ["http://e:1"], "ttl_s": 1}})");
  EXPECT_NE(ParseInventory(j, "inv.json").status().message().find("inv.json:/lock/etcd/ttl_s"),
            std::string::npos);
  j["lock"] = json::parse(R"({"etcd": {"endpoints": ["http://e:1"], "cert": "/c"}})");
  EXPECT_NE(ParseInventory(j, "inv.json").status().message().find("go together"),
            std::string::npos);
  j["lock"] = json::parse(R"({"zookeeper": {}})");
  EXPECT_NE(ParseInventory(j, "inv.json").status().message().find("unknown key \"zookeeper\""),
            std::string::npos);
}

json MinimalPlaybook() {
  return json::parse(R"({"name": "p", "commands": {"stop": "x", "start": "x",
      "is_running": "x", "probe": "x"}, "probe": {"height": "/h", "mode": "/m"}})");
}

TEST(LockConfig, PlaybookLeaseDefaultsAndOverrides) {
  auto inv = ParseInventory(MinimalInventory(), "inv.json");
  auto pb = ParsePlaybook(MinimalPlaybook(), "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  EXPECT_EQ(pb->lease.ttl, Duration(60000));
  EXPECT_EQ(*RenderLeasePath(pb->lease, *inv, inv->shards[0].nodes[0]),
            "~/.shardctl/lease-testnet-s0-a");
  json j = MinimalPlaybook();
  j["lease"] = json::parse(R"({"path": "/var/lib/{{nope}}/lease", "ttl_s": 5})");
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok());
  EXPECT_EQ(pb->lease.ttl, Duration(5000));
  EXPECT_NE(CheckPlaybookAgainst(*pb, *inv).message().find("pb.json:/lease/path: "),
            std::string::npos);
  j["lease"] = json::parse(R"({"ttl_s": 1})");
  EXPECT_EQ(ParsePlaybook(j, "pb.json").status().message(),
            "pb.json:/lease/ttl_s: expected at least 2 seconds, found less");
}

TEST(LockConfig, Base64RoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "/shardctl/lock/net\xff"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)).value_or("!"), s);
  }
  EXPECT_EQ(Base64Encode("/shardctl/lock/net"), "L3NoYXJkY3RsL2xvY2svbmV0");
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("a=bc").has_value());
}

}  // namespace
}  // namespace shardctl
