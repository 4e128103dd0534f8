// The watch's per-shard state machine and its confirmation rule, on hand-made probe rounds
// and a fake clock.
#include <gtest/gtest.h>

#include "ops/watch/shard_watch.h"
#include "support/fake_shards.h"
#include "support/node_samples.h"

namespace shardctl {
namespace {

using testing::Answered;
using testing::MakeInventory;
using testing::Stopped;
using testing::TestPlaybook;
using testing::TimedOut;

class ShardWatchTest : public ::testing::Test {
 protected:
  ShardWatchTest() {
    policy_.interval = Duration(1000);
    policy_.halt_after = Duration(3000);
    policy_.confirm_for = Duration(2000);
  }

  // Every node of shard 0 answering at height h (Normal, one view).
  std::vector<NodeStatus> All(int64_t h) {
    std::vector<NodeStatus> out;
    for (const Node& n : inv_.shards[0].nodes) out.push_back(Answered(n.name, h));
    return out;
  }
  // Nodes 0 and 1 answering in view change on different views, 2..4 down.
  std::vector<NodeStatus> Trapped(int64_t h) {
    std::vector<NodeStatus> out;
    const auto& nodes = inv_.shards[0].nodes;
    out.push_back(Answered(nodes[0].name, h, "ViewChanging", 14));
    out.push_back(Answered(nodes[1].name, h, "ViewChanging", 17));
    for (size_t i = 2; i < nodes.size(); ++i) out.push_back(Stopped(nodes[i].name));
    return out;
  }
  // Every node answering, in view change on different views: quorum possible, no blocks.
  std::vector<NodeStatus> Stalled(int64_t h) {
    std::vector<NodeStatus> out;
    int64_t view = 14;
    for (const Node& n : inv_.shards[0].nodes)
      out.push_back(Answered(n.name, h, "ViewChanging", view++));
    return out;
  }
  std::vector<NodeStatus> Silent() {
    std::vector<NodeStatus> out;
    for (const Node& n : inv_.shards[0].nodes) out.push_back(TimedOut(n.name));
    return out;
  }
  void Tick() { clock_.Advance(policy_.interval); }

  FakeClock clock_;
  Inventory inv_ = MakeInventory(1, 5);
  Playbook pb_ = TestPlaybook();
  WatchPolicy policy_;
  ShardWatch w_{inv_.shards[0], pb_, policy_, clock_};
};

TEST_F(ShardWatchTest, CommittingWithEveryNodeInIsHealthyOneNodeDownIsDegraded) {
  auto c = w_.Observe(All(100));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, ShardState::kUnknown);
  EXPECT_EQ(c->to, ShardState::kHealthy);
  for (int h = 101; h < 110; ++h) {
    Tick();
    auto nodes = All(h);
    nodes[4] = Stopped(nodes[4].node);
    w_.Observe(nodes);
    EXPECT_EQ(w_.state(), ShardState::kDegraded) << h;
    EXPECT_FALSE(w_.Confirmed());
  }
  EXPECT_EQ(w_.snapshot().down, std::vector<std::string>{"s0-4: stopped"});
  EXPECT_GT(w_.snapshot().blocks_per_s, 0.5);
}

TEST_F(ShardWatchTest, NoBlockForHaltAfterIsHaltedAndViewTroubleIsStuck) {
  w_.Observe(All(100));
  Tick();
  w_.Observe(All(101));
  Tick();
  w_.Observe(Stalled(101));
  Tick();
  w_.Observe(Stalled(101));
  EXPECT_EQ(w_.state(), ShardState::kDegraded) << "2 s without a block is not halt_after (3 s)";
  Tick();
  auto c = w_.Observe(Stalled(101));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, ShardState::kStuck);
  EXPECT_NE(c->reason.find("no new block for 3.0s"), std::string::npos) << c->reason;
  auto halted = All(101);
  Tick();
  c = w_.Observe(halted);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, ShardState::kHalted) << "answering nodes agree again: halted, not stuck";
}

TEST_F(ShardWatchTest, StoppedNodesHoldingTooMuchPowerForAQuorumHaltAtOnce) {
  w_.Observe(All(100));
  Tick();
  auto c = w_.Observe(Trapped(100));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, ShardState::kStuck);
  EXPECT_NE(c->reason.find("no quorum possible: stopped nodes hold 3 of 5"), std::string::npos)
      << c->reason;
  EXPECT_NE(c->reason.find("s0-2: stopped"), std::string::npos) << c->reason;
  EXPECT_FALSE(w_.Confirmed()) << "acting still waits for for_s and a fresh round";
}

TEST_F(ShardWatchTest, ConfirmedOnlyAfterForAndNeverOnABlindRound) {
  w_.Observe(All(100));
  for (int i = 0; i < 3; ++i) {
    Tick();
    w_.Observe(Stalled(100));
  }
  ASSERT_EQ(w_.state(), ShardState::kStuck);
  EXPECT_FALSE(w_.Confirmed()) << "the verdict is new";
  Tick();
  w_.Observe(Stalled(100));
  EXPECT_FALSE(w_.Confirmed()) << "1 s of 2";
  Tick();
  w_.Observe(Silent());
  EXPECT_TRUE(w_.snapshot().last_round_blind);
  EXPECT_FALSE(w_.Confirmed()) << "for has passed, but the last round saw nothing";
  EXPECT_EQ(w_.state(), ShardState::kStuck) << "a blind round keeps the state";
  w_.Observe(Stalled(100));
  EXPECT_TRUE(w_.Confirmed());
}

TEST_F(ShardWatchTest, AProbeTimeoutAloneNeverMakesAHealthyShardHalted) {
  w_.Observe(All(100));
  for (int i = 0; i < 10; ++i) {
    Tick();
    EXPECT_FALSE(w_.Observe(Silent())) << "round " << i;
    EXPECT_FALSE(w_.Confirmed());
  }
  EXPECT_EQ(w_.state(), ShardState::kHealthy);
  Tick();
  w_.Observe(All(150));
  EXPECT_EQ(w_.state(), ShardState::kHealthy);
}

TEST_F(ShardWatchTest, EveryNodeDownIsEvidenceNotSilence) {
  w_.Observe(All(100));
  std::vector<NodeStatus> down;
  for (const Node& n : inv_.shards[0].nodes) down.push_back(Stopped(n.name));
  for (int i = 0; i < 3; ++i) {
    Tick();
    w_.Observe(down);
  }
  EXPECT_FALSE(w_.snapshot().last_round_blind);
  EXPECT_EQ(w_.state(), ShardState::kHalted);
}

TEST_F(ShardWatchTest, RecoveryRestartsTheHaltClockAndGaveUpHoldsUntilCommitting) {
  w_.Observe(All(100));
  for (int i = 0; i < 3; ++i) {
    Tick();
    w_.Observe(Trapped(100));
  }
  ASSERT_EQ(w_.state(), ShardState::kStuck);
  w_.BeginRecovery("run r1");
  Tick();
  EXPECT_FALSE(w_.Observe(Trapped(100))) << "recovering holds while the run works";
  auto c = w_.EndRecovery(false, "gave up");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, ShardState::kUnknown);
  Tick();
  w_.Observe(Trapped(100));
  EXPECT_NE(w_.state(), ShardState::kStuck) << "a full halt_after must pass again";
  for (int i = 0; i < 3; ++i) {
    Tick();
    w_.Observe(Trapped(100));
  }
  EXPECT_EQ(w_.state(), ShardState::kStuck);
  w_.GiveUp("max_recoveries");
  Tick();
  EXPECT_FALSE(w_.Observe(Trapped(100)));
  EXPECT_EQ(w_.state(), ShardState::kGaveUp);
  EXPECT_FALSE(w_.Confirmed());
  Tick();
  c = w_.Observe(All(120));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, ShardState::kHealthy);
}

}  // namespace
}  // namespace shardctl
