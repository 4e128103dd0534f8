// The watch journal (lines, reading from an offset, torn lines) and the report made from it.
#include "ops/watch/watch_journal.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ops/watch/watch_report.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

TEST(WatchJournalTest, LinesRoundTripWithTheirTypedFields) {
  WatchEntry e;
  e.unix_ms = 1700000000123;
  e.watcher = "alice@ops-1 pid 7";
  e.event = WatchEvent::kDecision;
  e.shard = 2;
  e.detail = "held back";
  e.guardrail = Guardrail::kCorrelated;
  auto back = ParseWatchEntry(WatchEntryLine(e), "j:1");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->event, WatchEvent::kDecision);
  EXPECT_EQ(back->shard, 2);
  EXPECT_FALSE(back->acted);
  ASSERT_TRUE(back->guardrail);
  EXPECT_EQ(*back->guardrail, Guardrail::kCorrelated);
  EXPECT_NE(WatchEntryLine(e).find("\"guardrail\":\"correlated-failure\""), std::string::npos);

  auto bad = ParseWatchEntry(R"({"unix_ms":1,"event":"state","to":"sleepy"})", "j:9");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("j:9:/to"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseWatchEntry(R"({"unix_ms":1,"event":"nap"})", "j:3").ok());
}

TEST(WatchJournalTest, ReadersFollowTheEndAndSkipATornLine) {
  testing::TempDir dir;
  FakeClock clock;
  auto j = WatchJournal::Open(dir.path(), "net", clock);
  ASSERT_TRUE(j.ok()) << j.status().message();
  ASSERT_TRUE((*j)->Append({.event = WatchEvent::kPause, .detail = "release"}).ok());
  uint64_t offset = 0;
  auto first = ReadWatchJournalFrom((*j)->path(), &offset);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].event, WatchEvent::kPause);
  EXPECT_FALSE((*first)[0].watcher.empty());
  {
    std::ofstream torn((*j)->path(), std::ios::app);
    torn << R"({"unix_ms":5,"event":"res)";  // a crash mid-write
  }
  auto none = ReadWatchJournalFrom((*j)->path(), &offset);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty()) << "a line without its newline is not read yet";
  auto reopened = WatchJournal::Open(dir.path(), "net", clock);  // ends the torn line
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->Append({.event = WatchEvent::kResume}).ok());
  auto next = ReadWatchJournalFrom((*j)->path(), &offset);
  ASSERT_TRUE(next.ok()) << next.status().message();
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].event, WatchEvent::kResume);
  uint64_t missing = 0;
  auto empty = ReadWatchJournalFrom(dir.path() + "/nope.jsonl", &missing);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

WatchEntry At(int64_t ms, WatchEvent ev, int shard) {
  WatchEntry e;
  e.unix_ms = ms;
  e.event = ev;
  e.shard = shard;
  return e;
}

TEST(WatchReportTest, AnIncidentHasTimeToDetectAlertActAndRecover) {
  std::vector<WatchEntry> j;
  WatchEntry halted = At(10000, WatchEvent::kState, 1);
  halted.from = ShardState::kHealthy;
  halted.to = ShardState::kStuck;
  halted.last_block_unix_ms = 7000;
  j.push_back(halted);
  WatchEntry alert = At(10100, WatchEvent::kAlert, 1);
  alert.alert = AlertName::kShardHalted;
  j.push_back(alert);
  WatchEntry held = At(11000, WatchEvent::kDecision, 1);
  held.guardrail = Guardrail::kPaused;
  j.push_back(held);
  WatchEntry acted = At(13000, WatchEvent::kDecision, 1);
  acted.acted = true;
  acted.run_id = "run-1";
  j.push_back(acted);
  WatchEntry back = At(20000, WatchEvent::kState, 1);
  back.from = ShardState::kRecovering;
  back.to = ShardState::kHealthy;
  j.push_back(back);

  auto incidents = FindIncidents(j, 0);
  ASSERT_EQ(incidents.size(), 1u);
  const WatchIncident& i = incidents[0];
  EXPECT_EQ(i.shard, 1);
  EXPECT_TRUE(i.stuck);
  EXPECT_EQ(i.detected_unix_ms - i.last_block_unix_ms, 3000);
  EXPECT_EQ(i.first_alert_unix_ms, 10100);
  EXPECT_EQ(i.first_action_unix_ms, 13000);
  EXPECT_EQ(i.recovered_unix_ms, 20000);
  EXPECT_EQ(i.held_back, std::vector<std::string>{"paused"});
  std::string md = RenderWatchReport("sandbox", j, 0, 30000);
  EXPECT_NE(md.find("| 1 | "), std::string::npos) << md;
  EXPECT_NE(md.find("| 3.0s | 100ms | 3.0s | 10.0s | run-1 | paused | committing again |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("held: paused"), std::string::npos) << md;
  EXPECT_TRUE(FindIncidents(j, 15000).empty()) << "--since cuts earlier lines";
}

}  // namespace
}  // namespace shardctl
