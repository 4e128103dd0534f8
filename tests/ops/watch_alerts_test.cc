// Alerts: what AlertBook sends when, the Alertmanager and webhook shapes, and delivery to a
// real HTTP receiver (and past a dead one) by AlertSender.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "ops/watch/alert_sender.h"
#include "ops/watch/alerts.h"
#include "support/alert_receiver.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(AlertBookTest, ChangesGoAtOnceFiringOnesAgainEveryRepeatResolvedOnce) {
  FakeClock clock;
  AlertBook book(Duration(60000), clock);
  EXPECT_TRUE(book.Fire(AlertName::kShardHalted, 2, {{"summary", "halted"}}));
  EXPECT_FALSE(book.Fire(AlertName::kShardHalted, 2, {{"summary", "halted"}}));
  auto due = book.Due();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].shard, 2);
  EXPECT_TRUE(book.Due().empty()) << "nothing changed, repeat not due";
  book.Annotate(AlertName::kShardHalted, 2, "decision", "dry-run: would recover");
  EXPECT_EQ(book.Due().size(), 1u) << "a changed annotation is sent at once";
  clock.Advance(Duration(60000));
  EXPECT_EQ(book.Due().size(), 1u) << "re-sent while firing";
  EXPECT_TRUE(book.Resolve(AlertName::kShardHalted, 2, "committing again"));
  due = book.Due();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(due[0].resolved());
  EXPECT_EQ(due[0].annotations["resolution"], "committing again");
  EXPECT_FALSE(book.Firing(AlertName::kShardHalted, 2));
  clock.Advance(Duration(60000));
  EXPECT_TRUE(book.Due().empty()) << "a resolved alert is sent once";
}

TEST(AlertBookTest, ApiAndWebhookShapesCarryLabelsAndTimes) {
  Alert a{AlertName::kShardStuck, 1, {{"summary", "stuck"}}, 1700000000000, 0};
  json api = AlertToApiJson(a, "sandbox", "http://127.0.0.1:9109/");
  EXPECT_EQ(api["labels"]["alertname"], "ShardctlShardStuck");
  EXPECT_EQ(api["labels"]["network"], "sandbox");
  EXPECT_EQ(api["labels"]["shard"], "1");
  EXPECT_EQ(api["labels"]["severity"], "critical");
  EXPECT_EQ(api["startsAt"], "2023-11-14T22:13:20.000Z");
  EXPECT_FALSE(api.contains("endsAt")) << "a firing alert has no end yet";
  json hook = AlertToWebhookJson(a, "sandbox", "");
  EXPECT_EQ(hook["version"], "4");
  EXPECT_EQ(hook["status"], "firing");
  ASSERT_EQ(hook["alerts"].size(), 1u);
  EXPECT_EQ(hook["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(hook["alerts"][0]["fingerprint"].get<std::string>().size(), 16u);
  a.ends_unix_ms = 1700000060000;
  EXPECT_EQ(AlertToApiJson(a, "sandbox", "")["endsAt"], "2023-11-14T22:14:20.000Z");
  EXPECT_EQ(AlertToWebhookJson(a, "sandbox", "")["status"], "resolved");
  Alert dog{AlertName::kWatchdog, -1, {}, 1, 0};
  EXPECT_FALSE(AlertToApiJson(dog, "n", "")["labels"].contains("shard"));
  EXPECT_EQ(AlertToApiJson(dog, "n", "")["labels"]["severity"], "none");
}

TEST(AlertSenderTest, DeliversToAlertmanagerAndTheWebhook) {
  testing::AlertReceiver rx;
  ASSERT_TRUE(rx.ok());
  {
    AlertSender sender({rx.AlertmanagerUrl(), rx.WebhookUrl(), "sandbox", "", Duration(2000)});
    sender.Send({Alert{AlertName::kShardHalted, 0, {{"summary", "s"}}, 1000, 0},
                 Alert{AlertName::kWatchdog, -1, {}, 1000, 0}});
    EXPECT_TRUE(testing::WaitFor([&] { return rx.Webhooks().size() == 2; }, 10s)) << rx.Describe();
    sender.Send({Alert{AlertName::kShardHalted, 0, {{"summary", "s"}}, 1000, 5000}});
    EXPECT_TRUE(testing::WaitFor([&] { return rx.Got("ShardctlShardHalted", 0, true); }, 10s))
        << rx.Describe();
    EXPECT_EQ(sender.failures(), 0) << sender.last_error();
  }
  EXPECT_TRUE(rx.Got("ShardctlShardHalted", 0, false));
  EXPECT_TRUE(rx.Got("Watchdog", -1, false));
  EXPECT_EQ(rx.Webhooks()[0]["version"], "4");
}

TEST(AlertSenderTest, ADeadReceiverNeverBlocksTheCaller) {
  // A port that accepts connections into its backlog and never answers: a hung receiver.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  {
    AlertSender sender({url, "", "n", "", Duration(300)});
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) sender.Send({Alert{AlertName::kShardHalted, i, {}, 1, 0}});
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s)
        << "Send only queues (50 posts would take 15 s)";
    EXPECT_TRUE(testing::WaitFor([&] { return sender.failures() > 0; }, 10s));
    EXPECT_NE(sender.last_error().find("alert to " + url), std::string::npos)
        << sender.last_error();
  }
  close(fd);
  EXPECT_FALSE(CheckAlertUrl("--alertmanager", "ftp://x").ok());
  EXPECT_FALSE(CheckAlertUrl("--alertmanager", "http://").ok());
  EXPECT_TRUE(CheckAlertUrl("--webhook", "http://127.0.0.1:9/hook").ok());
}

}  // namespace
}  // namespace shardctl
