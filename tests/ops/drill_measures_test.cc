// Per-shard measures from probe samples, the report's renderings and the trend read back from
// earlier runs' journals.
#include "ops/drill/drill_measures.h"

#include <gtest/gtest.h>

#include "ops/drill/drill_report.h"
#include "run/journal.h"
#include "support/drill_fixtures.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using testing::DrillInventory;
using testing::DrillPlaybook;

SampleSummary DrillSample(int64_t top, int normal_power, int answering_power, int view_changing) {
  SampleSummary s;
  s.top = top;
  s.total_power = 5;
  s.answering_power = answering_power;
  s.normal_in_sync_power = normal_power;
  s.nodes_view_changing = view_changing;
  return s;
}

TEST(DrillMeasuresTest, DetectsAfterTheFaultSeesTheTrapAndTimesRecovery) {
  Inventory inv = DrillInventory(2, 5);
  Playbook pb = DrillPlaybook();  // stuck.after 30 s by default
  MeasureTracker t(pb, inv, {0}, {0, 1});
  EXPECT_TRUE(t.Sample(0, 1000, DrillSample(10, 5, 5, 0)));
  t.FaultSent({inv.FindNode("s0-n1"), inv.FindNode("s0-n2")}, 2000);
  EXPECT_TRUE(t.Sample(0, 2500, DrillSample(11, 5, 5, 0)));   // not seen yet
  EXPECT_FALSE(t.Sample(0, 3000, DrillSample(11, 3, 3, 2)));  // 3 of 5: no quorum (needs 4)
  EXPECT_FALSE(t.Sample(0, 9000, DrillSample(11, 0, 5, 5)));  // all up, all in view change
  t.RecoveryStarted(0, 10000);
  t.Recovered(0, 14500);
  ShardMeasure m = t.measure(0);
  ASSERT_TRUE(m.TimeToDetect().has_value());
  EXPECT_EQ(m.TimeToDetect()->count(), 1000);
  EXPECT_TRUE(m.stuck_seen);
  ASSERT_TRUE(m.TimeToRecover().has_value());
  EXPECT_EQ(m.TimeToRecover()->count(), 4500);

  // Shard 1 was never touched nor seen unhealthy: nothing to detect or recover.
  t.RecoveryStarted(1, 10000);
  t.Recovered(1, 11000);
  EXPECT_FALSE(t.measure(1).TimeToDetect().has_value());
  EXPECT_FALSE(t.measure(1).TimeToRecover().has_value());
  EXPECT_FALSE(t.measure(1).in_blast_radius);
}

TEST(DrillMeasuresTest, AShardWhoseTopStopsGrowingIsUnhealthyAfterStuckAfter) {
  Inventory inv = DrillInventory(1, 5);
  Playbook pb = DrillPlaybook();
  pb.stuck.after = Duration(6000);
  MeasureTracker t(pb, inv, {0}, {0});
  EXPECT_TRUE(t.Sample(0, 1000, DrillSample(10, 5, 5, 0)));
  EXPECT_TRUE(t.Sample(0, 6000, DrillSample(10, 5, 5, 0)));
  EXPECT_FALSE(t.Sample(0, 7500, DrillSample(10, 5, 5, 0)));  // Normal, but no block for 6.5 s
  EXPECT_EQ(t.LastGrowthMs(0), 1000);
  EXPECT_TRUE(t.Sample(0, 8000, DrillSample(11, 5, 5, 0)));
  EXPECT_EQ(t.LastGrowthMs(0), 8000);
}

TEST(DrillReportTest, TrendComesFromEarlierJournalsOfTheSameDrill) {
  testing::TempDir tmp;
  FakeClock clock;
  auto write_run = [&](const std::string& run, const std::string& name, int64_t mttr) {
    auto j = Journal::Open(tmp.path(), run, clock);
    ASSERT_TRUE(j.ok()) << j.status().message();
    DrillReport r;
    r.name = name;
    r.seed = 9;
    r.outcome = DrillOutcome::kPassed;
    r.started_unix_ms = 1000 + mttr;
    ShardMeasure m;
    m.detected_ms = 0;
    m.recovery_start_ms = 0;
    m.recovered_ms = mttr;
    r.shards = {m};
    ASSERT_TRUE((*j)->Record(-1, "", Step::kDrill, Outcome::kDone, TrendDetail(r)).ok());
  };
  write_run("r2", "aug30", 30000);
  write_run("r1", "aug30", 20000);
  write_run("r3", "other", 5000);
  write_run("r4", "aug30", 1000);
  auto rows = ReadDrillTrend(tmp.path(), "aug30", "r4");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].run_id, "r1");  // oldest first
  EXPECT_EQ(rows[1].run_id, "r2");
  ASSERT_TRUE(rows[1].mttr.has_value());
  EXPECT_EQ(rows[1].mttr->count(), 30000);

  DrillReport r;
  r.name = "aug30";
  r.outcome = DrillOutcome::kPassed;
  r.trend = rows;
  std::string md = RenderDrillMarkdown(r);
  EXPECT_NE(md.find("| `r2` |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 30.0s |"), std::string::npos) << md;
  EXPECT_EQ(DrillReportToJson(r)["trend"].size(), 2u);
}

}  // namespace
}  // namespace shardctl
