#include "consensus/gate.h"

#include <gtest/gtest.h>

#include "support/fake_shards.h"
#include "support/node_samples.h"

namespace shardctl {
namespace {

using testing::Answered;

NodeStatus Down(const std::string& name) {
  NodeStatus s;
  s.node = name;
  return s;
}

class GateTest : public ::testing::Test {
 protected:
  TimePoint At(int64_t ms) { return TimePoint(Duration(ms)); }
  std::vector<NodeStatus> Normal(int64_t h) {
    return {Answered("a", h, "Normal", 7), Answered("b", h, "Normal", 7),
            Answered("c", h, "Normal", 7), Answered("d", h - 1, "Normal", 7), Down("e")};
  }
  Playbook pb_ = testing::TestPlaybook();  // N=5, T=30s, L=3, S=10s
};

TEST_F(GateTest, HealthyNeedsNewBlocksAndAQuorumInSync) {
  GateTracker g(pb_, 100, At(0));
  EXPECT_EQ(g.Add(At(1000), Normal(102)), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(2000), Normal(105)), GateTracker::Verdict::kHealthy);
  EXPECT_EQ(g.last().normal_in_sync_power, 4);
  EXPECT_NE(g.reason().find("+5 blocks"), std::string::npos) << g.reason();
}

TEST_F(GateTest, LaggingNodesDoNotCountTowardTheQuorum) {
  GateTracker g(pb_, 100, At(0));
  auto sample = Normal(110);
  sample[3].fields.height = 106;  // 4 behind, L = 3
  EXPECT_EQ(g.Add(At(1000), sample), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.last().normal_in_sync_power, 3);
}

TEST_F(GateTest, BaselineDefaultsToTheFirstSample) {
  GateTracker g(pb_, -1, At(0));
  EXPECT_EQ(g.Add(At(0), Normal(500)), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.baseline(), 500);
  EXPECT_EQ(g.Add(At(1000), Normal(505)), GateTracker::Verdict::kHealthy);
}

TEST_F(GateTest, StuckAfterSOfViewChangeWithoutProgress) {
  GateTracker g(pb_, 100, At(0));
  std::vector<NodeStatus> vc = {Answered("a", 100, "ViewChanging", 7),
                                Answered("b", 100, "Normal", 9),
                                Answered("c", 100, "ViewChanging", 8), Down("d"), Down("e")};
  EXPECT_EQ(g.Add(At(0), vc), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(9999), vc), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(10000), vc), GateTracker::Verdict::kStuck);
  EXPECT_NE(g.reason().find("stuck in view change for 10.0s"), std::string::npos) << g.reason();
  EXPECT_NE(g.reason().find("views {7,8,9}"), std::string::npos) << g.reason();
}

TEST_F(GateTest, ProgressResetsTheStuckTimer) {
  GateTracker g(pb_, 100, At(0));
  auto split = Normal(100);
  split[0].fields.view_id = 8;  // disagreement on the view
  EXPECT_EQ(g.Add(At(0), split), GateTracker::Verdict::kPending);
  split = Normal(101);
  split[0].fields.view_id = 8;
  EXPECT_EQ(g.Add(At(6000), split), GateTracker::Verdict::kPending);  // progress
  EXPECT_EQ(g.Add(At(12000), split), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(21999), split), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(22000), split), GateTracker::Verdict::kStuck);
}

TEST_F(GateTest, HaltedAfterTWithoutBlocks) {
  GateTracker g(pb_, 100, At(0));
  EXPECT_EQ(g.Add(At(29999), Normal(100)), GateTracker::Verdict::kPending);
  EXPECT_EQ(g.Add(At(30000), Normal(100)), GateTracker::Verdict::kHalted);
  EXPECT_NE(g.reason().find("halted: no new block within 30.0s"), std::string::npos);
}

TEST_F(GateTest, NobodyAnsweringIsSaidSo) {
  GateTracker g(pb_, 100, At(0));
  EXPECT_EQ(g.Add(At(30000), {Down("a"), Down("b")}), GateTracker::Verdict::kHalted);
  EXPECT_EQ(g.reason(), "no node answered the probe within 30.0s");
}

TEST_F(GateTest, VotingPowerWeighsNodes) {
  std::vector<NodeStatus> s = {
      Answered("big", 200, "Normal", 1, 8), Answered("x", 200, "Syncing", 1, 1),
      Answered("y", 200, "Syncing", 1, 1), Answered("z", 200, "Syncing", 1, 1)};
  GateTracker g(pb_, 190, At(0));
  EXPECT_EQ(g.Add(At(1000), s), GateTracker::Verdict::kHealthy);  // 8 of 11 > 2/3
}

}  // namespace
}  // namespace shardctl
