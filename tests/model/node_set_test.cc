#include "model/node_set.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

TEST(NodeSetTest, FoldsNumericSuffixesIntoRanges) {
  EXPECT_EQ(FoldNodeNames({"n0", "n1", "n2", "n3"}), "n[0-3]");
  EXPECT_EQ(FoldNodeNames({"s0-n0", "s0-n1", "s0-n3", "s1-n4"}), "s0-n[0-1,3],s1-n4");
  EXPECT_EQ(FoldNodeNames({"b10", "b9", "b11"}), "b[9-11]");
}

TEST(NodeSetTest, LeavesOtherNamesAlone) {
  EXPECT_EQ(FoldNodeNames({"alpha", "beta"}), "alpha,beta");
  EXPECT_EQ(FoldNodeNames({"n01", "n02"}), "n01,n02");  // leading zeros would not round-trip
  EXPECT_EQ(FoldNodeNames({}), "");
}

}  // namespace
}  // namespace shardctl
