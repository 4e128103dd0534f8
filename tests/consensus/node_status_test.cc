#include "consensus/node_status.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/playbook.h"
#include "support/fake_shards.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

TEST(NodeStatusTest, ReadsHarmonyMetadata) {
  ProbeMap map = testing::TestPlaybook().probe;
  auto f = ParseProbeOutput(
      R"({"result":{"is-leader":true,"current-block-number":"0x1f",
          "consensus":{"viewId":31,"viewChangeId":"33","mode":"ViewChanging"}}})",
      map);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->height, 31);
  EXPECT_EQ(f->view_id, 31);
  EXPECT_EQ(f->view_change_id, 33);
  EXPECT_EQ(f->mode, "ViewChanging");
  EXPECT_EQ(f->leader, true);
  EXPECT_FALSE(f->version) << "no version pointer, no version";
}

// Found by fuzz_probe: "current-block-number": -1 was read as a height, the value that means
// "no answer" everywhere else.
TEST(NodeStatusTest, ANegativeHeightIsRefusedSayingWhatWasExpected) {
  ProbeMap map = testing::TestPlaybook().probe;
  for (const char* h : {"-1", "\"-0x2\""}) {
    auto f = ParseProbeOutput(std::string(R"({"result":{"current-block-number":)") + h + "}}", map);
    ASSERT_FALSE(f.ok()) << h;
    EXPECT_NE(
        f.status().message().find("expected a block height (0 or more), found " + std::string(h)),
        std::string::npos)
        << f.status().message();
  }
}

TEST(NodeStatusTest, ReadsTheVersionWhenTheVersionCommandIsTheProbe) {
  auto pb = LoadPlaybook(testing::ShippedPlaybook("sandbox"));
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  ASSERT_EQ(pb->probe.version, "/result/version");
  auto f = ParseProbeOutput(
      R"({"result":{"version":"validator-sim v2","current-block-number":3,
          "consensus":{"mode":"Normal"}}})",
      pb->probe);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->version, "validator-sim v2");

  // A version command of its own: the probe does not read versions, the upgrade asks.
  auto j = nlohmann::json::parse(testing::ReadFile(testing::ShippedPlaybook("sandbox")));
  j["commands"]["version"] = "{{dir}}/bin/validator-sim --version";
  auto own = ParsePlaybook(j, "sandbox.json");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->probe.version, "");
}

TEST(NodeStatusTest, LeaderByIdAndModeFromKnowingALeader) {
  // etcd's /v3/maintenance/status: ids as decimal strings, no mode of its own.
  auto pb = LoadPlaybook(testing::ShippedPlaybook("etcd"));
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  const std::string self = R"("header":{"member_id":"7","raft_term":"2"},"raftIndex":"40")";
  auto lead = ParseProbeOutput("{" + self + R"(,"leader":"7","raftTerm":"2"})", pb->probe);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->height, 40);
  EXPECT_EQ(lead->view_id, 2);
  EXPECT_EQ(lead->leader, true);
  EXPECT_EQ(lead->mode, "Normal");
  auto follow = ParseProbeOutput("{" + self + R"(,"leader":"9"})", pb->probe);
  ASSERT_TRUE(follow.ok());
  EXPECT_EQ(follow->leader, false);
  EXPECT_EQ(follow->mode, "Normal");
  auto lost = ParseProbeOutput("{" + self + "}", pb->probe);  // the gateway omits a 0 leader
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->leader, false);
  EXPECT_EQ(lost->mode, "NoLeader");

  ProbeMap bare;  // no mode, no leader: an answer means normal
  bare.height = "/h";
  auto f = ParseProbeOutput(R"({"h":3})", bare);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->mode, bare.normal_mode);
  EXPECT_FALSE(f->leader);
}

TEST(NodeStatusTest, ErrorsNameThePointer) {
  ProbeMap map = testing::TestPlaybook().probe;
  EXPECT_EQ(ParseProbeOutput(R"({"result":{}})", map).status().message(),
            "probe output /result/current-block-number: expected a block height (0 or more), found "
            "nothing");
  EXPECT_EQ(ParseProbeOutput("<html>", map).status().message(),
            "probe output is not JSON: \"<html>\"");
  EXPECT_EQ(ParseProbeOutput(R"({"result":{"current-block-number":5,"consensus":{"mode":1}}})", map)
                .status()
                .message(),
            "probe output /result/consensus/mode: expected a mode string, found 1");
}

}  // namespace
}  // namespace shardctl
