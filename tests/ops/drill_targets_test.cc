// Target resolution (seeded, explained) and the blast-radius check: pure functions.
#include "ops/drill/drill_targets.h"

#include <gtest/gtest.h>

#include "ops/drill/blast_radius.h"
#include "support/drill_fixtures.h"

namespace shardctl {
namespace {

using nlohmann::json;
using testing::DrillInventory;
using testing::DrillJson;
using testing::DrillPlaybook;

struct ResolvedDrill {
  DrillSpec spec;
  Result<DrillTargets> targets = Status::Invalid("unset");
};

/// Parses j (which must be valid) and resolves it; spec and targets live together.
std::unique_ptr<ResolvedDrill> ResolveDrill(const json& j, const Inventory& inv, uint64_t seed,
                                            const std::map<int, std::string>& leaders = {}) {
  auto r = std::make_unique<ResolvedDrill>();
  auto spec = ParseDrillSpec(j, "d.json");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  r->spec = *spec;
  r->targets = ResolveTargets(r->spec, DrillPlaybook(), inv, leaders, seed);
  return r;
}

std::vector<std::string> StepNodeNames(const ResolvedStep& s) {
  std::vector<std::string> out;
  for (const Node* n : s.nodes) out.push_back(n->name);
  return out;
}

TEST(DrillTargetsTest, BreaksQuorumTakesTheFewestNodesPerShardAndSameAsReusesThem) {
  Inventory inv = DrillInventory(3, 5);
  auto r = ResolveDrill(DrillJson(), inv, 42);
  ASSERT_TRUE(r->targets.ok()) << r->targets.status().message();
  const ResolvedStep& brk = r->targets->faults[0];
  ASSERT_EQ(brk.nodes.size(), 4u);  // 2 of 5 in shard 0 and in shard 1; shard 2 is outside
  EXPECT_EQ(brk.nodes[0]->shard, 0);
  EXPECT_EQ(brk.nodes[3]->shard, 1);
  ASSERT_EQ(brk.choices.size(), 2u);
  EXPECT_NE(brk.choices[0].find("shard 0: "), std::string::npos) << brk.choices[0];
  EXPECT_NE(brk.choices[0].find("(random, power breaks_quorum; 2 of 5 voting power, 40%)"),
            std::string::npos)
      << brk.choices[0];
  EXPECT_EQ(StepNodeNames(r->targets->faults[1]), StepNodeNames(brk));
}

TEST(DrillTargetsTest, TheSameSeedChoosesTheSameNodesAndOtherSeedsVary) {
  Inventory inv = DrillInventory(2, 9);
  json j = DrillJson();
  j["blast_radius"]["max_power_share"] = 1;
  j["faults"][0]["targets"] = {{"count", 3}};
  auto a = ResolveDrill(j, inv, 7);
  auto b = ResolveDrill(j, inv, 7);
  ASSERT_TRUE(a->targets.ok() && b->targets.ok());
  EXPECT_EQ(StepNodeNames(a->targets->faults[0]), StepNodeNames(b->targets->faults[0]));
  std::set<std::vector<std::string>> seen;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    auto r = ResolveDrill(j, inv, seed);
    ASSERT_TRUE(r->targets.ok());
    seen.insert(StepNodeNames(r->targets->faults[0]));
    EXPECT_EQ(r->targets->faults[0].nodes.size(), 6u);
  }
  EXPECT_GT(seen.size(), 10u);  // 84^2 possible choices: 20 seeds rarely repeat
}

TEST(DrillTargetsTest, PowerRulesHonourUnequalVotingPowerAndCounts) {
  // Powers 4,1,1,1,1: total 8, quorum 6. Taking s*-n0 alone (4) breaks quorum; it keeps
  // quorum only without it.
  Inventory inv = DrillInventory(1, 5, {4, 1, 1, 1, 1});
  json j = DrillJson();
  j["blast_radius"] = {{"shards", "all"}, {"max_power_share", 1}};
  j["faults"][0]["targets"] = {{"power", "keeps_quorum"}};
  for (uint64_t seed = 0; seed < 10; ++seed) {
    auto r = ResolveDrill(j, inv, seed);
    ASSERT_TRUE(r->targets.ok()) << r->targets.status().message();
    int64_t taken = 0;
    for (const Node* n : r->targets->faults[0].nodes) taken += n->voting_power;
    EXPECT_LE(taken, 2);  // 8 - 2 = 6 >= quorum; never the node of power 4
    EXPECT_GE(taken, 1);
  }
  j["faults"][0]["targets"] = {{"power", "breaks_quorum"}, {"count", 3}};
  for (uint64_t seed = 0; seed < 10; ++seed) {
    auto r = ResolveDrill(j, inv, seed);
    ASSERT_TRUE(r->targets.ok()) << r->targets.status().message();
    int64_t taken = 0;
    for (const Node* n : r->targets->faults[0].nodes) taken += n->voting_power;
    EXPECT_GE(r->targets->faults[0].nodes.size(), 3u);
    EXPECT_GE(taken, 3);  // 8 - 3 = 5 < 6
  }
}

TEST(DrillTargetsTest, LeaderNamedAndGlobRules) {
  Inventory inv = DrillInventory(2, 5);
  json j = DrillJson();
  j["faults"][0]["targets"] = {{"leader", true}};
  auto r = ResolveDrill(j, inv, 1, {{0, "s0-n3"}, {1, "s1-n0"}});
  ASSERT_TRUE(r->targets.ok()) << r->targets.status().message();
  EXPECT_EQ(StepNodeNames(r->targets->faults[0]), (std::vector<std::string>{"s0-n3", "s1-n0"}));
  EXPECT_NE(r->targets->faults[0].choices[0].find("the leader"), std::string::npos);

  auto missing = ResolveDrill(j, inv, 1, {{0, "s0-n3"}});
  ASSERT_FALSE(missing->targets.ok());
  EXPECT_EQ(missing->targets.status().message(),
            "d.json:/faults/0/targets/leader: no node of shard 1 reported itself leader in the "
            "probe before the drill");

  j["faults"][0]["targets"] = {{"nodes", {"s1-n4", "s0-n2"}}};
  r = ResolveDrill(j, inv, 1);
  ASSERT_TRUE(r->targets.ok());
  EXPECT_EQ(StepNodeNames(r->targets->faults[0]), (std::vector<std::string>{"s1-n4", "s0-n2"}));

  j["faults"][0]["targets"] = {{"glob", "*-n[01]"}, {"shards", {1}}};
  r = ResolveDrill(j, inv, 1);
  ASSERT_TRUE(r->targets.ok());
  EXPECT_EQ(StepNodeNames(r->targets->faults[0]), (std::vector<std::string>{"s1-n0", "s1-n1"}));
}

TEST(DrillTargetsTest, ImpossibleRulesAreErrorsNamingStepAndShard) {
  Inventory inv = DrillInventory(1, 3);
  json j = DrillJson();
  j["blast_radius"]["shards"] = "all";
  j["faults"][0]["targets"] = {{"count", 4}};
  auto r = ResolveDrill(j, inv, 1);
  ASSERT_FALSE(r->targets.ok());
  EXPECT_EQ(r->targets.status().message(),
            "d.json:/faults/0/targets: shard 0: no choice among 3 candidate(s) meets count 4 "
            "(quorum: bft (> 2/3))");
  j["faults"][0]["targets"] = {{"power", {{"at_most", 0.2}}}};  // one node is 33%
  r = ResolveDrill(j, inv, 1);
  ASSERT_FALSE(r->targets.ok());
  EXPECT_NE(r->targets.status().message().find("meets power at most 0.2"), std::string::npos)
      << r->targets.status().message();
}

TEST(DrillTargetsTest, BlastRadiusCountsEveryStepTogetherAndRefusesOutsideShards) {
  Inventory inv = DrillInventory(3, 5);
  json j = DrillJson();
  j["blast_radius"] = {{"shards", {0, 1}}, {"max_power_share", 0.4}};
  j["faults"][0]["targets"] = {{"nodes", {"s0-n0", "s0-n1"}}};
  j["faults"][1]["targets"] = {{"nodes", {"s0-n1", "s1-n0"}}};
  auto r = ResolveDrill(j, inv, 1);
  ASSERT_TRUE(r->targets.ok());
  BlastCheck ok = CheckBlastRadius(r->spec, *r->targets, inv, QuorumRule::Bft());
  EXPECT_TRUE(ok.ok());
  ASSERT_EQ(ok.Lines().size(), 2u);
  EXPECT_EQ(ok.Lines()[0],
            "shard 0: s0-n[0-1] = 2 of 5 voting power (40%) <= 40%, the rest has no quorum (bft (> "
            "2/3)): ok");

  j["faults"][1]["targets"] = {{"nodes", {"s0-n2", "s2-n0"}}};
  r = ResolveDrill(j, inv, 1);
  ASSERT_TRUE(r->targets.ok());
  BlastCheck bad = CheckBlastRadius(r->spec, *r->targets, inv, QuorumRule::Bft());
  ASSERT_EQ(bad.violations.size(), 2u);
  EXPECT_EQ(bad.violations[0],
            "d.json:/blast_radius: shard 0: s0-n[0-2] = 3 of 5 voting power (60%) > 40%, the rest "
            "has no quorum (bft (> 2/3))");
  EXPECT_EQ(bad.violations[1],
            "d.json:/blast_radius: shard 2: s2-n0 = 1 of 5 voting power (20%) outside the blast "
            "radius, the rest keeps a quorum (bft (> 2/3))");
}

// The same nodes judged under the playbook's quorum rule: 2 of 5 down leaves no quorum under
// bft (3 is not more than 2/3 of 5) but one under majority (3 is more than 1/2), and the power
// rules pick accordingly.
TEST(DrillTargetsTest, BlastRadiusAndPowerRulesFollowThePlaybooksQuorumRule) {
  Inventory inv = DrillInventory(1, 5);
  json j = DrillJson();
  j["blast_radius"] = {{"shards", {0}}, {"max_power_share", 0.4}};
  j["faults"][0]["targets"] = {{"nodes", {"s0-n0", "s0-n1"}}};
  j["faults"][1]["targets"] = {{"same_as", "break"}};
  auto r = ResolveDrill(j, inv, 1);
  ASSERT_TRUE(r->targets.ok());
  BlastCheck bft = CheckBlastRadius(r->spec, *r->targets, inv, QuorumRule::Bft());
  ASSERT_EQ(bft.shards.size(), 1u);
  EXPECT_FALSE(bft.shards[0].rest_has_quorum);
  BlastCheck raft = CheckBlastRadius(r->spec, *r->targets, inv, QuorumRule::Majority());
  EXPECT_TRUE(raft.shards[0].rest_has_quorum);
  EXPECT_NE(raft.Lines()[0].find("the rest keeps a quorum (majority (> 1/2))"), std::string::npos)
      << raft.Lines()[0];

  PowerRule breaks{PowerRule::Kind::kBreaksQuorum, 0, "breaks_quorum"};
  EXPECT_TRUE(breaks.Satisfied(2, 5, QuorumRule::Bft()));
  EXPECT_FALSE(breaks.Satisfied(2, 5, QuorumRule::Majority()));
  EXPECT_TRUE(breaks.Satisfied(3, 5, QuorumRule::Majority()));
}

}  // namespace
}  // namespace shardctl
