// SshTransport through a bastion: one kept bastion session, a direct-tcpip channel per node,
// against two real loopback sshds (the bastion and the nodes' server).
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "support/sshd_fixture.h"
#include "support/test_util.h"
#include "transport/ssh_transport.h"

namespace shardctl::testing {
namespace {

// The processes whose parent is pid (sshd's per-connection children).
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc");
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = ReadFile("/proc/" + name + "/stat");
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + paren + 2, "%*c %d", &ppid) == 1 && ppid == pid) {
      out.push_back(static_cast<pid_t>(std::stol(name)));
    }
  }
  closedir(d);
  return out;
}

class BastionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(bastion_.ok()) << bastion_.error();
    ASSERT_TRUE(target_.ok()) << target_.error();
    known_hosts_ = target_.temp().WriteFile(
        "known_hosts", ReadFile(bastion_.known_hosts()) + ReadFile(target_.known_hosts()));
    via_ = std::make_shared<SshTarget>(bastion_.MakeNode("bastion").ssh);
  }
  Node Behind(const std::string& name) const {
    Node n = target_.MakeNode(name);
    n.ssh.via = via_;
    return n;
  }
  SshTransportOptions Options() const {
    SshTransportOptions o;
    o.known_hosts_override = known_hosts_;
    return o;
  }

  LocalSshd bastion_{"INFO"};
  LocalSshd target_;
  std::string known_hosts_;
  std::shared_ptr<const SshTarget> via_;
};

TEST_F(BastionTest, EveryNodeGoesThroughOneKeptBastionSession) {
  SshTransport t(Options());
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 6; ++i) {
      ExecResult r = t.Exec(Behind("n" + std::to_string(i)), "echo hop-$((1+1))", ExecOptions{});
      ASSERT_TRUE(r.ok()) << r.Reason();
      EXPECT_EQ(r.out, "hop-2\n");
    }
  }
  EXPECT_EQ(t.bastion_sessions_opened(), 1);
  EXPECT_EQ(t.connections_opened(), 6);
  EXPECT_EQ(bastion_.AcceptedLogins(), 1);
  // A large output crosses the tunnel whole (flow control both ways).
  ExecOptions big;
  big.max_output_bytes = 8 << 20;
  ExecResult r = t.Exec(Behind("n0"), "head -c 4000000 /dev/zero | tr '\\0' x", big);
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out.size(), 4000000u);
}

TEST_F(BastionTest, ABastionHostKeyNotKnownRefusesEveryNodeBehindIt) {
  SshTransportOptions o = Options();
  o.known_hosts_override = target_.known_hosts();  // vouches for the nodes only
  SshTransport t(o);
  ExecResult r = t.Exec(Behind("n0"), "true", ExecOptions{});
  EXPECT_EQ(r.outcome, ExecResult::Outcome::kHostKeyRejected) << r.Reason();
  EXPECT_NE(r.detail.find("bastion"), std::string::npos) << r.detail;
  EXPECT_EQ(bastion_.AcceptedLogins(), 0);
}

TEST_F(BastionTest, ABastionThatDiesMidRunFailsItsNodesWithThatReason) {
  SshTransport t(Options());
  ASSERT_TRUE(t.Exec(Behind("n0"), "true", ExecOptions{}).ok());
  ASSERT_TRUE(t.Exec(Behind("n1"), "true", ExecOptions{}).ok());
  pid_t master = static_cast<pid_t>(std::stol(ReadFile(bastion_.dir() + "/sshd.pid")));
  std::vector<pid_t> sessions = ChildrenOf(master);  // the monitor of our one session
  ASSERT_FALSE(sessions.empty());
  for (pid_t p : sessions) {
    for (pid_t child : ChildrenOf(p)) kill(child, SIGKILL);
    kill(p, SIGKILL);
  }
  ExecOptions o;
  o.timeout = std::chrono::seconds(10);
  for (const char* name : {"n0", "n1", "n2"}) {
    ExecResult r = t.Exec(Behind(name), "true", o);
    EXPECT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.outcome, ExecResult::Outcome::kUnreachable) << name << ": " << r.Reason();
    EXPECT_NE(r.detail.find("bastion"), std::string::npos) << name << ": " << r.detail;
  }
  EXPECT_EQ(t.bastion_sessions_opened(), 1);
}

}  // namespace
}  // namespace shardctl::testing
