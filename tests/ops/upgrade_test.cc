// upgrade on the fake network (UpgradeTestPlaybook): staging, canaries first, waves, the version
// check, a failing node put back, --stage-only and the re-verification that follows it.
#include "ops/upgrade/upgrade.h"

#include <gtest/gtest.h>

#include "ops/upgrade/rollback.h"
#include "ops/upgrade/stage.h"
#include "support/fake_run_test.h"

namespace shardctl::upgrade {
namespace {

class UpgradeTest : public testing::FakeRunTest {
 protected:
  void SetUp() override {
    pb_ = testing::UpgradeTestPlaybook();
    // The shards' canaries soak on two threads sharing one fake clock: one thread's sleep moves
    // the other's probes of one sample apart in time, so their heights differ by more than the
    // usual lag.
    pb_.gate.max_lag = 1000;
    Build(2, 5);
    for (const Shard& s : inv_.shards) {
      net_->shard(s.id).quorum_live = true;
      net_->SetHealthy(s.id, true);
      for (const Node& n : s.nodes) options_.targets.insert(n.name);
    }
    release_.source = "test";
    release_.bytes = "release v2";
    release_.sha256 = Sha256Hex(release_.bytes);
    net_->AddRelease(release_.sha256, "v2");
  }

  WaveReport Upgrade(bool allow_partial = false) {
    RunContext ctx = Context();
    UpgradeActionOptions action;
    action.run = {release_.sha256, "v2", ""};
    action.allow_partial = allow_partial;
    auto report = RunUpgrade(ctx, release_, action, options_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : WaveReport{};
  }

  std::vector<std::string> Sent(const std::string& verb) {
    std::vector<std::string> out;
    for (const auto& c : net_->transport().calls()) {
      if (c.command.rfind(verb + " ", 0) == 0) out.push_back(c.node);
    }
    return out;
  }

  Artifact release_;
  WaveOptions options_;
};

TEST_F(UpgradeTest, StagesThenEveryShardsCanaryThenTheWavesAndEveryNodeRunsTheRelease) {
  WaveReport r = Upgrade();
  EXPECT_TRUE(r.AllDone()) << RenderWaveText(r);
  for (const Node* n : inv_.AllNodes()) {
    EXPECT_EQ(net_->node(n->name).version, "v2") << n->name;
    EXPECT_EQ(net_->node(n->name).starts, 1) << n->name;
    EXPECT_EQ(net_->node(n->name).stage_sends, 1) << n->name;
  }
  EXPECT_EQ(Count("run", "begin"), 1);
  EXPECT_EQ(Count("run", "finished"), 1);
  EXPECT_EQ(Count("staging", "ok"), 1);
  EXPECT_EQ(Count("soak", "ok"), 2);
  // Every shard's canary soaked before any shard's second wave began.
  int waves = 0, soaked = 0;
  for (const auto& j : JournalLines()) {
    if (j["step"] == "wave" && j["outcome"] == "begin") ++waves;
    if (j["step"] == "soak" && j["outcome"] == "ok" && ++soaked == 2) {
      EXPECT_EQ(waves, 2);
    }
  }
  // Every stage went out with its begin journaled first (NodeOps), the release on stdin.
  for (const auto& c : net_->transport().CallsMatching("", "stage ")) {
    EXPECT_TRUE(c.has_stdin);
    EXPECT_EQ(c.stdin_data, release_.bytes);
  }
}

TEST_F(UpgradeTest, StageOnlyTouchesNoRunningNodeAndTheUpgradeReverifiesInsteadOfResending) {
  RunContext ctx = Context();
  auto staged = RunStageOnly(ctx, release_, {release_.sha256, "v2", ""}, options_);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_TRUE(staged->AllDone()) << RenderWaveText(*staged);
  EXPECT_EQ(staged->verb, "staged");
  EXPECT_TRUE(Sent("stop").empty());
  EXPECT_TRUE(Sent("start").empty());
  EXPECT_EQ(Count("run", "begin"), 1);
  EXPECT_EQ(Count("run", "finished"), 1);

  journal_ = std::move(Journal::Open(dir_.path(), "upgrade-run", clock_).value());
  WaveReport r = Upgrade();
  EXPECT_TRUE(r.AllDone()) << RenderWaveText(r);
  for (const Node* n : inv_.AllNodes()) {
    EXPECT_EQ(net_->node(n->name).stage_sends, 1) << n->name << ": sent again";
    EXPECT_EQ(net_->node(n->name).version, "v2") << n->name;
  }
  EXPECT_EQ(Count("stage", "staged"), 10);
}

TEST_F(UpgradeTest, ANodeThatFailsOnTheReleaseGetsItsPreviousBinaryBackAndNothingSpreads) {
  net_->FailsToStart("v2");
  WaveReport r = Upgrade();
  EXPECT_FALSE(r.AllDone());
  ASSERT_EQ(r.shards.size(), 2u);
  const WaveShardReport& first = r.shards[0];
  EXPECT_EQ(first.verdict, Phase::kGaveUp) << first.reason;
  ASSERT_EQ(first.rolled_back.size(), 1u) << RenderWaveText(r);
  const testing::FakeNode& canary = net_->node(first.rolled_back[0].first);
  EXPECT_EQ(canary.version, "v1");
  EXPECT_TRUE(canary.running);
  // The failure spent the run's budget (0): the other shard is not touched at all.
  EXPECT_EQ(r.shards[1].reason, "failure budget spent before it began");
  EXPECT_EQ(Sent("swap").size(), 1u) << "only the first canary was swapped";
  EXPECT_EQ(Count("node", "rolled-back"), 1);
}

TEST_F(UpgradeTest, RollbackPutsThePreviousBinaryBackInWaves) {
  ASSERT_TRUE(Upgrade().AllDone());
  journal_ = std::move(Journal::Open(dir_.path(), "rollback-run", clock_).value());
  RunContext ctx = Context();
  auto r = RunRollback(ctx, options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->AllDone()) << RenderWaveText(*r);
  EXPECT_EQ(r->run.command, "rollback");
  for (const Node* n : inv_.AllNodes()) {
    EXPECT_EQ(net_->node(n->name).version, "v1") << n->name;
    EXPECT_EQ(net_->node(n->name).starts, 2) << n->name;
  }
  EXPECT_EQ(Count("run", "begin"), 1);
  EXPECT_EQ(Count("node", "done"), 10);
}

TEST_F(UpgradeTest, AFailedStagingStopsNoNodeUnlessAllowPartialLeavesItOut) {
  net_->node("s1-3").stage_fails = true;
  WaveReport r = Upgrade();
  EXPECT_FALSE(r.AllDone());
  EXPECT_TRUE(Sent("stop").empty()) << "a failed staging restarts nothing";
  EXPECT_NE(r.shards[0].reason.find("staging failed on 1 of 10 node(s)"), std::string::npos)
      << r.shards[0].reason;

  journal_ = std::move(Journal::Open(dir_.path(), "partial-run", clock_).value());
  r = Upgrade(/*allow_partial=*/true);
  EXPECT_EQ(net_->node("s1-3").version, "v1");
  EXPECT_EQ(r.shards[1].skipped, std::vector<std::string>{"s1-3"});
  EXPECT_EQ(net_->node("s0-2").version, "v2");
}

TEST_F(UpgradeTest, AStopDuringTheCanariesFinishesTheWaveInFlightAndTouchesNoOtherShard) {
  net_->before = [this](const std::string& verb, const std::string&) {
    if (verb == "swap") stop_.Cancel();
  };
  WaveReport r = Upgrade();
  EXPECT_TRUE(r.run.interrupted);
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_EQ(r.shards[0].done.size(), 1u) << "the canary in flight finished";
  EXPECT_EQ(r.shards[1].verdict, Phase::kCancelled);
  for (const Node& n : inv_.shards[1].nodes) EXPECT_EQ(net_->node(n.name).starts, 0) << n.name;
  EXPECT_EQ(Count("run", "interrupted"), 1);
}

}  // namespace
}  // namespace shardctl::upgrade
