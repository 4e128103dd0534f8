// The net-faults file a drill writes into a node's dir: parsing, re-reading, delayed sends.
#include "sim/net_faults.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "support/test_util.h"

namespace vsim {
namespace {

using shardctl::testing::TempDir;

TEST(NetFaults, ParsesBlocksDelayAndComments) {
  auto f =
      ParseNetFaults("# drill\nblock s0-n1\n  block s0-n2  # and this one\ndelay_ms 400\n\n", "nf");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(f->Blocks("s0-n1"));
  EXPECT_TRUE(f->Blocks("s0-n2"));
  EXPECT_FALSE(f->Blocks("s0-n3"));
  EXPECT_EQ(f->delay, Duration(400));
  EXPECT_EQ(f->Describe(), "block s0-n1,s0-n2; delay 400 ms");

  auto all = ParseNetFaults("block *\n", "nf");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->Blocks("anyone"));
  EXPECT_EQ(all->Describe(), "block every peer");
  auto none = ParseNetFaults("", "nf");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(none->Describe(), "none");
}

TEST(NetFaults, ErrorsNameFileLineAndWhatWasExpected) {
  auto expect_error = [](const std::string& text, const std::string& needle) {
    auto f = ParseNetFaults(text, "/d/net-faults");
    ASSERT_FALSE(f.ok()) << text;
    EXPECT_NE(f.status().message().find(needle), std::string::npos) << f.status().message();
  };
  expect_error("block a\nblok b\n", "/d/net-faults:2: unknown key \"blok\"");
  expect_error("delay_ms -5\n", "/d/net-faults:1: delay_ms: expected whole milliseconds");
  expect_error("delay_ms 99999999\n", "delay_ms: expected whole milliseconds");
  expect_error("block\n", ":1: expected \"block PEER\" or \"delay_ms N\"");
  expect_error("block a b\n", ":1: expected \"block PEER\"");
}

TEST(NetFaultsFile, RereadsOnChangeKeepsLastGoodOnErrorAndClearsWhenRemoved) {
  TempDir tmp;
  std::string path = tmp.path() + "/net-faults";
  NetFaultsFile file(path);
  EXPECT_FALSE(file.Refresh().has_value());  // absent: no faults, nothing to say
  EXPECT_TRUE(file.current().empty());

  tmp.WriteFile("net-faults", "block *\n");
  auto line = file.Refresh();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, "net faults: block every peer");
  EXPECT_FALSE(file.Refresh().has_value());  // unchanged file: not re-announced

  tmp.WriteFile("net-faults", "block * extra words\n");
  line = file.Refresh();
  ASSERT_TRUE(line.has_value());
  EXPECT_NE(line->find("ignoring " + path + ":1"), std::string::npos) << *line;
  EXPECT_TRUE(file.current().block_all);  // the malformed version changes nothing

  ASSERT_EQ(std::remove(path.c_str()), 0);
  line = file.Refresh();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, "net faults: none");
  EXPECT_TRUE(file.current().empty());
}

TEST(DelayQueue, ReleasesInDueOrderOnlyWhenDue) {
  DelayQueue q;
  TimePoint t0{Duration(1000)};
  q.Push({t0 + Duration(300), 1, "b"});
  q.Push({t0 + Duration(100), 2, "a"});
  q.Push({t0 + Duration(300), 3, "c"});
  ASSERT_TRUE(q.NextDue().has_value());
  EXPECT_EQ(*q.NextDue(), t0 + Duration(100));
  EXPECT_TRUE(q.PopDue(t0).empty());
  auto first = q.PopDue(t0 + Duration(100));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].data, "a");
  auto rest = q.PopDue(t0 + Duration(1000));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].data, "b");  // equal due times keep their push order
  EXPECT_EQ(rest[1].data, "c");
  EXPECT_FALSE(q.NextDue().has_value());
}

}  // namespace
}  // namespace vsim
