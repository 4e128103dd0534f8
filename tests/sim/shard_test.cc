// Whole shards on the in-memory network and a fake clock: liveness, halting, restarts and the
// 2019 shard-1 trap emerging from the rules (docs/sandbox.md).
#include <gtest/gtest.h>

#include <set>

#include "sim/sim_network.h"

namespace vsim {
namespace {

using std::chrono::seconds;

class Shard {
 public:
  explicit Shard(std::vector<uint64_t> power) : net(std::move(power), ConsensusParams{}, &clock) {
    for (uint32_t i = 0; i < net.size(); ++i) net.Start(i);
  }
  void Kill(const std::vector<uint32_t>& nodes) {
    for (uint32_t i : nodes) net.Kill(i);
  }
  void Start(const std::vector<uint32_t>& nodes) {
    for (uint32_t i : nodes) net.Start(i);
  }
  std::vector<uint32_t> All() const {
    std::vector<uint32_t> all;
    for (uint32_t i = 0; i < net.size(); ++i) all.push_back(i);
    return all;
  }
  /// Runs until a block above `height` commits; returns how long that took (or nullopt).
  std::optional<Duration> TimeToBlockAbove(uint64_t height, Duration limit) {
    TimePoint t0 = clock.Now();
    if (!net.RunUntil([&] { return net.MaxHeight() > height; }, limit)) return std::nullopt;
    return clock.Now() - t0;
  }
  /// The view of the running nodes, once they agree (asserts they do).
  uint64_t View() {
    uint64_t v = net.node(0).State().view;
    return v;
  }

  shardctl::FakeClock clock;
  SimNetwork net;
};

TEST(Shard, FourNodesCommitBlocksInOneView) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(3));
  EXPECT_GE(s.net.MaxHeight(), 10u);
  for (uint32_t i = 0; i < 4; ++i) {
    NodeState st = s.net.node(i).State();
    EXPECT_EQ(st.mode, Mode::kNormal) << i;
    EXPECT_EQ(st.view, 0u) << i;
    EXPECT_GE(st.height + 1, s.net.MaxHeight()) << i;
    EXPECT_EQ(s.net.disk(i).size(), st.height) << "every block is persisted";
  }
}

TEST(Shard, LosingAQuarterOfThePowerKeepsCommitting) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(1));
  s.Kill({3});
  uint64_t h = s.net.MaxHeight();
  s.net.RunFor(seconds(3));
  EXPECT_GE(s.net.MaxHeight(), h + 10);
}

TEST(Shard, LosingMoreThanAThirdHalts) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(1));
  s.Kill({2, 3});
  s.net.RunFor(seconds(1));  // a proposal in flight may still commit
  uint64_t h = s.net.MaxHeight();
  s.net.RunFor(seconds(10));
  EXPECT_EQ(s.net.MaxHeight(), h);
  EXPECT_EQ(s.net.node(0).State().mode, Mode::kViewChanging);
  EXPECT_EQ(s.net.node(1).State().mode, Mode::kViewChanging);
}

TEST(Shard, RestartingAfterAShortOutageResumes) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(1));
  s.Kill({2, 3});
  s.net.RunFor(seconds(3));
  uint64_t h = s.net.MaxHeight();
  s.Start({2, 3});
  auto took = s.TimeToBlockAbove(h, seconds(30));
  ASSERT_TRUE(took.has_value());
  s.net.RunFor(seconds(2));
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(s.net.node(i).State().mode, Mode::kNormal) << i;
}

TEST(Shard, QuorumCountsVotingPowerNotNodes) {
  Shard heavy_down({5, 1, 1, 1});  // total 8, quorum 6
  heavy_down.net.RunFor(seconds(1));
  heavy_down.Kill({0});  // 3 of 4 nodes stay, but only power 3
  heavy_down.net.RunFor(seconds(1));
  uint64_t h = heavy_down.net.MaxHeight();
  heavy_down.net.RunFor(seconds(10));
  EXPECT_EQ(heavy_down.net.MaxHeight(), h);

  Shard light_down({5, 1, 1, 1});
  light_down.net.RunFor(seconds(1));
  light_down.Kill({1, 2});  // half the nodes go, power 6 of 8 stays
  h = light_down.net.MaxHeight();
  light_down.net.RunFor(seconds(5));
  EXPECT_GE(light_down.net.MaxHeight(), h + 5);
}

TEST(Shard, RestartedNodeSyncsSetsViewLastPlusOneThenRejoins) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(1));
  s.Kill({1});
  s.net.RunFor(seconds(2));
  s.Start({1});
  ASSERT_TRUE(
      s.net.RunUntil([&] { return s.net.node(1).State().mode != Mode::kSyncing; }, seconds(2)));
  NodeState st = s.net.node(1).State();
  EXPECT_GE(st.height + 1, s.net.MaxHeight()) << "synced the blocks it missed";
  EXPECT_EQ(st.view, s.net.disk(1).back().view + 1);
  s.net.RunFor(seconds(2));  // a quorum-signed commit brings it into the shard's view
  st = s.net.node(1).State();
  EXPECT_EQ(st.mode, Mode::kNormal);
  EXPECT_EQ(st.view, s.net.node(0).State().view);
  EXPECT_GE(st.height + 1, s.net.MaxHeight());
}

TEST(Shard, RollingRestartOfEveryNodeKeepsTheShardLive) {
  Shard s({1, 1, 1, 1});
  s.net.RunFor(seconds(1));
  for (uint32_t i = 0; i < 4; ++i) {  // rolling safety: next node only after new blocks
    s.Kill({i});
    s.net.RunFor(seconds(1));
    s.Start({i});
    uint32_t other = (i + 1) % 4;
    uint64_t h = s.net.MaxHeight();
    bool back = s.net.RunUntil(
        [&] {
          NodeState st = s.net.node(i).State();
          return st.mode == Mode::kNormal && st.view == s.net.node(other).State().view &&
                 st.height + 1 >= s.net.MaxHeight() && s.net.MaxHeight() >= h + 3;
        },
        seconds(5));
    ASSERT_TRUE(back) << "node " << i << " did not rejoin a live shard";
  }
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(s.net.node(i).State().mode, Mode::kNormal);
}

/// 5 nodes (quorum 4) kill 3, leaving the 2 that lead views v and v + 2 alive: the setting
/// docs/sandbox.md gives (17 s after a 10 s outage, 122 s after 30 s). Returns the shard.
std::unique_ptr<Shard> OutageOfThree(seconds outage, std::vector<uint32_t>* dead,
                                     uint64_t* height) {
  auto s = std::make_unique<Shard>(std::vector<uint64_t>{1, 1, 1, 1, 1});
  s->net.RunFor(seconds(2));
  uint32_t v = static_cast<uint32_t>(s->View());
  *dead = {(v + 1) % 5, (v + 3) % 5, (v + 4) % 5};
  s->Kill(*dead);
  s->net.RunFor(outage);
  *height = s->net.MaxHeight();
  return s;
}

TEST(Shard, TrapRestartingOnlyTheDeadAfter30sDoesNotRecover) {
  std::vector<uint32_t> dead;
  uint64_t h = 0;
  auto s = OutageOfThree(seconds(30), &dead, &h);
  s->Start(dead);
  EXPECT_FALSE(s->TimeToBlockAbove(h, seconds(30)).has_value());
  std::set<uint64_t> ids;
  for (uint32_t i = 0; i < 5; ++i) {
    NodeState st = s->net.node(i).State();
    EXPECT_EQ(st.mode, Mode::kViewChanging) << i;
    ids.insert(st.view_change_id);
  }
  EXPECT_GE(ids.size(), 2u) << "the two groups sit in different view-change rounds";

  s->Kill(s->All());  // the cure: stop all, start all together
  s->Start(s->All());
  auto took = s->TimeToBlockAbove(h, seconds(3));
  ASSERT_TRUE(took.has_value());
  EXPECT_LE(*took, seconds(2));
}

TEST(Shard, TrapDeepensWithOutageLength) {
  std::vector<uint32_t> dead;
  uint64_t h = 0;
  auto short_outage = OutageOfThree(seconds(10), &dead, &h);
  short_outage->Start(dead);
  auto took = short_outage->TimeToBlockAbove(h, seconds(60));
  ASSERT_TRUE(took.has_value());
  EXPECT_GE(*took, seconds(10));
  EXPECT_LE(*took, seconds(20));  // reference model: 17 s

  auto long_outage = OutageOfThree(seconds(30), &dead, &h);
  long_outage->Start(dead);
  took = long_outage->TimeToBlockAbove(h, seconds(300));
  ASSERT_TRUE(took.has_value());
  EXPECT_GE(*took, seconds(110));
  EXPECT_LE(*took, seconds(130));  // reference model: 122 s
}

TEST(Shard, WholeShardRestartRecoversEvenWhenStartsAreStaggered) {
  std::vector<uint32_t> dead;
  uint64_t h = 0;
  auto s = OutageOfThree(seconds(60), &dead, &h);
  s->Kill(s->All());
  for (uint32_t i = 0; i < 5; ++i) {  // 150 ms apart, as a sequential SSH fan-out might
    s->net.Start(i);
    s->net.RunFor(Duration(150));
  }
  auto took = s->TimeToBlockAbove(h, seconds(5));
  ASSERT_TRUE(took.has_value());
}

}  // namespace
}  // namespace vsim
