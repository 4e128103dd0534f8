#include "model/selection.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

Inventory TwoShards() {
  Inventory inv;
  inv.path = "inv.json";
  for (int s = 0; s < 2; ++s) {
    Shard shard;
    shard.id = s;
    for (const char* suffix : {"a", "b", "c"}) {
      Node n;
      n.name = "s" + std::to_string(s) + "-" + suffix;
      n.shard = s;
      shard.nodes.push_back(n);
    }
    inv.shards.push_back(shard);
  }
  return inv;
}

std::vector<std::string> Names(const Result<std::vector<const Node*>>& r) {
  std::vector<std::string> out;
  for (const Node* n : r.value()) out.push_back(n->name);
  return out;
}

TEST(SelectionTest, DefaultIsEverything) {
  auto r = SelectNodes(TwoShards(), Selection{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 6u);
}

TEST(SelectionTest, ShardsAndGlobsIntersect) {
  Inventory inv = TwoShards();
  EXPECT_EQ(Names(SelectNodes(inv, Selection{{1}, {}})),
            (std::vector<std::string>{"s1-a", "s1-b", "s1-c"}));
  EXPECT_EQ(Names(SelectNodes(inv, Selection{{}, {"*-a", "s1-c"}})),
            (std::vector<std::string>{"s0-a", "s1-a", "s1-c"}));
  EXPECT_EQ(Names(SelectNodes(inv, Selection{{0}, {"*-b"}})), (std::vector<std::string>{"s0-b"}));
}

TEST(SelectionTest, TyposAreErrorsNotEmptySelections) {
  Inventory inv = TwoShards();
  auto bad_shard = SelectNodes(inv, Selection{{7}, {}});
  ASSERT_FALSE(bad_shard.ok());
  EXPECT_EQ(bad_shard.status().message(), "--shard 7: no such shard in inv.json (shards: 0, 1)");
  auto bad_glob = SelectNodes(inv, Selection{{}, {"s9-*"}});
  ASSERT_FALSE(bad_glob.ok());
  EXPECT_EQ(bad_glob.status().message(), "--node 's9-*': matches no node in inv.json");
  auto disjoint = SelectNodes(inv, Selection{{0}, {"s1-*"}});
  ASSERT_FALSE(disjoint.ok());
  EXPECT_NE(disjoint.status().message().find("matches no node"), std::string::npos);
}

TEST(SelectionTest, SelectShardsKeepsInventoryOrder) {
  auto r = SelectShards(TwoShards(), Selection{{}, {"s1-a", "s0-b"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace shardctl
