#include "run/journal.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "support/test_util.h"

namespace shardctl {
namespace {

TEST(JournalTest, AppendsStampedLinesAndReadsThemBack) {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'123);
  auto j = Journal::Open(dir.path() + "/state", "r1", clock);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  ASSERT_TRUE((*j)->Record(2, "s2-a", CommandId::kStop, Outcome::kBegin, "ctl stop").ok());
  clock.Advance(Duration(5));
  ASSERT_TRUE((*j)->Record(-1, "", Step::kRun, Outcome::kFinished).ok());
  EXPECT_EQ((*j)->path(), dir.path() + "/state/runs/r1.jsonl");
  std::string text = testing::ReadFile((*j)->path());
  EXPECT_NE(text.find("\"time\":\"2023-11-14T22:13:20.123Z\""), std::string::npos) << text;
  auto entries = ReadJournal((*j)->path());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].shard, 2);
  EXPECT_EQ((*entries)[0].node, "s2-a");
  EXPECT_EQ((*entries)[0].detail, "ctl stop");
  EXPECT_EQ((*entries)[0].run, "r1");
  EXPECT_EQ((*entries)[1].shard, -1);
  EXPECT_EQ((*entries)[1].unix_ms, 1'700'000'000'128);
  EXPECT_EQ((*entries)[0].step, JournalStep(CommandId::kStop));
  EXPECT_EQ((*entries)[1].outcome, Outcome::kFinished);
  EXPECT_NE(text.find(R"("outcome":"begin","run":"r1","shard":2,"step":"stop")"), std::string::npos)
      << text;
}

TEST(JournalTest, EveryStepOutcomeAndPhaseNameReadsBackAsItself) {
  for (Step s : {Step::kRun, Step::kPhase, Step::kShard, Step::kAssess, Step::kConfirmDown,
                 Step::kSyncCheck, Step::kGate, Step::kWave, Step::kNode, Step::kLease,
                 Step::kLockBreak, Step::kDrill, Step::kHypothesis, Step::kFault, Step::kUndo,
                 Step::kRecovery, Step::kRollback, Step::kStaging, Step::kSoak}) {
    EXPECT_EQ(ParseStep(StepName(s)), JournalStep(s)) << StepName(s);
  }
  for (CommandId id : AllCommands()) EXPECT_EQ(ParseStep(StepName(id)), JournalStep(id));
  for (CommandId id : UpgradeCommandIds()) EXPECT_EQ(ParseStep(StepName(id)), JournalStep(id));
  for (int o = 0; o <= static_cast<int>(Outcome::kRollbackFailed); ++o) {
    EXPECT_EQ(ParseOutcome(OutcomeName(Outcome(o))), Outcome(o)) << o;
  }
  for (int p = 0; p <= static_cast<int>(Phase::kCancelled); ++p) {
    EXPECT_EQ(ParsePhase(PhaseName(Phase(p))), Phase(p)) << p;
  }
  EXPECT_FALSE(ParseStep("restrat").has_value());
  EXPECT_FALSE(ParseOutcome("don").has_value());
}

// A journal that resume cannot understand is an error naming the file and line, never skipped.
TEST(JournalTest, UnknownStepOrOutcomeIsAnErrorNamingTheLine) {
  testing::TempDir dir;
  std::string good =
      R"({"unix_ms":1,"run":"r","step":"stop","outcome":"begin","shard":0,"node":"a"})";
  std::string typo = dir.WriteFile(
      "typo.jsonl", good + "\n" + R"({"unix_ms":2,"run":"r","step":"node","outcome":"don"})" +
                        "\n" + good + "\n");
  EXPECT_EQ(ReadJournal(typo).status().message(),
            typo + ":2:/outcome: expected a journal outcome, found \"don\"");
  std::string phase =
      dir.WriteFile("phase.jsonl", R"({"unix_ms":2,"run":"r","step":"phase","outcome":"begin"})"
                                   "\n" +
                                       good + "\n");
  EXPECT_EQ(ReadJournal(phase).status().message(),
            phase + ":1:/outcome: expected a phase, found \"begin\"");
}

TEST(JournalTest, AFailedWriteIsStickyAndSaysWhy) {
  testing::TempDir dir;
  FakeClock clock;
  // /dev/full fails every write with ENOSPC, as a full disk does.
  std::filesystem::create_directories(dir.path() + "/runs");
  std::filesystem::create_symlink("/dev/full", dir.path() + "/runs/r.jsonl");
  auto j = Journal::Open(dir.path(), "r", clock);
  ASSERT_TRUE(j.ok());
  EXPECT_FALSE((*j)->failed());
  EXPECT_FALSE((*j)->Record(-1, "", Step::kRun, Outcome::kBegin).ok());
  EXPECT_TRUE((*j)->failed());
  EXPECT_NE((*j)->failure().find("No space left on device"), std::string::npos) << (*j)->failure();
}

TEST(JournalTest, TornLastLineIsSkippedOtherBadLinesAreErrors) {
  testing::TempDir dir;
  std::string good =
      R"({"unix_ms":1,"run":"r","step":"stop","outcome":"begin","shard":0,"node":"a"})";
  std::string torn = dir.WriteFile("torn.jsonl", good + "\n{\"unix_ms\":2,\"ru");
  auto r = ReadJournal(torn);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  std::string bad = dir.WriteFile("bad.jsonl", "garbage\n" + good + "\n");
  EXPECT_EQ(ReadJournal(bad).status().message(), bad + ":1: not a JSON line");
  std::string missing = dir.WriteFile("missing.jsonl", R"({"unix_ms":1,"run":"r"})"
                                                       "\n");
  EXPECT_EQ(ReadJournal(missing).status().message(), missing + ":1:/step: expected a string");
}

TEST(JournalTest, RunIdsSortByTimeAndDiffer) {
  std::string a = NewRunId(1'700'000'000'000);
  std::string b = NewRunId(1'700'000'000'000);
  EXPECT_TRUE(std::regex_match(a, std::regex(R"(20231114T221320Z-[0-9a-f]{6})"))) << a;
  EXPECT_NE(a, b);
}

TEST(JournalTest, StateDirFollowsXdg) {
  const char* old = std::getenv("XDG_STATE_HOME");
  std::string saved = old ? old : "";
  setenv("XDG_STATE_HOME", "/x/state", 1);
  EXPECT_EQ(DefaultStateDir(), "/x/state/shardctl");
  unsetenv("XDG_STATE_HOME");
  EXPECT_NE(DefaultStateDir().find("/.local/state/shardctl"), std::string::npos);
  if (old) setenv("XDG_STATE_HOME", saved.c_str(), 1);
}

TEST(JournalTest, UnwritableStateDirIsAnError) {
  FakeClock clock;
  auto j = Journal::Open("/proc/no-such-dir", "r", clock);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("/proc/no-such-dir/runs"), std::string::npos);
}

}  // namespace
}  // namespace shardctl
