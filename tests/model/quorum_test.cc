#include "model/quorum.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

TEST(QuorumTest, BftIsStrictlyMoreThanTwoThirds) {
  QuorumRule bft = QuorumRule::Bft();
  EXPECT_EQ(bft.Required(3), 3);  // 2 of 3 is exactly 2/3: not enough
  EXPECT_EQ(bft.Required(4), 3);  // 3 of 4 > 2.67
  EXPECT_EQ(bft.Required(5), 4);
  EXPECT_EQ(bft.Required(6), 5);
  EXPECT_FALSE(bft.Holds(2, 3));
}

TEST(QuorumTest, MajorityIsStrictlyMoreThanHalf) {
  QuorumRule raft = QuorumRule::Majority();
  EXPECT_EQ(raft.Required(3), 2);  // a 3-member etcd cluster survives one member down
  EXPECT_EQ(raft.Required(4), 3);
  EXPECT_EQ(raft.Required(5), 3);
  EXPECT_TRUE(raft.Holds(2, 3));
}

TEST(QuorumTest, FractionAndMarginAreStrict) {
  EXPECT_EQ(QuorumRule::Fraction(0.75).Required(4), 4);
  EXPECT_EQ(QuorumRule::Fraction(0.6).Required(5), 4);
  // 7 * (2/3 + 0.1) = 5.37: 6 must stay up; never more than the whole shard.
  EXPECT_EQ(QuorumRule::Bft().RequiredWithMargin(7, 0.1), 6);
  EXPECT_EQ(QuorumRule::Majority().RequiredWithMargin(3, 0.3), 3);
  EXPECT_EQ(QuorumRule::Majority().RequiredWithMargin(3, 0), 2);
}

}  // namespace
}  // namespace shardctl
