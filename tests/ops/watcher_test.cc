// The watcher on a fake network (FakeShards behind a FakeTransport, a FakeClock): states,
// confirmation, every guardrail, the control lines, the election and finishing a run a dead
// actor left, with a fake launcher standing in for the recovery runs.
#include "ops/watch/watcher.h"

#include <gtest/gtest.h>

#include "model/json_text.h"
#include "support/fake_shards.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using testing::FakeShards;

class FakeLauncher : public RecoveryLauncher {
 public:
  Result<std::string> Start(const Request& r, BeforeFn before, ProgressFn progress) override {
    if (on_start) on_start();
    if (!refuse.ok()) return refuse;
    std::string id = "run-" + std::to_string(requests.size() + 1);
    SHARDCTL_RETURN_IF_ERROR(before(id));
    requests.push_back(r);
    running = true;
    current = id;
    std::map<int, RecoverResume> p;
    for (int s : r.shards) p[s] = r.resume.count(s) ? r.resume.at(s) : RecoverResume{};
    progress(id, p);
    return id;
  }
  std::optional<Finished> Poll() override {
    if (!done) return std::nullopt;
    auto f = done;
    done.reset();
    running = false;
    return f;
  }
  bool Running() const override { return running; }
  void Wait() override {}

  void Finish(Phase verdict) {
    Finished f{current, {}, Duration(5000)};
    for (int s : requests.back().shards) f.shards[s] = {verdict, PhaseName(verdict)};
    done = f;
  }

  Status refuse;
  std::function<void()> on_start;
  std::vector<Request> requests;
  bool running = false;
  std::string current;
  std::optional<Finished> done;
};

class FakePeers : public WatchPeers {
 public:
  bool actor() const override { return is_actor; }
  std::string other() const override { return is_actor ? "" : "bob@ops-2 pid 9"; }
  Status SaveInFlight(const std::string& r) override {
    saved.push_back(r);
    return Status::Ok();
  }
  Result<std::string> LoadInFlight() override { return record; }

  bool is_actor = true;
  std::string record;
  std::vector<std::string> saved;
};

class WatcherTest : public ::testing::Test {
 protected:
  WatcherTest() {
    policy_.interval = Duration(1000);
    policy_.halt_after = Duration(3000);
    policy_.confirm_for = Duration(2000);
    policy_.max_recoveries = 2;
    policy_.max_shards_at_once = 4;
    policy_.correlated_shards = 4;
    policy_.after_deploy = Duration(0);
    for (const Shard& s : inv_.shards) net_.SetHealthy(s.id, true);
    journal_ = std::move(WatchJournal::Open(dir_.path(), inv_.network, clock_).value());
  }

  void Make(bool act = true) {
    WatchParts parts{journal_.get(), &peers_, act ? &launcher_ : nullptr, nullptr, nullptr, {}};
    w_ = std::make_unique<Watcher>(inv_, pb_, policy_, WatchSetup{{0, 1, 2, 3}, act, dir_.path()},
                                   net_.transport(), clock_, stop_, parts);
  }
  void Rounds(int n) {
    for (int i = 0; i < n; ++i) {
      w_->Round();
      clock_.Advance(policy_.interval);
    }
  }
  std::vector<WatchEntry> Lines(WatchEvent ev, int shard = -2) {
    uint64_t at = 0;
    std::vector<WatchEntry> all = ReadWatchJournalFrom(journal_->path(), &at).value();
    std::vector<WatchEntry> out;
    for (const WatchEntry& e : all) {
      if (e.event == ev && (shard == -2 || e.shard == shard)) out.push_back(e);
    }
    return out;
  }
  std::vector<WatchEntry> Held(Guardrail g) {
    std::vector<WatchEntry> out;
    for (const WatchEntry& e : Lines(WatchEvent::kDecision)) {
      if (e.guardrail == g) out.push_back(e);
    }
    return out;
  }
  bool Alerted(AlertName a, int shard, bool resolved = false) {
    for (const WatchEntry& e : Lines(WatchEvent::kAlert, shard)) {
      if (e.alert == a && e.resolved == resolved) return true;
    }
    return false;
  }
  void Control(WatchEvent ev, int shard = -1) {
    ASSERT_TRUE(journal_->Append({.event = ev, .shard = shard, .detail = "by test"}).ok());
  }

  testing::TempDir dir_;
  FakeClock clock_;
  Inventory inv_ = testing::MakeInventory(4, 5);
  Playbook pb_ = testing::TestPlaybook();
  WatchPolicy policy_;
  FakeShards net_{inv_, clock_};
  CancelToken stop_;
  std::unique_ptr<WatchJournal> journal_;
  FakeLauncher launcher_;
  FakePeers peers_;
  std::unique_ptr<Watcher> w_;
};

TEST_F(WatcherTest, AHealthyNetworkIsLeftAloneAndOneNodeDownPerShardIsDegraded) {
  Make();
  for (const Shard& s : inv_.shards) net_.StopNode(s.nodes[4].name);
  Rounds(20);
  for (int s = 0; s < 4; ++s) EXPECT_EQ(w_->state(s), ShardState::kDegraded) << s;
  EXPECT_TRUE(launcher_.requests.empty());
  EXPECT_TRUE(Lines(WatchEvent::kDecision).empty());
}

TEST_F(WatcherTest, AStuckShardIsRecoveredOnlyAfterForAndAFreshRound) {
  Make();
  Rounds(2);
  net_.SetHealthy(2, false);
  Rounds(3);  // 3 s without a block: stuck (its nodes in view change on different views)
  EXPECT_EQ(w_->state(2), ShardState::kStuck);
  EXPECT_TRUE(Alerted(AlertName::kShardHalted, 2));
  EXPECT_TRUE(Alerted(AlertName::kShardStuck, 2));
  Rounds(1);
  EXPECT_TRUE(launcher_.requests.empty()) << "the verdict has not held for for_s yet";
  size_t probes = net_.transport().CallsMatching("s2-0", "probe").size();
  Rounds(1);
  ASSERT_EQ(launcher_.requests.size(), 1u);
  EXPECT_EQ(launcher_.requests[0].shards, std::vector<int>{2});
  EXPECT_EQ(net_.transport().CallsMatching("s2-0", "probe").size(), probes + 2)
      << "a fresh probe round confirmed the verdict";
  EXPECT_EQ(w_->state(2), ShardState::kRecovering);
  auto acted = Lines(WatchEvent::kDecision, 2);
  ASSERT_EQ(acted.size(), 1u);
  EXPECT_TRUE(acted[0].acted);
  EXPECT_EQ(acted[0].run_id, "run-1");
  EXPECT_TRUE(Alerted(AlertName::kRecoveryStarted, 2));
  EXPECT_FALSE(peers_.saved.empty()) << "the run in flight is recorded for a successor";
  net_.SetHealthy(2, true);
  launcher_.Finish(Phase::kHealthy);
  Rounds(1);
  EXPECT_EQ(w_->state(2), ShardState::kHealthy);
  EXPECT_TRUE(Alerted(AlertName::kShardHalted, 2, /*resolved=*/true));
  EXPECT_TRUE(Alerted(AlertName::kRecoveryStarted, 2, /*resolved=*/true));
  EXPECT_EQ(peers_.saved.back(), "") << "a finished run leaves no record";
  Rounds(10);
  EXPECT_EQ(launcher_.requests.size(), 1u);
}

TEST_F(WatcherTest, ADryRunJournalsAndAlertsWhatItWouldDoOnce) {
  Make(/*act=*/false);
  Rounds(2);
  net_.SetHealthy(1, false);
  Rounds(15);
  auto held = Held(Guardrail::kDryRun);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].shard, 1);
  EXPECT_NE(held[0].detail.find("would recover shard 1"), std::string::npos);
  EXPECT_TRUE(Alerted(AlertName::kShardHalted, 1));
  EXPECT_TRUE(net_.transport().CallsMatching("", "stop ").empty());
  EXPECT_EQ(w_->PageState()["shards"][1]["state"], "stuck");
  EXPECT_EQ(w_->PageState()["mode"], "dry-run");
}

TEST_F(WatcherTest, PausedHoldsEveryActionUntilResumed) {
  Make();
  Control(WatchEvent::kPause);
  Rounds(1);
  EXPECT_TRUE(Alerted(AlertName::kWatchPaused, -1));
  net_.SetHealthy(0, false);
  Rounds(10);
  EXPECT_TRUE(launcher_.requests.empty());
  ASSERT_EQ(Held(Guardrail::kPaused).size(), 1u);
  EXPECT_EQ(w_->PageState()["paused"], true);
  Control(WatchEvent::kResume);
  Rounds(2);
  EXPECT_EQ(launcher_.requests.size(), 1u);
  EXPECT_TRUE(Alerted(AlertName::kWatchPaused, -1, /*resolved=*/true));
}

TEST_F(WatcherTest, AnotherRunHoldingTheLockIsNamedAndWaitedFor) {
  Make();
  launcher_.refuse = Status::Locked(
      "node leases of shard 3 are held by run R7 (bob@ops-2, 'shardctl rolling-restart')");
  net_.SetHealthy(3, false);
  Rounds(12);
  EXPECT_TRUE(launcher_.requests.empty());
  auto held = Held(Guardrail::kLockHeld);
  ASSERT_EQ(held.size(), 1u) << "once per incident, not every round";
  EXPECT_NE(held[0].detail.find("run R7"), std::string::npos);
  launcher_.refuse = Status::Ok();
  Rounds(1);
  EXPECT_EQ(launcher_.requests.size(), 1u);
}

TEST_F(WatcherTest, AShardThatCannotRecoverGetsMaxRecoveriesThenGaveUp) {
  Make();
  net_.SetHealthy(1, false);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    for (int i = 0; i < 30 && !launcher_.Running(); ++i) Rounds(1);
    ASSERT_TRUE(launcher_.Running()) << attempt;
    launcher_.Finish(Phase::kGaveUp);
    Rounds(1);
  }
  Rounds(20);
  EXPECT_EQ(launcher_.requests.size(), 2u);
  EXPECT_EQ(w_->state(1), ShardState::kGaveUp);
  EXPECT_TRUE(Alerted(AlertName::kGaveUp, 1));
  EXPECT_EQ(Held(Guardrail::kMaxRecoveries).size(), 1u);
  Control(WatchEvent::kApprove, 1);  // a person looked: one more budget
  Rounds(8);
  EXPECT_EQ(launcher_.requests.size(), 3u);
}

TEST_F(WatcherTest, MoreThanCorrelatedShardsHaltingWaitForApproval) {
  policy_.correlated_shards = 2;
  Make();
  Rounds(1);
  for (int s : {0, 1, 2}) net_.SetHealthy(s, false);
  Rounds(10);
  EXPECT_TRUE(launcher_.requests.empty());
  EXPECT_EQ(Held(Guardrail::kCorrelated).size(), 3u);
  for (int s : {0, 1, 2}) EXPECT_TRUE(Alerted(AlertName::kApprovalNeeded, s)) << s;
  EXPECT_EQ(w_->PageState()["shards"][1]["awaiting_approval"], true);
  ASSERT_TRUE(w_->Approve(1, "the page").ok());
  Rounds(2);
  ASSERT_EQ(launcher_.requests.size(), 1u);
  EXPECT_EQ(launcher_.requests[0].shards, std::vector<int>{1});
  EXPECT_TRUE(Alerted(AlertName::kApprovalNeeded, 1, /*resolved=*/true));
  EXPECT_FALSE(w_->Approve(7, "the page").ok());
}

TEST_F(WatcherTest, AProbeThatTimesOutForOneRoundDecidesNothing) {
  Make();
  Rounds(3);
  net_.transport().On("", "probe s1-",
                      FakeTransport::Failure(ExecResult::Outcome::kTimedOut, "timed out after 8s"));
  Rounds(1);
  net_.transport().ClearRules();
  Rounds(10);
  EXPECT_EQ(Lines(WatchEvent::kBlind, 1).size(), 1u);
  EXPECT_EQ(w_->state(1), ShardState::kHealthy);
  EXPECT_TRUE(Lines(WatchEvent::kDecision).empty());
  for (const WatchEntry& e : Lines(WatchEvent::kState, 1)) EXPECT_FALSE(IsActionable(e.to));
}

TEST_F(WatcherTest, AnObserverActsOnlyOnceElectedAndFinishesTheDeadActorsRun) {
  peers_.is_actor = false;
  Make();
  net_.SetHealthy(2, false);
  Rounds(10);
  EXPECT_TRUE(launcher_.requests.empty());
  auto held = Held(Guardrail::kNotActor);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_NE(held[0].detail.find("bob@ops-2"), std::string::npos);
  peers_.record = ToJsonText({{"run_id", "R-dead"},
                              {"actor", "bob"},
                              {"shards", {{"2", {{"restarts", 1}, {"starts_sent", true}}}}}});
  peers_.is_actor = true;
  Rounds(1);
  ASSERT_EQ(launcher_.requests.size(), 1u) << "finishing needs no new confirmation";
  const auto& r = launcher_.requests[0];
  EXPECT_EQ(r.resume_of, "R-dead");
  ASSERT_EQ(r.resume.count(2), 1u);
  EXPECT_TRUE(r.resume.at(2).starts_sent);
  EXPECT_EQ(r.resume.at(2).restarts, 1);
  auto roles = Lines(WatchEvent::kRole);
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(*roles[1].role, WatchRole::kActor);
}

TEST_F(WatcherTest, ARunAnEarlierWatcherLeftInTheJournalIsFinishedAtStart) {
  auto run = Journal::Open(dir_.path(), "R-old", clock_);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*run)->RecordPhase(3, Step::kPhase, Phase::kStop, "restart 1").ok());
  ASSERT_TRUE((*run)->RecordPhase(3, Step::kPhase, Phase::kStart, "").ok());
  ASSERT_TRUE(journal_->Append({.event = WatchEvent::kRecovery, .run_id = "R-old"}).ok());
  launcher_.on_start = [this] { stop_.Cancel(); };
  Make();
  ASSERT_TRUE(w_->Run().ok());
  ASSERT_EQ(launcher_.requests.size(), 1u);
  EXPECT_EQ(launcher_.requests[0].resume_of, "R-old");
  EXPECT_EQ(launcher_.requests[0].shards, std::vector<int>{3});
  EXPECT_TRUE(launcher_.requests[0].resume.at(3).starts_sent);
  EXPECT_EQ(Lines(WatchEvent::kStop).size(), 1u);
}

}  // namespace
}  // namespace shardctl
