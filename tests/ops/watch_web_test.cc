// What --listen serves: the metrics (names, labels, one-hot states), the page (state embedded
// safely), the token rule and the approve endpoint.
#include <gtest/gtest.h>
#include <httplib.h>

#include "ops/watch/metrics.h"
#include "ops/watch/page.h"
#include "ops/watch/web_server.h"
#include "support/fake_shards.h"

namespace shardctl {
namespace {

using nlohmann::json;

TEST(WatchMetricsTest, EverySeriesIsThereFromTheStartAndStatesAreOneHot) {
  Inventory inv = testing::MakeInventory(2, 3);
  WatchMetrics m(inv, {0, 1}, "0.1.0 (test)");
  ShardSnapshot s;
  s.shard = 1;
  s.state = ShardState::kStuck;
  s.height = 120;
  s.last_block_unix_ms = 1000;
  NodeStatus up;
  up.node = "s1-0";
  up.answered = true;
  s.nodes = {up};
  m.Update(s, 4500);
  m.ObserveProbeRound(Duration(300));
  m.RecoveryEnded(1, Phase::kHealthy, Duration(9000));
  m.SetPaused(true);
  std::string text = m.Render();
  for (const char* name :
       {"shardctl_shard_height", "shardctl_shard_state", "shardctl_shard_last_block_age_seconds",
        "shardctl_node_up", "shardctl_probe_duration_seconds_bucket", "shardctl_recoveries_total",
        "shardctl_recovery_duration_seconds_count", "shardctl_watch_paused",
        "shardctl_build_info"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << " missing:\n" << text;
  }
  EXPECT_NE(text.find(R"(shardctl_shard_height{network="testnet",shard="1"} 120)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(shardctl_shard_state{network="testnet",shard="1",state="stuck"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(shardctl_shard_state{network="testnet",shard="1",state="healthy"} 0)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(shardctl_shard_last_block_age_seconds{network="testnet",shard="1"} 3.5)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(node="s1-0",shard="1"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(result="healthy",shard="1"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(shardctl_watch_paused{network="testnet"} 1)"), std::string::npos);
}

TEST(WatchPageTest, TheStateIsEmbeddedSoNoNodeTextBecomesMarkup) {
  json state = {{"network", "n"},
                {"interval_ms", 1000},
                {"shards", {{{"shard", 0}, {"reason", "</script><img src=x onerror=alert(1)>"}}}},
                {"decisions", json::array()}};
  std::string page = RenderWatchPage(state);
  EXPECT_EQ(page.find("</script><img"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/script>\\u003cimg"), std::string::npos);
  EXPECT_NE(page.find("setInterval(refresh, 1000)"), std::string::npos);
}

class WebServerTest : public ::testing::Test {
 protected:
  WebHandlers Handlers() {
    WebHandlers h;
    h.metrics = [] { return std::string("shardctl_watch_paused 0\n"); };
    h.state = [] { return json{{"network", "n"}}; };
    h.page = [] { return std::string("<html>page</html>"); };
    h.approve = [this](int shard, const std::string& by) {
      approved_.push_back(shard);
      by_ = by;
      return shard == 9 ? Status::Invalid("shard 9 is not watched here") : Status::Ok();
    };
    return h;
  }
  std::vector<int> approved_;
  std::string by_;
};

TEST_F(WebServerTest, ServesMetricsPageAndApprovalsOnLoopback) {
  auto addr = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(addr.ok());
  auto web = WebServer::Start(*addr, "", Handlers());
  ASSERT_TRUE(web.ok()) << web.status().message();
  httplib::Client c("127.0.0.1", (*web)->port());
  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->get_header_value("Content-Type").find("version=0.0.4"), std::string::npos);
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body, "<html>page</html>");
  auto forged = c.Post("/approve", R"({"shard": 1})", "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << "no X-Shardctl-Approve header: another site's form";
  httplib::Headers h = {{"X-Shardctl-Approve", "1"}};
  auto ok = c.Post("/approve", h, R"({"shard": 1})", "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto bad = c.Post("/approve", h, R"({"shard": 9})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("not watched"), std::string::npos);
  EXPECT_EQ(approved_, (std::vector<int>{1, 9}));
  EXPECT_NE(by_.find("127.0.0.1"), std::string::npos);
}

TEST_F(WebServerTest, BeyondLoopbackATokenIsRequiredAndChecked) {
  auto wide = ParseListenAddress(":0");
  ASSERT_TRUE(wide.ok());
  EXPECT_FALSE(wide->loopback);
  auto refused = WebServer::Start(*wide, "", Handlers());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--token-file"), std::string::npos);
  const std::string token = "0123456789abcdef0123";
  // A token protects loopback too when given (tests stay on 127.0.0.0/8).
  auto web = WebServer::Start(*ParseListenAddress("127.0.0.1:0"), token, Handlers());
  ASSERT_TRUE(web.ok()) << web.status().message();
  httplib::Client c("127.0.0.1", (*web)->port());
  auto anon = c.Get("/metrics");
  ASSERT_TRUE(anon);
  EXPECT_EQ(anon->status, 401);
  auto wrong = c.Get("/metrics", {{"Authorization", "Bearer " + token + "x"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto bearer = c.Get("/metrics", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->status, 200);
  auto query = c.Get("/?token=" + token);
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 200);
  EXPECT_FALSE(ParseListenAddress("127.0.0.1").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999").ok());
  auto v6 = ParseListenAddress("[::1]:9109");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_TRUE(v6->loopback);
}

}  // namespace
}  // namespace shardctl
