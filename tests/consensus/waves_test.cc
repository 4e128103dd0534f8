#include "consensus/waves.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

Shard MakeShard(const std::vector<int>& powers) {
  Shard s;
  s.id = 2;
  for (size_t i = 0; i < powers.size(); ++i) {
    Node n;
    n.name = "n" + std::to_string(i);
    n.voting_power = powers[i];
    s.nodes.push_back(n);
  }
  return s;
}

std::vector<std::vector<std::string>> Names(const std::vector<std::vector<const Node*>>& waves) {
  std::vector<std::vector<std::string>> out;
  for (const auto& w : waves) {
    out.emplace_back();
    for (const Node* n : w) out.back().push_back(n->name);
  }
  return out;
}

using Waves = std::vector<std::vector<std::string>>;

TEST(WavesTest, EqualPowerSevenNodesTwoAtATime) {
  Shard s = MakeShard({1, 1, 1, 1, 1, 1, 1});  // quorum 5 of 7: two may be down
  auto w = PlanWaves(s, WaveInput{{}, "n3", 0, 0, {}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(Names(*w), (Waves{{"n0", "n1"}, {"n2", "n4"}, {"n5", "n6"}, {"n3"}}));
}

TEST(WavesTest, UnequalPowerNeverDropsBelowQuorum) {
  Shard s = MakeShard({3, 1, 1, 1, 1, 1, 1, 1, 1, 1});  // total 12, quorum 9: 3 may be down
  auto w = PlanWaves(s, WaveInput{{}, "", 0, 0, {}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  for (const auto& wave : *w) {
    int down = 0;
    for (const Node* n : wave) down += n->voting_power;
    EXPECT_GE(s.TotalPower() - down, QuorumRule::Bft().Required(s.TotalPower()));
  }
  EXPECT_EQ(Names(*w), (Waves{{"n0"}, {"n1", "n2", "n3"}, {"n4", "n5", "n6"}, {"n7", "n8", "n9"}}));
  // A node heavier than the shard's loss budget can never be restarted without losing quorum.
  EXPECT_FALSE(PlanWaves(MakeShard({4, 1, 1, 1, 1, 1, 1}), WaveInput{}).ok());
}

TEST(WavesTest, MarginAndMaxWaveSizeShrinkWaves) {
  Shard s = MakeShard({1, 1, 1, 1, 1, 1, 1});
  EXPECT_EQ(RequiredUpPower(s, QuorumRule::Bft(), 0.1), 6);  // > 7 * 0.767 = 5.37
  auto w = PlanWaves(s, WaveInput{{}, "", 0.1, 0, {}});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->size(), 7u);
  auto capped = PlanWaves(MakeShard({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), WaveInput{{}, "", 0, 1, {}});
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->size(), 10u);
}

TEST(WavesTest, LaggingNodesGoFirstAndCostNothing) {
  Shard s = MakeShard({1, 1, 1, 1, 1, 1, 1});
  auto w = PlanWaves(s, WaveInput{{"n5"}, "n0", 0, 0, {}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  // 6 in sync, quorum 5: one at a time after the lagging node.
  EXPECT_EQ(Names(*w), (Waves{{"n5"}, {"n1"}, {"n2"}, {"n3"}, {"n4"}, {"n6"}, {"n0"}}));
}

TEST(WavesTest, RaftMajorityRestartsThreeMembersOneByOneLeaderLast) {
  Shard s = MakeShard({1, 1, 1});  // bft would need all 3 up; a majority needs 2
  WaveInput in{{}, "n0", 0, 0, {}};
  EXPECT_FALSE(PlanWaves(s, in).ok());
  in.quorum = QuorumRule::Majority();
  auto w = PlanWaves(s, in);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(Names(*w), (Waves{{"n1"}, {"n2"}, {"n0"}}));
}

TEST(WavesTest, RefusesWhenOneNodeWouldBreakQuorum) {
  Shard s = MakeShard({1, 1, 1, 1});  // quorum 3 of 4
  auto w = PlanWaves(s, WaveInput{{"n3"}, "", 0, 0, {}});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message(),
            "shard 2: restarting n0 (voting power 1) would leave 2 of 4 up and in sync; at least "
            "3 must stay up. Bring lagging nodes back first.");
}

}  // namespace
}  // namespace shardctl
