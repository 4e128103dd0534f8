#include "transport/fanout.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "transport/fake_transport.h"

namespace shardctl {
namespace {

std::vector<Node> MakeNodes(int n) {
  std::vector<Node> nodes;
  for (int i = 0; i < n; ++i) {
    Node node;
    node.name = "n" + std::to_string(i);
    node.ssh.host = "127.0.0.1";
    nodes.push_back(node);
  }
  return nodes;
}

TEST(FanoutTest, ResultsComeBackInInputOrderWhateverTheCompletionOrder) {
  FakeTransport fake;
  // Earlier nodes finish later, so completion order is roughly reversed.
  fake.SetFallback([](const Node& node, const std::string& cmd) {
    int i = std::stoi(node.name.substr(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * (10 - i)));
    return FakeTransport::Ok(node.name + ":" + cmd);
  });
  auto nodes = MakeNodes(10);
  std::vector<size_t> completion;
  auto results = RunOnNodes(
      fake, NodePointers(nodes), [](const Node& n) { return "echo " + n.name; }, ExecOptions{}, 10,
      [&](size_t i, const Node& n, const ExecResult& r) {
        completion.push_back(i);
        EXPECT_EQ(r.out, n.name + ":echo " + n.name);
      });
  ASSERT_EQ(results.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(results[i].out, "n" + std::to_string(i) + ":echo n" + std::to_string(i));
    EXPECT_TRUE(results[i].ok());
  }
  EXPECT_EQ(completion.size(), 10u);
  EXPECT_EQ(fake.calls().size(), 10u);
}

TEST(FanoutTest, NeverRunsMoreThanParallelismAtOnceAndUsesAllOfIt) {
  FakeTransport fake;
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  int peak = 0;
  fake.SetFallback([&](const Node&, const std::string&) {
    std::unique_lock<std::mutex> lock(mu);
    peak = std::max(peak, ++running);
    cv.notify_all();
    // Hold every call until the pool has shown its full width once (bounded, never a hang).
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return peak >= 4; });
    --running;
    return FakeTransport::Ok();
  });
  auto nodes = MakeNodes(24);
  auto results = RunOnNodes(fake, NodePointers(nodes), "true", ExecOptions{}, 4);
  EXPECT_EQ(peak, 4);
  for (const auto& r : results) EXPECT_TRUE(r.ok());
}

TEST(FanoutTest, CancelStopsNewWorkAndMarksTheRestCancelled) {
  FakeTransport fake;
  CancelToken cancel;
  std::atomic<int> started{0};
  fake.SetFallback([&](const Node&, const std::string&) {
    if (++started == 3) cancel.Cancel();
    return FakeTransport::Ok();
  });
  auto nodes = MakeNodes(20);
  ExecOptions options;
  options.cancel = &cancel;
  auto results = RunOnNodes(fake, NodePointers(nodes), "true", options, 1);
  EXPECT_EQ(started.load(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(results[i].ok()) << i;
  for (int i = 3; i < 20; ++i) {
    EXPECT_EQ(results[i].outcome, ExecResult::Outcome::kCancelled) << i;
  }
}

TEST(FanoutTest, EmptyInputAndDefaultParallelism) {
  FakeTransport fake;
  EXPECT_TRUE(RunOnNodes(fake, {}, "true", ExecOptions{}, 0).empty());
  EXPECT_GE(DefaultParallelism(), 16);
  auto nodes = MakeNodes(3);
  fake.On("", "true", FakeTransport::Ok("x"));
  auto results = RunOnNodes(fake, NodePointers(nodes), "true", ExecOptions{}, 0);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2].out, "x");
}

}  // namespace
}  // namespace shardctl
