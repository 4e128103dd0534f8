#include <gtest/gtest.h>

#include "ops/upgrade/canary.h"

namespace shardctl::upgrade {
namespace {

Shard CanaryShard(int count) {
  Shard s;
  s.id = 3;
  for (int i = 0; i < count; ++i) {
    Node n;
    n.name = "n" + std::to_string(i);
    n.shard = 3;
    s.nodes.push_back(n);
  }
  return s;
}

std::vector<std::string> CanaryNames(const std::vector<const Node*>& nodes) {
  std::vector<std::string> out;
  for (const Node* n : nodes) out.push_back(n->name);
  return out;
}

TEST(CanaryTest, NeverTheLeaderNorANodeOutOfSync) {
  Shard s = CanaryShard(7);  // 5 of 7 must stay up: with n1 lagging, one more may go down
  WaveInput in;
  in.leader = "n0";
  in.not_in_sync = {"n1"};
  auto c = PickCanaries(s, in, 1);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(CanaryNames(*c), std::vector<std::string>{"n2"});
  EXPECT_TRUE(PickCanaries(s, in, 0)->empty());
  s = CanaryShard(5);  // 4 of 5 must stay up: with one lagging, none may go down
  c = PickCanaries(s, in, 1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("must stay up"), std::string::npos) << c.status().message();
}

TEST(CanaryTest, QuorumLimitsHowManyAndExcludedNodesAreSkipped) {
  Shard s = CanaryShard(5);  // 5 x power 1: 4 must stay up, so one canary at most
  WaveInput in;
  in.leader = "n4";
  in.exclude = {"n0"};
  auto c = PickCanaries(s, in, 3);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(CanaryNames(*c), std::vector<std::string>{"n1"});
}

TEST(CanaryTest, NoCandidateIsAnErrorNamingTheShard) {
  Shard s = CanaryShard(5);
  WaveInput in;
  in.leader = "n0";
  in.exclude = {"n1", "n2", "n3", "n4"};
  auto c = PickCanaries(s, in, 1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("shard 3"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace shardctl::upgrade
