// Every guardrail between a confirmed verdict and a recovery, on a fake clock.
#include <gtest/gtest.h>

#include "ops/watch/guardrails.h"

namespace shardctl {
namespace {

class GuardrailsTest : public ::testing::Test {
 protected:
  GuardrailsTest() {
    policy_.max_recoveries = 2;
    policy_.window = Duration(600000);
    policy_.max_shards_at_once = 2;
    policy_.correlated_shards = 2;
    policy_.correlated_window = Duration(60000);
    policy_.after_deploy = Duration(300000);
  }

  Decision One(int shard) { return g_.Decide({shard}, facts_).front(); }

  FakeClock clock_;
  WatchPolicy policy_;
  Guardrails g_{policy_, clock_};
  FleetFacts facts_{.act = true};
};

TEST_F(GuardrailsTest, GoesWhenNothingHoldsItBack) {
  g_.NoteHalt(0);
  Decision d = One(0);
  EXPECT_TRUE(d.go) << d.detail;
}

TEST_F(GuardrailsTest, DryRunIsTheDefaultAndSaysWhatItWouldDo) {
  facts_.act = false;
  Decision d = One(3);
  EXPECT_FALSE(d.go);
  EXPECT_EQ(d.held, Guardrail::kDryRun);
  EXPECT_NE(d.detail.find("would recover shard 3"), std::string::npos) << d.detail;
}

TEST_F(GuardrailsTest, AnObserverAndAPausedWatcherDoNothing) {
  facts_.actor = false;
  facts_.actor_name = "bob@ops-2";
  EXPECT_EQ(One(0).held, Guardrail::kNotActor);
  EXPECT_NE(One(0).detail.find("bob@ops-2"), std::string::npos);
  facts_.actor = true;
  facts_.paused = true;
  facts_.pause_reason = "release at 14:00";
  EXPECT_EQ(One(0).held, Guardrail::kPaused);
  EXPECT_NE(One(0).detail.find("release at 14:00"), std::string::npos);
}

TEST_F(GuardrailsTest, MaxRecoveriesPerWindowThenGiveUpUntilTheWindowSlides) {
  g_.NoteRecovery(1);
  clock_.Advance(Duration(1000));
  g_.NoteRecovery(1);
  Decision d = One(1);
  EXPECT_EQ(d.held, Guardrail::kMaxRecoveries);
  EXPECT_NE(d.detail.find("2 recoveries"), std::string::npos) << d.detail;
  EXPECT_TRUE(One(2).go) << "the budget is per shard";
  clock_.Advance(policy_.window);
  EXPECT_TRUE(One(1).go) << "recoveries older than the window no longer count";
}

TEST_F(GuardrailsTest, MoreThanCorrelatedShardsHaltingNeedApprovalEach) {
  g_.NoteHalt(0);
  g_.NoteHalt(1);
  EXPECT_TRUE(One(0).go) << "two halting is not more than correlated_shards (2)";
  g_.NoteHalt(2);
  for (int shard : {0, 1, 2}) {
    Decision d = One(shard);
    EXPECT_EQ(d.held, Guardrail::kCorrelated) << shard;
    EXPECT_NE(d.detail.find("watch approve " + std::to_string(shard)), std::string::npos);
  }
  g_.Approve(1);
  EXPECT_TRUE(One(1).go);
  EXPECT_EQ(One(0).held, Guardrail::kCorrelated);
  g_.EndIncident(1);
  EXPECT_EQ(One(1).held, Guardrail::kCorrelated) << "an approval lapses with its incident";
  clock_.Advance(policy_.correlated_window + Duration(1));
  EXPECT_TRUE(One(0).go) << "halts older than the window are not correlated";
}

TEST_F(GuardrailsTest, AVersionChangeSeenRecentlyNeedsApproval) {
  g_.NoteDeploy("s0-1 v1 -> v2");
  Decision d = One(0);
  EXPECT_EQ(d.held, Guardrail::kAfterDeploy);
  EXPECT_NE(d.detail.find("s0-1 v1 -> v2"), std::string::npos) << d.detail;
  g_.Approve(0);
  EXPECT_TRUE(One(0).go);
  clock_.Advance(policy_.after_deploy);
  EXPECT_TRUE(One(1).go);
}

TEST_F(GuardrailsTest, ApprovalGivesAGaveUpShardItsRecoveriesBack) {
  g_.NoteRecovery(0);
  g_.NoteRecovery(0);
  EXPECT_EQ(One(0).held, Guardrail::kMaxRecoveries);
  g_.Approve(0);
  EXPECT_EQ(g_.RecoveriesInWindow(0), 0);
  EXPECT_TRUE(One(0).go);
}

TEST_F(GuardrailsTest, MaxShardsAtOnceAndARunInFlightMakeTheRestWait) {
  auto ds = g_.Decide({0, 1, 2}, facts_);
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_TRUE(ds[0].go);
  EXPECT_TRUE(ds[1].go);
  EXPECT_FALSE(ds[2].go);
  EXPECT_EQ(ds[2].held, Guardrail::kMaxShardsAtOnce);
  facts_.run_in_flight = true;
  EXPECT_EQ(One(0).held, Guardrail::kRecoveryInFlight);
}

}  // namespace
}  // namespace shardctl
