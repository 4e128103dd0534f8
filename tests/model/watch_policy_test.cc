#include "model/watch_policy.h"

#include <gtest/gtest.h>

#include "model/playbook.h"
#include "support/playbook_json.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

TEST(WatchPolicyTest, DefaultsAreTheSafeOnes) {
  auto pb = ParsePlaybook(testing::MinimalPlaybookJson(), "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  EXPECT_FALSE(pb->watch.present);
  EXPECT_FALSE(pb->gate.present);
  EXPECT_EQ(pb->watch.interval.count(), 5000);
  EXPECT_EQ(pb->watch.halt_after.count(), 60000);
  EXPECT_EQ(pb->watch.confirm_for.count(), 30000);
  EXPECT_EQ(pb->watch.max_recoveries, 2);
  EXPECT_EQ(pb->watch.max_shards_at_once, 1);
  EXPECT_EQ(pb->watch.correlated_shards, 1);
}

TEST(WatchPolicyTest, ReadsTheSectionAndTheGatesPresence) {
  json j = testing::MinimalPlaybookJson();
  j["gate"] = {{"min_new_blocks", 2}};
  j["watch"] = {{"interval_s", 0.5},      {"halt_after_s", 2},         {"for_s", 1},
                {"max_recoveries", 3},    {"window_s", 600},           {"max_shards_at_once", 4},
                {"correlated_shards", 4}, {"correlated_window_s", 30}, {"after_deploy_s", 0},
                {"alert_repeat_s", 5}};
  auto pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  EXPECT_TRUE(pb->gate.present);
  const WatchPolicy& w = pb->watch;
  EXPECT_TRUE(w.present);
  EXPECT_EQ(w.interval.count(), 500);
  EXPECT_EQ(w.halt_after.count(), 2000);
  EXPECT_EQ(w.confirm_for.count(), 1000);
  EXPECT_EQ(w.max_recoveries, 3);
  EXPECT_EQ(w.window.count(), 600000);
  EXPECT_EQ(w.max_shards_at_once, 4);
  EXPECT_EQ(w.correlated_shards, 4);
  EXPECT_EQ(w.correlated_window.count(), 30000);
  EXPECT_EQ(w.after_deploy.count(), 0);
  EXPECT_EQ(w.alert_repeat.count(), 5000);
  EXPECT_EQ(WatchPolicyToJson(w)["for_s"], 1.0);
}

TEST(WatchPolicyTest, ErrorsNameTheFileAndPointer) {
  json j = testing::MinimalPlaybookJson();
  j["watch"] = {{"interval_s", 1}, {"max_recoverys", 2}};
  auto pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("pb.json:/watch: unknown key \"max_recoverys\""),
            std::string::npos)
      << pb.status().message();
  j["watch"] = {{"interval_s", -1}};
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("pb.json:/watch/interval_s: expected"), std::string::npos)
      << pb.status().message();
  j["watch"] = {{"interval_s", 10}, {"halt_after_s", 5}};
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("pb.json:/watch/halt_after_s"), std::string::npos)
      << pb.status().message();
  j["watch"] = "fast";
  pb = ParsePlaybook(j, "pb.json");
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("pb.json:/watch"), std::string::npos);
}

TEST(WatchPolicyTest, APolicyFileHasTheSameKeysAndNamesItself) {
  testing::TempDir dir;
  auto good = LoadWatchPolicy(dir.WriteFile("w.json", R"({"correlated_shards": 2, "for_s": 0})"));
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->correlated_shards, 2);
  EXPECT_EQ(good->confirm_for.count(), 0);
  std::string bad = dir.WriteFile("bad.json", R"({"correlated_shards": "two"})");
  auto r = LoadWatchPolicy(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(bad + ":/correlated_shards: expected"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(LoadWatchPolicy(dir.path() + "/missing.json").ok());
}

}  // namespace
}  // namespace shardctl
