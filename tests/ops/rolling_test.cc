#include "ops/rolling/rolling.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_run_test.h"

namespace shardctl {
namespace {

using testing::FakeShards;

class RollingTest : public testing::FakeRunTest {
 protected:
  void SetUp() override { Build(1, 7); }

  void Build(int shards, int nodes) {
    FakeRunTest::Build(shards, nodes);
    for (const Shard& s : inv_.shards) {
      net_->shard(s.id).quorum_live = true;
      net_->SetHealthy(s.id, true);
    }
  }

  WaveOptions AllNodes() {
    WaveOptions o;
    for (const Shard& s : inv_.shards) {
      for (const Node& n : s.nodes) o.targets.insert(n.name);
    }
    return o;
  }

  WaveReport Run(const WaveOptions& o) {
    RunContext ctx = Context();
    auto report = RollingRestart(ctx, o);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : WaveReport{};
  }

  /// Nodes named in commands starting with verb, in call order.
  std::vector<std::string> Called(const std::string& verb) {
    std::vector<std::string> out;
    for (const auto& c : net_->transport().calls()) {
      if (c.command.rfind(verb + " ", 0) == 0) out.push_back(c.command.substr(verb.size() + 1));
    }
    return out;
  }
};

TEST_F(RollingTest, RestartsEveryNodeOnceInQuorumSafeWavesLeaderLast) {
  WaveReport r = Run(AllNodes());
  ASSERT_EQ(r.shards.size(), 1u);
  const WaveShardReport& s = r.shards[0];
  EXPECT_TRUE(r.AllDone()) << s.reason;
  EXPECT_EQ(s.done.size(), 7u);
  for (const Node& n : inv_.shards[0].nodes) EXPECT_EQ(net_->node(n.name).starts, 1) << n.name;
  for (const auto& wave : s.waves) EXPECT_LE(wave.size(), 2u);  // quorum 5 of 7
  ASSERT_FALSE(s.waves.empty());
  EXPECT_EQ(s.waves.back(), std::vector<std::string>{"s0-0"});  // the fake's leader
  EXPECT_EQ(Called("stop").back(), "s0-0");
}

TEST_F(RollingTest, SpentFailureBudgetStartsNothingNewAndSkipsTheRest) {
  Build(2, 7);
  pb_.parallel_shards = 1;
  net_->node("s0-1").bad_binary = true;
  net_->node("s0-1").restore_fixes = false;
  WaveReport r = Run(AllNodes());
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_EQ(r.failures, 1);
  EXPECT_TRUE(r.BudgetSpent());
  EXPECT_FALSE(r.AllDone());
  ASSERT_EQ(r.shards[0].failed.size(), 1u);
  EXPECT_EQ(r.shards[0].failed[0].first, "s0-1");
  EXPECT_NE(r.shards[0].failed[0].second.find("still fails verification"), std::string::npos);
  EXPECT_EQ(r.shards[1].skipped.size(), 7u) << "shard 1 must not start once the budget is spent";
  for (int n = 0; n < 7; ++n) EXPECT_EQ(net_->node("s1-" + std::to_string(n)).starts, 0);
  // Nodes of the first wave finished; nothing after it began.
  EXPECT_EQ(r.shards[0].done.size() + r.shards[0].failed.size() + r.shards[0].skipped.size(), 7u);
  EXPECT_FALSE(r.shards[0].skipped.empty());
}

TEST_F(RollingTest, BudgetOfOneToleratesOneFailure) {
  net_->node("s0-1").bad_binary = true;
  net_->node("s0-1").restore_fixes = false;
  WaveOptions o = AllNodes();
  o.failure_budget = 1;
  WaveReport r = Run(o);
  EXPECT_EQ(r.failures, 1);
  EXPECT_FALSE(r.BudgetSpent());
  EXPECT_EQ(r.shards[0].done.size(), 6u);
  EXPECT_TRUE(r.shards[0].skipped.empty());
}

TEST_F(RollingTest, AHaltedShardIsNotTouched) {
  net_->SetHealthy(0, false);
  WaveReport r = Run(AllNodes());
  ASSERT_EQ(r.shards.size(), 1u);
  EXPECT_EQ(r.shards[0].verdict, Phase::kGaveUp);
  EXPECT_NE(r.shards[0].reason.find("not healthy"), std::string::npos) << r.shards[0].reason;
  EXPECT_TRUE(Called("stop").empty());
  EXPECT_EQ(r.shards[0].skipped.size(), 7u);
  EXPECT_EQ(r.failures, 0) << "a refused shard is not a node failure";
}

TEST_F(RollingTest, ResumeOnlyWaitsForAStartedNodeAndStartsAStoppedOne) {
  net_->StopNode("s0-2");
  WaveOptions o = AllNodes();
  o.in_flight["s0-1"] = NodeHistory{NodeProgress::kInFlight, CommandId::kStart, true, ""};
  o.in_flight["s0-2"] = NodeHistory{NodeProgress::kInFlight, CommandId::kStop, false, ""};
  o.resumed = true;
  WaveReport r = Run(o);
  EXPECT_TRUE(r.AllDone()) << r.shards[0].reason;
  EXPECT_EQ(net_->node("s0-1").starts, 0) << "its start already went out: never a second one";
  EXPECT_EQ(net_->node("s0-2").starts, 1);
  auto stops = Called("stop");
  EXPECT_EQ(std::count(stops.begin(), stops.end(), "s0-1"), 0);
  EXPECT_EQ(std::count(stops.begin(), stops.end(), "s0-2"), 0);
  EXPECT_EQ(stops.size(), 5u);
  EXPECT_EQ(r.shards[0].waves.front(), (std::vector<std::string>{"s0-1", "s0-2"}));
}

TEST_F(RollingTest, StopBetweenWavesFinishesTheWaveInFlightAndStartsNoOther) {
  net_->before = [this](const std::string& verb, const std::string&) {
    if (verb == "start") stop_.Cancel();
  };
  WaveReport r = Run(AllNodes());
  EXPECT_TRUE(r.run.interrupted);
  const WaveShardReport& s = r.shards[0];
  EXPECT_EQ(s.verdict, Phase::kCancelled);
  ASSERT_EQ(s.waves.size(), 1u);
  EXPECT_EQ(s.done.size(), s.waves[0].size()) << "the wave in flight is finished, not abandoned";
  EXPECT_EQ(s.not_started.size(), 7u - s.done.size());
  for (const Node& n : inv_.shards[0].nodes) EXPECT_TRUE(net_->node(n.name).running) << n.name;
}

}  // namespace
}  // namespace shardctl
