// Node leases end to end: the lease script over a real OpenSSH sshd, three nodes whose lease
// files live in per-node directories (names with spaces and quotes, to prove the quoting).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lock/node_leases.h"
#include "support/sshd_fixture.h"
#include "transport/ssh_transport.h"

namespace shardctl {
namespace {

using namespace std::chrono_literals;
using testing::LocalSshd;

struct Net {
  LocalSshd sshd;
  Inventory inv;
  SshTransport transport;
  RealClock clock;

  Net() {
    inv.network = "testnet";
    Shard s;
    for (int i = 1; i <= 3; ++i) {
      Node n = sshd.MakeNode("s0-n" + std::to_string(i));
      n.vars["dir"] = sshd.temp().path() + "/node " + std::to_string(i) + " it's";
      s.nodes.push_back(n);
    }
    inv.shards.push_back(s);
  }
  NodeLeaseConfig Config(Duration ttl = 60000ms) {
    NodeLeaseConfig c;
    c.policy.path = "{{dir}}/lease-{{network}}";
    c.policy.ttl = ttl;
    return c;
  }
  std::string LeaseFile(int node) {
    return sshd.temp().path() + "/node " + std::to_string(node) + " it's/lease-testnet";
  }
};

LeaseHolder NodeHolder(const std::string& id, int64_t start = 1764134400) {
  return {id, id == "run-a" ? "alice@ops-1" : "bob@ops-2", "shardctl rolling-restart", start, 0};
}

TEST(NodeLeaseSshd, SecondRunIsRefusedWithTheHolderUntilRelease) {
  Net net;
  ASSERT_TRUE(net.sshd.ok()) << net.sshd.error();
  NodeLeases a(net.transport, net.inv, net.clock, net.Config(), NodeHolder("run-a"));
  NodeLeases b(net.transport, net.inv, net.clock, net.Config(), NodeHolder("run-b"));
  ASSERT_TRUE(a.Acquire(0, nullptr).ok());
  EXPECT_TRUE(std::filesystem::exists(net.LeaseFile(2)));
  Status refused = b.Acquire(0, nullptr);
  ASSERT_EQ(refused.code(), Status::Code::kFailed);
  EXPECT_NE(refused.message().find("held by run run-a (alice@ops-1, 'shardctl rolling-restart', "
                                   "since 2025-11-26 05:20:00 UTC) on s0-n1, s0-n2, s0-n3"),
            std::string::npos)
      << refused.message();
  EXPECT_TRUE(a.Renew().ok());
  a.Release();
  EXPECT_FALSE(std::filesystem::exists(net.LeaseFile(1)));
  EXPECT_TRUE(b.Acquire(0, nullptr).ok());
  b.Release();
}

TEST(NodeLeaseSshd, AnExpiredLeaseIsTakenOverAndItsHolderLosesIt) {
  Net net;
  ASSERT_TRUE(net.sshd.ok()) << net.sshd.error();
  // 5 s: long enough that b's first try comes before the expiry on a loaded machine (with 2 s,
  // a load of 16 made the two acquisitions take longer than the lease lived).
  NodeLeases a(net.transport, net.inv, net.clock, net.Config(5000ms), NodeHolder("run-a"));
  NodeLeases b(net.transport, net.inv, net.clock, net.Config(5000ms), NodeHolder("run-b"));
  ASSERT_TRUE(a.Acquire(0, nullptr).ok());
  EXPECT_EQ(b.Acquire(0, nullptr).code(), Status::Code::kFailed) << "not expired yet";
  std::vector<std::string> notes;
  EXPECT_TRUE(testing::WaitFor([&] { return b.Acquire(0, &notes).ok(); }, 30s, 200ms));
  ASSERT_GE(notes.size(), 2u)
      << "more than half of 3 nodes; a node whose clock ticked later may still hold";
  EXPECT_NE(notes[0].find("took over the expired lease of run run-a (alice@ops-1"),
            std::string::npos)
      << notes[0];
  Status lost = a.Renew();
  EXPECT_EQ(lost.code(), Status::Code::kFailed);
  EXPECT_NE(lost.message().find("held by run run-b"), std::string::npos) << lost.message();
  a.Release();  // must not remove b's leases
  EXPECT_TRUE(std::filesystem::exists(net.LeaseFile(1)));
  EXPECT_TRUE(b.Renew().ok());
}

// A run killed mid-step leaves its mutex directory behind; the next script must not wait for it
// to age (that outlasted the command's timeout) but see that its holder is gone.
TEST(NodeLeaseSshd, AMutexLeftByAKilledScriptIsTakenAtOnce) {
  Net net;
  ASSERT_TRUE(net.sshd.ok()) << net.sshd.error();
  pid_t gone = fork();
  if (gone == 0) _exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(waitpid(gone, nullptr, 0), gone);
  for (int i = 1; i <= 3; ++i) {
    const std::string mutex = net.LeaseFile(i) + ".mutex";
    std::filesystem::create_directories(mutex);
    std::ofstream(mutex + "/pid") << gone << "\n";
  }
  NodeLeases a(net.transport, net.inv, net.clock, net.Config(), NodeHolder("run-a"));
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(a.Acquire(0, nullptr).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "waited for the mutex to age";
  for (int i = 1; i <= 3; ++i) {
    EXPECT_FALSE(std::filesystem::exists(net.LeaseFile(i) + ".mutex")) << "node " << i;
  }
  a.Release();
}

TEST(NodeLeaseSshd, ReadAndBreakSeeEveryNode) {
  Net net;
  ASSERT_TRUE(net.sshd.ok()) << net.sshd.error();
  NodeLeases a(net.transport, net.inv, net.clock, net.Config(), NodeHolder("run-a"));
  ASSERT_TRUE(a.Acquire(0, nullptr).ok());
  auto nodes = net.inv.AllNodes();
  auto read = RunNodeLeaseOp(net.transport, net.inv, nodes, net.Config(), NodeLeaseOp::kRead, {});
  ASSERT_EQ(read.size(), 3u);
  for (const NodeLeaseAnswer& r : read) {
    EXPECT_TRUE(r.answered) << r.error;
    EXPECT_EQ(r.reply.state, NodeLeaseState::kLease);
    EXPECT_EQ(r.reply.holder.run_id, "run-a");
    EXPECT_GE(r.reply.holder.expiry_unix_s, r.reply.node_now_s + 59);
  }
  LeaseHolder target;
  target.run_id = "run-a";
  auto broke =
      RunNodeLeaseOp(net.transport, net.inv, nodes, net.Config(), NodeLeaseOp::kRelease, target);
  for (const NodeLeaseAnswer& r : broke) EXPECT_EQ(r.reply.state, NodeLeaseState::kReleased);
  EXPECT_EQ(a.Renew().code(), Status::Code::kFailed);
  read = RunNodeLeaseOp(net.transport, net.inv, nodes, net.Config(), NodeLeaseOp::kRead, {});
  for (const NodeLeaseAnswer& r : read) EXPECT_EQ(r.reply.state, NodeLeaseState::kFree);
}

TEST(NodeLeaseSshd, MajorityWithOneNodeDown) {
  Net net;
  ASSERT_TRUE(net.sshd.ok()) << net.sshd.error();
  net.inv.shards[0].nodes[2].ssh.port = testing::FreePort();  // nothing listens there
  NodeLeases a(net.transport, net.inv, net.clock, net.Config(), NodeHolder("run-a"));
  EXPECT_TRUE(a.Acquire(0, nullptr).ok()) << "2 of 3 answer";
  net.inv.shards[0].nodes[1].ssh.port = net.inv.shards[0].nodes[2].ssh.port;
  SshTransport other;  // net.transport keeps its session to s0-n2
  NodeLeases b(other, net.inv, net.clock, net.Config(), NodeHolder("run-b"));
  Status st = b.Acquire(0, nullptr);
  EXPECT_EQ(st.code(), Status::Code::kFailed);
  EXPECT_NE(st.message().find("not answering: s0-n2 (unreachable"), std::string::npos)
      << st.message();
  a.Release();
}

}  // namespace
}  // namespace shardctl
