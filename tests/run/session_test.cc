// A run's set-up and tear-down (RunSession) on the fake network: the run lock, the node leases,
// the journal's prologue, and a lost lease stopping the run like Ctrl-C.
#include "run/session.h"

#include <gtest/gtest.h>

#include "ops/rolling/rolling.h"
#include "support/fake_run_test.h"

namespace shardctl {
namespace {

// The fake network's transport, lent to a session (which closes what it is given).
class LentTransport : public Transport {
 public:
  explicit LentTransport(Transport& t) : t_(t) {}
  ExecResult Exec(const Node& node, const std::string& command,
                  const ExecOptions& options) override {
    return t_.Exec(node, command, options);
  }
  ExecResult Fetch(const Node& node, const HttpRequest& request,
                   const ExecOptions& options) override {
    return t_.Fetch(node, request, options);
  }
  void CloseAll() override {}

 private:
  Transport& t_;
};

class SessionTest : public testing::FakeRunTest {
 protected:
  void SetUp() override {
    Build(1, 4);
    net_->shard(0).quorum_live = true;
    net_->SetHealthy(0, true);
  }

  SessionRequest Request(const std::string& run_id) {
    SessionRequest r;
    r.state_dir = dir_.path() + "/state";
    r.run_id = run_id;
    r.command = "shardctl rolling-restart";
    r.lease_shards = {0};
    r.prologue = {{Outcome::kHeader, "{}"}};
    r.make_transport = [this] { return std::make_unique<LentTransport>(net_->transport()); };
    r.watcher = &events_;
    r.stop = &stop_;
    r.say = [this](const std::string& line) { said_.push_back(line); };
    return r;
  }

  int Leases(const std::string& op) {
    return static_cast<int>(net_->transport().CallsMatching("", "shardctl-lease " + op).size());
  }

  std::vector<std::string> said_;
};

TEST_F(SessionTest, TakesTheLockAndTheLeasesWritesThePrologueAndGivesThemBack) {
  auto session = RunSession::Open(inv_, pb_, clock_, Request("run-a"));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto second = RunSession::Open(inv_, pb_, clock_, Request("run-b"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kLocked);
  EXPECT_NE(second.status().message().find("run run-a"), std::string::npos)
      << second.status().message();
  EXPECT_EQ(Leases("acquire"), 4);

  WaveOptions all;
  for (const Node& n : inv_.shards[0].nodes) all.targets.insert(n.name);
  auto report = RollingRestart((*session)->ctx(), all);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->AllDone());
  (*session)->Close();
  EXPECT_EQ(Leases("release"), 4);
  EXPECT_FALSE(RunLock::Holder(dir_.path() + "/state", inv_.network).has_value());

  auto entries = ReadJournal(JournalPath(dir_.path() + "/state", "run-a"));
  ASSERT_TRUE(entries.ok());
  ASSERT_GE(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].outcome, Outcome::kHeader) << "the prologue comes first";
  EXPECT_EQ((*entries)[1].step, JournalStep(Step::kLease));
  session->reset();
  EXPECT_TRUE(RunSession::Open(inv_, pb_, clock_, Request("run-c")).ok()) << "the lock is free";
}

TEST_F(SessionTest, ALostLeaseStopsTheRunBetweenStepsAndSaysSo) {
  pb_.lease.ttl = Duration(300);  // renewed every 100 ms
  auto session = RunSession::Open(inv_, pb_, clock_, Request("run-a"));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  RunContext& ctx = (*session)->ctx();
  EXPECT_FALSE(ctx.Stopping());
  net_->leases_lost = true;
  EXPECT_TRUE(testing::WaitFor([&] { return ctx.Stopping(); }, std::chrono::seconds(10)));
  EXPECT_NE(ctx.StopReason().find("a lease was lost"), std::string::npos) << ctx.StopReason();
  EXPECT_TRUE((*session)->lease_lost());
  ASSERT_FALSE(said_.empty());
  EXPECT_NE(said_.back().find("LEASE LOST"), std::string::npos) << said_.back();
}

}  // namespace
}  // namespace shardctl
