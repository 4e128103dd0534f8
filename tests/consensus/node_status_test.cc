#include "consensus/node_status.h"

#include <gtest/gtest.h>

#include "support/fake_shards.h"

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
}

TEST(NodeStatusTest, ErrorsNameThePointer) {
  ProbeMap map = testing::TestPlaybook().probe;
  EXPECT_EQ(ParseProbeOutput(R"({"result":{}})", map).status().message(),
            "probe output /result/current-block-number: expected a block height, found nothing");
  EXPECT_EQ(ParseProbeOutput("<html>", map).status().message(),
            "probe output is not JSON: \"<html>\"");
  EXPECT_EQ(ParseProbeOutput(R"({"result":{"current-block-number":5,"consensus":{"mode":1}}})", map)
                .status()
                .message(),
            "probe output /result/consensus/mode: expected a mode string, found 1");
}

}  // namespace
}  // namespace shardctl
