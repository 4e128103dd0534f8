// Drill files: parsing, defaults, and errors that name the file and JSON pointer.
#include "ops/drill/drill_spec.h"

#include <gtest/gtest.h>

#include "support/drill_fixtures.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;
using testing::DrillInventory;
using testing::DrillJson;
using testing::DrillPlaybook;

std::string DrillErrorOf(const json& j) {
  auto spec = ParseDrillSpec(j, "d.json");
  return spec.ok() ? "ok" : spec.status().message();
}

TEST(DrillSpecTest, ParsesEverySection) {
  auto spec = ParseDrillSpec(DrillJson(), "d.json");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->name, "t");
  EXPECT_TRUE(spec->hypothesis.all);
  EXPECT_FALSE(spec->blast_shards.all);
  EXPECT_EQ(spec->blast_shards.ids, (std::vector<int>{0, 1}));
  EXPECT_DOUBLE_EQ(spec->max_power_share, 0.6);
  ASSERT_EQ(spec->faults.size(), 2u);
  const FaultStep& brk = spec->faults[0];
  EXPECT_EQ(brk.where, "d.json:/faults/0");
  EXPECT_EQ(brk.fault, "kill");
  ASSERT_TRUE(brk.targets.power.has_value());
  EXPECT_EQ(brk.targets.power->kind, PowerRule::Kind::kBreaksQuorum);
  EXPECT_EQ(brk.targets.where, "d.json:/faults/0/targets");
  EXPECT_EQ(spec->faults[1].at, Duration(5000));
  EXPECT_EQ(spec->faults[1].targets.same_as, "break");
  EXPECT_EQ(spec->FindStep("break"), &spec->faults[0]);
  EXPECT_EQ(spec->recovery.mode, RecoveryMode::kRecover);
  EXPECT_EQ(spec->recovery.at, Duration(10000));
  EXPECT_EQ(spec->abort.time_limit, Duration(120000));
  EXPECT_EQ(spec->abort.outside_halt, Duration(8000));
  EXPECT_FALSE(spec->seed.has_value());
}

TEST(DrillSpecTest, RecoveryStartsAfterTheLastStepAndItsTimedUndoByDefault) {
  json j = DrillJson();
  j["recovery"] = {{"mode", "observe"}, {"within_s", 30}};
  j["faults"][1]["duration_s"] = 7.5;
  auto spec = ParseDrillSpec(j, "d.json");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->recovery.at, Duration(12500));
  EXPECT_EQ(spec->recovery.within, Duration(30000));
  EXPECT_EQ(spec->recovery.mode, RecoveryMode::kObserve);
  j["recovery"]["at_s"] = 3;
  EXPECT_EQ(DrillErrorOf(j),
            "d.json:/recovery/at_s: expected a time at or after the last step is "
            "done (12.500000 s)");
}

TEST(DrillSpecTest, PowerRulesAndSharesAreReadAsWritten) {
  json j = DrillJson();
  j["faults"][0]["targets"] = {{"power", {{"more_than", "1/3"}}}, {"count", 3}};
  auto spec = ParseDrillSpec(j, "d.json");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const PowerRule& rule = *spec->faults[0].targets.power;
  EXPECT_EQ(rule.kind, PowerRule::Kind::kMoreThan);
  EXPECT_DOUBLE_EQ(rule.share, 1.0 / 3);
  EXPECT_EQ(rule.text, "more than 1/3");
  EXPECT_TRUE(rule.Satisfied(2, 5, QuorumRule::Bft()));
  EXPECT_FALSE(rule.Satisfied(1, 3, QuorumRule::Bft()));  // exactly 1/3 is not more than 1/3

  PowerRule breaks{PowerRule::Kind::kBreaksQuorum, 0, "breaks_quorum"};
  EXPECT_FALSE(breaks.Satisfied(1, 5, QuorumRule::Bft()));  // 4 of 5 left: still a quorum
  EXPECT_TRUE(breaks.Satisfied(2, 5, QuorumRule::Bft()));   // 3 of 5 left: not more than 2/3
  EXPECT_TRUE(breaks.Satisfied(2, 6, QuorumRule::Bft()));   // 4 of 6 is exactly 2/3: no quorum
  EXPECT_FALSE(
      breaks.Satisfied(2, 6, QuorumRule::Majority()));  // under a 1/2 rule 4 of 6 still commits
  PowerRule keeps{PowerRule::Kind::kKeepsQuorum, 0, "keeps_quorum"};
  EXPECT_TRUE(keeps.Satisfied(1, 5, QuorumRule::Bft()));
  EXPECT_FALSE(keeps.Satisfied(2, 5, QuorumRule::Bft()));
}

TEST(DrillSpecTest, ErrorsNameTheFileAndPointer) {
  auto with = [](const std::string& pointer, const json& value) {
    json j = DrillJson();
    j[json::json_pointer(pointer)] = value;
    return DrillErrorOf(j);
  };
  EXPECT_EQ(with("/blast_radius/max_power_share", 1.5),
            "d.json:/blast_radius/max_power_share: expected a share of voting power: a number "
            "above 0 and at most 1, or \"1/3\", found 1.5");
  EXPECT_EQ(with("/faults/0/at_s", -1),
            "d.json:/faults/0/at_s: expected seconds, a number >= 0 and at most 604800, found -1");
  EXPECT_EQ(with("/faults/0/targets/power", "most"),
            "d.json:/faults/0/targets/power: expected \"breaks_quorum\", \"keeps_quorum\", "
            "{\"more_than\": SHARE} or {\"at_most\": SHARE}, found \"most\"");
  EXPECT_EQ(with("/faults/0/targets/leader", true),
            "d.json:/faults/0/targets: expected one way to choose nodes, found several "
            "(\"nodes\", \"leader\" and \"same_as\" stand alone; \"glob\" may narrow \"count\" "
            "and \"power\")");
  EXPECT_EQ(with("/faults/1/targets/same_as", "later"),
            "d.json:/faults/1/targets/same_as: expected the name of an earlier step, found "
            "\"later\"");
  EXPECT_EQ(with("/recovery/mode", "pray"),
            "d.json:/recovery/mode: expected \"recover\", \"observe\" or \"wait\", found \"pray\"");
  EXPECT_EQ(with("/hypothesis/shards", json::array()),
            "d.json:/hypothesis/shards: expected \"all\" or a non-empty array of distinct shard "
            "ids, found an array");
  EXPECT_EQ(with("/faults/0/targts", 1),
            "d.json:/faults/0: unknown key \"targts\" (allowed: name, at_s, fault, targets, "
            "params, duration_s)");
  EXPECT_EQ(with("/abort/time_limit_s", 5),
            "d.json:/abort/time_limit_s: the time limit must leave time for recovery: it ends "
            "the drill before the recovery starts");
  EXPECT_EQ(with("/faults/0/targets", json::object()),
            "d.json:/faults/0/targets: expected one way to choose nodes: \"nodes\", \"glob\", "
            "\"leader\", \"count\", \"power\" or \"same_as\"");
  json j = DrillJson();
  j.erase("blast_radius");
  EXPECT_EQ(DrillErrorOf(j), "d.json:/: missing \"blast_radius\"");
}

TEST(DrillSpecTest, CheckAgainstPlaybookAndInventory) {
  Inventory inv = DrillInventory(2, 5);
  Playbook pb = DrillPlaybook();
  auto check = [&](const std::string& pointer, const json& value) {
    json j = DrillJson();
    j[json::json_pointer(pointer)] = value;
    auto spec = ParseDrillSpec(j, "d.json");
    if (!spec.ok()) return spec.status().message();
    Status st = CheckDrillAgainst(*spec, pb, inv);
    return st.ok() ? std::string("ok") : st.message();
  };
  EXPECT_EQ(check("/name", "t"), "ok");
  EXPECT_EQ(check("/faults/0/fault", "explode"),
            "d.json:/faults/0/fault: no fault \"explode\" in pb.json (faults: kill, "
            "restore-and-start, slow)");
  EXPECT_EQ(check("/blast_radius/shards", json::array({0, 7})),
            "d.json:/blast_radius/shards: shard 7 is not in inv.json (shards: 0, 1)");
  EXPECT_EQ(check("/faults/0/targets", {{"nodes", {"s0-n1", "s9-n9"}}}),
            "d.json:/faults/0/targets/nodes/1: no node \"s9-n9\" in inv.json");
  EXPECT_EQ(check("/faults/0/targets", {{"glob", "x*"}}),
            "d.json:/faults/0/targets/glob: \"x*\" matches no node of shards all in inv.json");
  EXPECT_EQ(check("/faults/0/params", {{"delay", 5}}),
            "d.json:/faults/0/params/delay: fault \"kill\" has no parameter \"delay\" "
            "(parameters: none)");
}

TEST(DrillSpecTest, ShippedDrillsParseAndFitTheSandboxPlaybook) {
  auto pb = LoadPlaybook(testing::SourceDir() + "/playbooks/sandbox.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  Inventory inv = DrillInventory(4, 5);
  for (const char* name :
       {"aug30.json", "kill-minority.json", "leader-crash-loop.json", "partition.json"}) {
    auto spec = LoadDrillSpec(testing::SourceDir() + "/playbooks/drills/" + name);
    ASSERT_TRUE(spec.ok()) << spec.status().message();
    Status st = CheckDrillAgainst(*spec, *pb, inv);
    EXPECT_TRUE(st.ok()) << name << ": " << st.message();
  }
}

}  // namespace
}  // namespace shardctl
