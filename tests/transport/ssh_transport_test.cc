// SshTransport against a real private sshd on loopback (tools/local-sshd).
#include "transport/ssh_transport.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <sstream>
#include <thread>

#include "support/sshd_fixture.h"
#include "transport/fanout.h"

namespace shardctl {
namespace {

using testing::LocalSshd;
using testing::ReadFile;
using testing::RunCommand;
using ExecOutcome = ExecResult::Outcome;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

ExecOptions Opts(Duration timeout = Duration(10000)) {
  ExecOptions o;
  o.timeout = timeout;
  return o;
}

/// "SHA256:..." of a public key file, as ssh-keygen prints it.
std::string Sha256Of(const std::string& pub_file) {
  std::string out;
  if (RunCommand({"ssh-keygen", "-l", "-E", "sha256", "-f", pub_file}, &out) != 0) return "?";
  std::istringstream in(out);
  std::string bits, fp;
  in >> bits >> fp;
  return fp;
}

/// A fresh ed25519 key pair at path (path.pub holds the public half).
bool MakeKey(const std::string& path, const std::string& passphrase = "") {
  return RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "other", "-f",
                     path}) == 0;
}

class SshTransportTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sshd_.ok()) << sshd_.error(); }
  LocalSshd sshd_;
};

TEST_F(SshTransportTest, RunsCommandAndSeparatesStdoutFromStderr) {
  SshTransport t;
  ExecResult r = t.Exec(sshd_.MakeNode("a"), "echo hello; echo oops >&2", Opts());
  ASSERT_EQ(r.outcome, ExecOutcome::kExited) << r.Reason();
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_EQ(r.err, "oops\n");
  EXPECT_FALSE(r.out_truncated);
  EXPECT_GT(r.duration.count(), 0);
}

TEST_F(SshTransportTest, ReportsNonZeroExit) {
  SshTransport t;
  ExecResult r = t.Exec(sshd_.MakeNode("a"), "echo partial; exit 3", Opts());
  ASSERT_EQ(r.outcome, ExecOutcome::kExited) << r.Reason();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "partial\n");
  EXPECT_EQ(r.Reason(), "exit 3");
}

TEST_F(SshTransportTest, ReportsKillSignalByName) {
  SshTransport t;
  ExecResult r = t.Exec(sshd_.MakeNode("a"), "kill -KILL $$", Opts());
  ASSERT_EQ(r.outcome, ExecOutcome::kSignaled) << r.Reason();
  EXPECT_EQ(r.signal, "KILL");
  EXPECT_EQ(r.Reason(), "killed by signal KILL");
}

TEST_F(SshTransportTest, BoundsLargeOutputWithoutDeadlockAndKeepsAllWhenAllowed) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  const std::string cmd =
      "head -c 4194304 /dev/zero | tr '\\0' x; head -c 2097152 /dev/zero | tr '\\0' y >&2";
  ExecOptions o = Opts(Duration(30000));
  o.max_output_bytes = 1 << 20;
  ExecResult r = t.Exec(node, cmd, o);
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out.size(), 1u << 20);
  EXPECT_TRUE(r.out_truncated);
  EXPECT_EQ(r.err.size(), 1u << 20);
  EXPECT_TRUE(r.err_truncated);

  o.max_output_bytes = 8 << 20;
  r = t.Exec(node, cmd, o);
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out, std::string(4 << 20, 'x'));
  EXPECT_EQ(r.err, std::string(2 << 20, 'y'));
  EXPECT_FALSE(r.out_truncated);
  EXPECT_FALSE(r.err_truncated);
  EXPECT_EQ(t.connections_opened(), 1);
}

TEST_F(SshTransportTest, WritesStdinDataThenEofOnTheKeptSession) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  ASSERT_TRUE(t.Exec(node, "true", Opts()).ok());
  // Larger than OpenSSH's 2 MiB channel window, with every byte value, checked on the far side.
  std::string data;
  for (size_t i = 0; i < (5u << 20) + 7; ++i) data.push_back(static_cast<char>((i * 131) % 256));
  ExecOptions o = Opts(Duration(30000));
  o.stdin_data = &data;
  ExecResult r = t.Exec(node, "wc -c; echo done >&2", o);
  ASSERT_TRUE(r.ok()) << r.Reason() << " " << r.err;
  EXPECT_EQ(std::stoul(r.out), data.size());
  EXPECT_EQ(r.err, "done\n");
  r = t.Exec(node, "od -An -tx1 | head -n1", o);
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out, " 00 83 06 89 0c 8f 12 95 18 9b 1e a1 24 a7 2a ad\n");
  std::string empty;
  o.stdin_data = &empty;
  r = t.Exec(node, "cat; echo end", o);  // EOF at once: cat ends
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out, "end\n");
  EXPECT_EQ(t.connections_opened(), 1);  // no second handshake
}

TEST_F(SshTransportTest, StdinToACommandThatNeverReadsTimesOut) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  std::string data(8u << 20, 'z');
  ExecOptions o = Opts(Duration(1500));
  o.stdin_data = &data;
  ExecResult r = t.Exec(node, "sleep 30", o);
  EXPECT_EQ(r.outcome, ExecOutcome::kTimedOut) << r.Reason();
  ExecResult again = t.Exec(node, "echo again", Opts());
  ASSERT_TRUE(again.ok()) << again.Reason();
  EXPECT_EQ(again.out, "again\n");
}

TEST_F(SshTransportTest, TimesOutAndTheSessionStaysUsable) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  ASSERT_TRUE(t.Exec(node, "true", Opts()).ok());  // connect outside the measured call
  auto start = steady_clock::now();
  ExecResult r = t.Exec(node, "sleep 30", Opts(Duration(1000)));
  auto took = steady_clock::now() - start;
  EXPECT_EQ(r.outcome, ExecOutcome::kTimedOut) << r.Reason();
  EXPECT_GE(took, milliseconds(950));  // deadlines are kept in whole milliseconds
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_NE(r.Reason().find("timed out after 1"), std::string::npos) << r.Reason();

  ExecResult again = t.Exec(node, "echo again", Opts());
  ASSERT_TRUE(again.ok()) << again.Reason();
  EXPECT_EQ(again.out, "again\n");
  EXPECT_EQ(t.connections_opened(), 1);
}

// True while a process whose command line starts with marker runs (the sshd is local).
bool RunsOnTheNode(const std::string& marker) {
  return RunCommand({"pgrep", "-f", "^" + marker}) == 0;
}

TEST_F(SshTransportTest, ATimedOutCommandIsKilledOnTheNodeEvenWithoutSignalRequests) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  const std::string marker = "sleep 1000." + std::to_string(getpid());  // unique to this test
  ExecResult r = t.Exec(node, marker, Opts(Duration(1000)));
  EXPECT_EQ(r.outcome, ExecOutcome::kTimedOut) << r.Reason();
  EXPECT_TRUE(r.remote_killed) << r.Reason();
  EXPECT_TRUE(testing::WaitFor([&] { return !RunsOnTheNode(marker); }, milliseconds(10000)))
      << "still running on the node";
}

// The login shell sshd starts reads root's rc file from the sshd's private HOME; the command
// must not start a second shell that reads it again, and a kill must not land inside it.
TEST_F(SshTransportTest, RcFilesRunOncePerCommandAndATimeoutKillsTheCommandNotThem) {
  const std::string log = sshd_.dir() + "/home/rc.log";
  sshd_.temp().WriteFile("ssh/home/.bashrc",
                         "echo start >> " + log + "; sleep 0.3; echo done >> " + log + "\n");
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  std::string four_runs;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(t.Exec(node, "true", Opts()).ok());
    four_runs += "start\ndone\n";
  }
  EXPECT_EQ(ReadFile(log), four_runs);
  // The deadline passes while the rc file still sleeps: the command is killed once it starts.
  const std::string marker = "sleep 1003." + std::to_string(getpid());
  ExecResult r = t.Exec(node, marker, Opts(Duration(100)));
  EXPECT_EQ(r.outcome, ExecOutcome::kTimedOut) << r.Reason();
  EXPECT_TRUE(r.remote_killed) << r.Reason();
  EXPECT_TRUE(testing::WaitFor([&] { return !RunsOnTheNode(marker); }, milliseconds(10000)));
  std::string after = ReadFile(log);
  EXPECT_EQ(after.substr(after.size() - 11), "start\ndone\n") << after;
}

TEST_F(SshTransportTest, OneWatchdogBesideTheCommandAndNoSecondShell) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  ASSERT_TRUE(t.Exec(node, "true", Opts()).ok());
  const int idle = sshd_.Descendants();
  const std::string marker = "sleep 1004." + std::to_string(getpid());
  auto command = std::async(std::launch::async, [&] { return t.Exec(node, marker, Opts()); });
  ASSERT_TRUE(testing::WaitFor([&] { return RunsOnTheNode(marker); }, milliseconds(10000)));
  // The login shell running the command, the command's own process, and one watchdog.
  EXPECT_LE(sshd_.Descendants() - idle, 3);
  RunCommand({"pkill", "-f", "^" + marker});
  EXPECT_EQ(command.get().outcome, ExecOutcome::kSignaled);  // the shell dies as its command did
}

TEST_F(SshTransportTest, ACancelledCommandIsKilledOnTheNode) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  const std::string marker = "sleep 1001." + std::to_string(getpid());
  CancelToken cancel;
  ExecOptions o = Opts(Duration(60000));
  o.cancel = &cancel;
  std::thread canceller([&] {
    testing::WaitFor([&] { return RunsOnTheNode(marker); }, milliseconds(10000));
    cancel.Cancel();
  });
  ExecResult r = t.Exec(node, marker, o);
  canceller.join();
  EXPECT_EQ(r.outcome, ExecOutcome::kCancelled) << r.Reason();
  EXPECT_TRUE(testing::WaitFor([&] { return !RunsOnTheNode(marker); }, milliseconds(15000)))
      << "still running on the node";
}

TEST_F(SshTransportTest, DoesNotHangOnABackgroundProcessHoldingStdout) {
  SshTransport t;
  auto start = steady_clock::now();
  ExecResult r = t.Exec(sshd_.MakeNode("a"), "sleep 20 & echo started", Opts(Duration(15000)));
  EXPECT_LT(steady_clock::now() - start, milliseconds(6000));
  ASSERT_EQ(r.outcome, ExecOutcome::kExited) << r.Reason();
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_NE(r.detail.find("kept stdout/stderr open"), std::string::npos) << r.detail;
  ExecResult again = t.Exec(sshd_.MakeNode("a"), "echo next", Opts());
  EXPECT_EQ(again.out, "next\n") << again.Reason();
}

TEST_F(SshTransportTest, ReusesOneConnectionPerNode) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  // $SSH_CONNECTION names the client's source port: equal means the same TCP connection.
  ExecResult first = t.Exec(node, "echo $SSH_CONNECTION", Opts());
  ExecResult second = t.Exec(node, "echo $SSH_CONNECTION", Opts());
  ASSERT_TRUE(first.ok() && second.ok()) << first.Reason() << " / " << second.Reason();
  EXPECT_FALSE(first.out.empty());
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(t.connections_opened(), 1);

  t.CloseAll();
  ExecResult third = t.Exec(node, "echo $SSH_CONNECTION", Opts());
  ASSERT_TRUE(third.ok()) << third.Reason();
  EXPECT_NE(third.out, first.out);
  EXPECT_EQ(t.connections_opened(), 2);
}

TEST_F(SshTransportTest, ReconnectsOnceWhenAKeptSessionDied) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  // The command runs in the login shell (transport/remote_wrapper.h), whose parent is this
  // connection's sshd process; print it, then kill it in background.
  ExecResult r =
      t.Exec(node, "p=$PPID; echo $p; (sleep 0.2; kill -KILL $p) >/dev/null 2>&1 &", Opts());
  ASSERT_TRUE(r.ok()) << r.Reason();
  int server_pid = std::stoi(r.out);
  ASSERT_TRUE(testing::WaitFor([&] { return kill(server_pid, 0) != 0; }, milliseconds(5000)));
  ExecResult after = t.Exec(node, "echo back", Opts());
  ASSERT_TRUE(after.ok()) << after.Reason();
  EXPECT_EQ(after.out, "back\n");
  EXPECT_EQ(t.connections_opened(), 2);
}

TEST(SshTransportNoServerTest, RefusedConnectionIsUnreachableFast) {
  testing::TempDir tmp;
  Node node;
  node.name = "gone";
  node.ssh.host = "127.0.0.1";
  node.ssh.port = testing::FreePort();
  node.ssh.user = "root";
  node.ssh.identity_file = tmp.path() + "/none";
  node.ssh.known_hosts = tmp.WriteFile("known_hosts", "");
  SshTransport t;
  auto start = steady_clock::now();
  ExecResult r = t.Exec(node, "true", Opts());
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(r.outcome, ExecOutcome::kUnreachable) << r.Reason();
  EXPECT_NE(r.detail.find(std::to_string(node.ssh.port)), std::string::npos) << r.detail;
}

TEST_F(SshTransportTest, RefusesUnknownHostKeyWithItsFingerprint) {
  const std::string fp = Sha256Of(sshd_.dir() + "/host_ed25519.pub");
  ASSERT_EQ(fp.rfind("SHA256:", 0), 0u) << fp;
  for (bool file_exists : {true, false}) {
    Node node = sshd_.MakeNode("a");
    node.ssh.known_hosts = sshd_.temp().path() + "/empty_known_hosts";
    if (file_exists) sshd_.temp().WriteFile("empty_known_hosts", "");
    SshTransport t;
    ExecResult r = t.Exec(node, "true", Opts());
    EXPECT_EQ(r.outcome, ExecOutcome::kHostKeyRejected) << r.Reason();
    EXPECT_NE(r.detail.find(fp), std::string::npos) << r.detail;
    EXPECT_NE(r.detail.find(node.ssh.known_hosts), std::string::npos) << r.detail;
    EXPECT_NE(r.detail.find("[127.0.0.1]:" + std::to_string(sshd_.port())), std::string::npos)
        << r.detail;
    EXPECT_EQ(t.connections_opened(), 0);
    std::remove(node.ssh.known_hosts.c_str());
  }
}

TEST_F(SshTransportTest, AcceptNewRecordsTheKeyAndLaterStrictConnectsPass) {
  Node node = sshd_.MakeNode("a");
  node.ssh.known_hosts = sshd_.temp().path() + "/new/known_hosts";  // neither file nor dir yet
  {
    SshTransportOptions o;
    o.accept_new_host_keys = true;
    SshTransport t(o);
    ExecResult r = t.Exec(node, "echo in", Opts());
    ASSERT_TRUE(r.ok()) << r.Reason();
  }
  std::string recorded = ReadFile(node.ssh.known_hosts);
  EXPECT_NE(recorded.find("[127.0.0.1]:" + std::to_string(sshd_.port())), std::string::npos)
      << recorded;
  SshTransport strict;
  ExecResult r = strict.Exec(node, "echo in", Opts());
  EXPECT_TRUE(r.ok()) << r.Reason();
}

TEST_F(SshTransportTest, RefusesChangedHostKeyEvenWithAcceptNew) {
  const std::string other = sshd_.temp().path() + "/other_host";
  ASSERT_TRUE(MakeKey(other));
  std::string pub = ReadFile(other + ".pub");
  Node node = sshd_.MakeNode("a");
  node.ssh.known_hosts = sshd_.temp().WriteFile(
      "changed_known_hosts", "[127.0.0.1]:" + std::to_string(sshd_.port()) + " " + pub);
  SshTransportOptions o;
  o.accept_new_host_keys = true;
  SshTransport t(o);
  ExecResult r = t.Exec(node, "true", Opts());
  EXPECT_EQ(r.outcome, ExecOutcome::kHostKeyRejected) << r.Reason();
  EXPECT_NE(r.detail.find("CHANGED"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find(Sha256Of(sshd_.dir() + "/host_ed25519.pub")), std::string::npos);
  EXPECT_EQ(ReadFile(node.ssh.known_hosts),
            "[127.0.0.1]:" + std::to_string(sshd_.port()) + " " + pub);  // left untouched
}

TEST_F(SshTransportTest, WrongOrEncryptedKeyFailsAuthWithoutPrompting) {
  const std::string wrong = sshd_.temp().path() + "/wrong_key";
  const std::string locked = sshd_.temp().path() + "/locked_key";
  ASSERT_TRUE(MakeKey(wrong));
  ASSERT_TRUE(MakeKey(locked, "secret passphrase"));
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  node.ssh.identity_file = wrong;
  ExecResult r = t.Exec(node, "true", Opts());
  EXPECT_EQ(r.outcome, ExecOutcome::kAuthFailed) << r.Reason();
  EXPECT_NE(r.detail.find("publickey"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find(wrong), std::string::npos) << r.detail;

  node.name = "b";
  node.ssh.identity_file = locked;
  r = t.Exec(node, "true", Opts());
  EXPECT_EQ(r.outcome, ExecOutcome::kAuthFailed) << r.Reason();
  EXPECT_NE(r.detail.find("passphrase"), std::string::npos) << r.detail;
}

/// A private ssh-agent holding one key, exported as SSH_AUTH_SOCK while this object lives.
class ScopedAgent {
 public:
  ScopedAgent(const std::string& sock, const std::string& key) {
    std::string out;
    if (RunCommand({"ssh-agent", "-s", "-a", sock}, &out) != 0) return;
    size_t at = out.find("SSH_AGENT_PID=");
    if (at == std::string::npos) return;
    pid_ = std::stoi(out.substr(at + 14));
    const char* old = std::getenv("SSH_AUTH_SOCK");
    if (old != nullptr) old_sock_ = old;
    had_sock_ = old != nullptr;
    setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
    ok_ = RunCommand({"ssh-add", "-q", key}) == 0;
  }
  ~ScopedAgent() {
    if (had_sock_) {
      setenv("SSH_AUTH_SOCK", old_sock_.c_str(), 1);
    } else {
      unsetenv("SSH_AUTH_SOCK");
    }
    if (pid_ > 0) kill(pid_, SIGTERM);
  }
  bool ok() const { return ok_; }

 private:
  int pid_ = 0;
  bool ok_ = false;
  bool had_sock_ = false;
  std::string old_sock_;
};

TEST_F(SshTransportTest, UsesSshAgentWhenNoIdentityFileIsSet) {
  Node node = sshd_.MakeNode("a");
  node.ssh.identity_file.clear();
  {
    ScopedAgent agent(sshd_.temp().path() + "/agent.sock", sshd_.identity_file());
    ASSERT_TRUE(agent.ok());
    SshTransport t;
    ExecResult r = t.Exec(node, "echo via-agent", Opts());
    ASSERT_TRUE(r.ok()) << r.Reason();
    EXPECT_EQ(r.out, "via-agent\n");
  }
  ScopedAgent none(sshd_.temp().path() + "/empty-agent.sock", "/nonexistent");
  SshTransport t;
  ExecResult r = t.Exec(node, "true", Opts());
  EXPECT_EQ(r.outcome, ExecOutcome::kAuthFailed) << r.Reason();
  EXPECT_NE(r.detail.find("ssh-agent"), std::string::npos) << r.detail;
}

TEST_F(SshTransportTest, SixtyFourNodesInOneRunEachWithItsOwnOutput) {
  std::vector<Node> nodes;
  for (int i = 0; i < 64; ++i) nodes.push_back(sshd_.MakeNode("n" + std::to_string(i)));
  SshTransport t;
  auto results = RunOnNodes(
      t, NodePointers(nodes), [](const Node& n) { return "echo " + n.name; }, Opts(Duration(30000)),
      16);
  ASSERT_EQ(results.size(), 64u);
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(results[i].ok()) << nodes[i].name << ": " << results[i].Reason();
    EXPECT_EQ(results[i].out, nodes[i].name + "\n");
  }
  EXPECT_EQ(t.connections_opened(), 64);
}

TEST_F(SshTransportTest, CancelStopsRunningAndQueuedCommands) {
  std::vector<Node> nodes;
  for (int i = 0; i < 6; ++i) nodes.push_back(sshd_.MakeNode("n" + std::to_string(i)));
  CancelToken cancel;
  ExecOptions o = Opts(Duration(30000));
  o.cancel = &cancel;
  SshTransport t;
  std::thread canceller([&] {
    // Cancel once both workers' commands are running on the server.
    testing::WaitFor([&] { return t.connections_opened() >= 2; }, milliseconds(10000));
    cancel.Cancel();
  });
  auto start = steady_clock::now();
  auto results = RunOnNodes(t, NodePointers(nodes), "sleep 30", o, 2);
  canceller.join();
  EXPECT_LT(steady_clock::now() - start, milliseconds(5000));
  for (const auto& r : results) EXPECT_EQ(r.outcome, ExecOutcome::kCancelled) << r.Reason();
  EXPECT_EQ(t.connections_opened(), 2);
}

}  // namespace
}  // namespace shardctl
