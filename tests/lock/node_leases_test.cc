// NodeLeases against a FakeTransport: majority by count, refusal with the holder, giving back
// what was taken, takeover notes, and loss on renewal. The script itself runs against a real
// sshd in node_lease_sshd_test.cc.
#include "lock/node_leases.h"

#include <gtest/gtest.h>

#include "lock/run_leases.h"
#include "transport/fake_transport.h"

namespace shardctl {
namespace {

using namespace std::chrono_literals;

Inventory FourNodes() {
  Inventory inv;
  inv.network = "testnet";
  Shard s;
  s.id = 0;
  for (int i = 1; i <= 4; ++i) {
    Node n;
    n.name = "s0-n" + std::to_string(i);
    n.vars["node.name"] = n.name;
    s.nodes.push_back(n);
  }
  inv.shards.push_back(s);
  return inv;
}

LeaseHolder Me() { return {"run-me", "alice@ops-1", "shardctl rolling-restart", 1700000000, 0}; }

const char* kOtherHolder =
    "now=1700000100\nexpiry=1700000160\nrun_id=run-other\noperator=bob@ops-2\n"
    "command=shardctl recover\nstart=1700000000\n";

struct Fixture {
  FakeClock clock;
  FakeTransport transport{&clock};
  Inventory inv = FourNodes();
  NodeLeases leases{transport, inv, clock, NodeLeaseConfig{}, Me()};

  void Answer(const std::string& node, const std::string& op, const std::string& out) {
    transport.On(node, " shardctl-lease " + op + " ", FakeTransport::Ok(out));
  }
};

TEST(NodeLeases, HoldsAShardWithMoreThanHalfOfItsNodes) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  f.Answer("s0-n4", "acquire", std::string("held\n") + kOtherHolder);
  std::vector<std::string> notes;
  EXPECT_TRUE(f.leases.Acquire(0, &notes).ok());
  EXPECT_EQ(f.leases.shards(), std::vector<int>{0});
  EXPECT_TRUE(notes.empty());
}

TEST(NodeLeases, HalfIsNotEnoughAndTheTakenOnesAreGivenBack) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  f.Answer("", "release", "released\nnow=1700000100\n");
  f.Answer("s0-n3", "acquire", std::string("held\n") + kOtherHolder);
  f.Answer("s0-n4", "acquire", std::string("held\n") + kOtherHolder);
  Status st = f.leases.Acquire(0, nullptr);
  ASSERT_EQ(st.code(), Status::Code::kFailed);
  EXPECT_NE(st.message().find("run run-other (bob@ops-2, 'shardctl recover', since 2023-11-14 "
                              "22:13:20 UTC) on s0-n3, s0-n4"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(f.transport.CallsMatching("s0-n1", "shardctl-lease release ").size(), 1u);
  EXPECT_EQ(f.transport.CallsMatching("s0-n2", "shardctl-lease release ").size(), 1u);
  EXPECT_EQ(f.transport.CallsMatching("s0-n3", "shardctl-lease release ").size(), 0u);
  EXPECT_TRUE(f.leases.shards().empty());
}

TEST(NodeLeases, NodesThatDoNotAnswerCountAgainst) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  f.Answer("", "release", "released\nnow=1700000100\n");
  for (const char* n : {"s0-n2", "s0-n3"}) {
    f.transport.On(n, "shardctl-lease",
                   FakeTransport::Failure(ExecResult::Outcome::kUnreachable, "connection refused"));
  }
  Status st = f.leases.Acquire(0, nullptr);
  ASSERT_EQ(st.code(), Status::Code::kFailed);
  EXPECT_NE(st.message().find("not answering: s0-n2 (unreachable: connection refused)"),
            std::string::npos)
      << st.message();
}

TEST(NodeLeases, AnExpiredLeaseIsTakenOverWithANote) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  f.Answer("s0-n2", "acquire", std::string("took-over\n") + kOtherHolder);
  std::vector<std::string> notes;
  ASSERT_TRUE(f.leases.Acquire(0, &notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].rfind("s0-n2: took over the expired lease of run run-other (bob@ops-2", 0), 0u)
      << notes[0];
}

TEST(NodeLeases, RenewalLosesTheShardWhenMostNodesSayLost) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  ASSERT_TRUE(f.leases.Acquire(0, nullptr).ok());
  f.Answer("", "renew", "renewed\nnow=1700000120\n");
  EXPECT_TRUE(f.leases.Renew().ok());
  f.Answer("s0-n1", "renew", std::string("lost\n") + kOtherHolder);
  EXPECT_TRUE(f.leases.Renew().ok()) << "3 of 4 still ours";
  f.Answer("s0-n2", "renew", "lost\nnow=1700000140\n");
  Status st = f.leases.Renew();
  ASSERT_EQ(st.code(), Status::Code::kFailed);
  EXPECT_NE(st.message().find("s0-n1 now held by run run-other"), std::string::npos)
      << st.message();
}

TEST(NodeLeases, SilentNodesKeepTheirLeaseUntilItWouldHaveExpired) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  ASSERT_TRUE(f.leases.Acquire(0, nullptr).ok());
  f.transport.On("", "shardctl-lease renew ",
                 FakeTransport::Failure(ExecResult::Outcome::kTimedOut, "timed out"));
  f.Answer("s0-n1", "renew", "renewed\nnow=1700000120\n");
  f.clock.Advance(30s);
  EXPECT_TRUE(f.leases.Renew().ok()) << "ttl 60 s has not passed";
  f.clock.Advance(31s);
  EXPECT_EQ(f.leases.Renew().code(), Status::Code::kFailed) << "only s0-n1 is known to be ours";
}

TEST(NodeLeases, ReleaseGivesBackEveryNodeOnce) {
  Fixture f;
  f.Answer("", "acquire", "acquired\nnow=1700000100\n");
  f.Answer("", "release", "released\nnow=1700000100\n");
  ASSERT_TRUE(f.leases.Acquire(0, nullptr).ok());
  f.leases.Release();
  f.leases.Release();
  EXPECT_EQ(f.transport.CallsMatching("", "shardctl-lease release ").size(), 4u);
  EXPECT_TRUE(f.leases.shards().empty());
}

TEST(RunLeases, ARefusedShardGivesBackTheShardsAlreadyTaken) {
  FakeClock clock;
  FakeTransport transport(&clock);
  Inventory inv = FourNodes();
  Shard s1 = inv.shards[0];
  s1.id = 1;
  for (Node& n : s1.nodes) n.name = "s1-" + n.name.substr(3);
  inv.shards.push_back(s1);
  transport.On("", " shardctl-lease acquire ", FakeTransport::Ok("acquired\nnow=1\n"));
  transport.On("", " shardctl-lease release ", FakeTransport::Ok("released\nnow=1\n"));
  for (const char* n : {"s1-n1", "s1-n2"}) {
    transport.On(n, " shardctl-lease acquire ",
                 FakeTransport::Ok(std::string("held\n") + kOtherHolder));
  }
  RunLeases leases(transport, inv, clock, NodeLeaseConfig{}, Me());
  Status st = leases.Acquire({0, 1}, nullptr);
  EXPECT_EQ(st.code(), Status::Code::kFailed);
  EXPECT_NE(st.message().find("shard 1: "), std::string::npos) << st.message();
  EXPECT_EQ(transport.CallsMatching("", "shardctl-lease release ").size(), 6u)
      << "4 of shard 0, 2 of shard 1";
  EXPECT_FALSE(leases.lost());
}

TEST(NodeLeaseScript, CommandQuotesEveryValue) {
  LeaseHolder h{"run'; rm -rf /", "e$(vil)@h", "c`x`", 1, 0};
  std::string cmd = NodeLeaseCommand(NodeLeaseOp::kAcquire, "/tmp/x", h, 60);
  EXPECT_NE(cmd.find(" 'run'\"'\"'; rm -rf /' "), std::string::npos) << cmd;
  EXPECT_EQ(cmd.find(" e$(vil)"), std::string::npos);
}

TEST(NodeLeaseScript, ParsesAnswersAndErrors) {
  auto r = ParseNodeLeaseReply(std::string("held\n") + kOtherHolder);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, NodeLeaseState::kHeld);
  EXPECT_EQ(r->node_now_s, 1700000100);
  EXPECT_EQ(r->holder.expiry_unix_s, 1700000160);
  EXPECT_EQ(r->holder.operator_name, "bob@ops-2");
  auto e = ParseNodeLeaseReply("error cannot create /x\n");
  EXPECT_EQ(e.status().message(), "lease script: cannot create /x");
  EXPECT_FALSE(ParseNodeLeaseReply("sh: 1: stat: not found\n").ok());
}

}  // namespace
}  // namespace shardctl
