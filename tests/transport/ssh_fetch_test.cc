// SshTransport::Fetch against a real private sshd on loopback: HTTP over a direct-tcpip channel
// of the node's kept session, answered by an HTTP server (cpp-httplib) or by none.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "model/playbook.h"
#include "run/context.h"
#include "run/node_ops.h"
#include "support/artifact_server.h"
#include "support/sshd_fixture.h"
#include "support/test_util.h"
#include "transport/ssh_transport.h"

namespace shardctl {
namespace {

using testing::ArtifactServer;
using testing::LocalSshd;
using Outcome = ExecResult::Outcome;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

ExecOptions FetchOpts(Duration timeout = Duration(10000)) {
  ExecOptions o;
  o.timeout = timeout;
  return o;
}

HttpRequest PostTo(int port, std::string body = R"({"method":"status"})") {
  HttpRequest req;
  req.port = port;
  req.body = std::move(body);
  return req;
}

/// A TCP port on 127.0.0.1 that accepts connections (the kernel's backlog) and never answers.
class SilentPort {
 public:
  SilentPort() : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 && listen(fd_, 16) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = -1;
};

class SshFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
    ASSERT_TRUE(http_.ok());
  }
  LocalSshd sshd_{"VERBOSE"};  // VERBOSE: sshd logs every session it starts a process for
  ArtifactServer http_;
};

TEST_F(SshFetchTest, AnswersOverTheKeptSessionAndStartsNoProcessOnTheNode) {
  std::promise<void> in_handler, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> requests{0};
  http_.svr().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    if (requests++ == 0) {
      in_handler.set_value();
      released.wait();
    }
    res.set_content(R"({"host":")" + req.get_header_value("Host") + R"(","echo":)" + req.body + "}",
                    "application/json");
  });
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  ASSERT_TRUE(t.Exec(node, "true", FetchOpts()).ok());  // the session every fetch reuses
  const int sessions = sshd_.StartedSessions();
  const int idle = sshd_.Descendants();

  auto first = std::async(std::launch::async,
                          [&] { return t.Fetch(node, PostTo(http_.port()), FetchOpts()); });
  in_handler.get_future().wait();  // the request is at the server: count what runs meanwhile
  EXPECT_EQ(sshd_.Descendants(), idle) << "a process started on the node for the request";
  release.set_value();
  ExecResult r = first.get();
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out, R"({"host":"127.0.0.1:)" + std::to_string(http_.port()) +
                       R"(","echo":{"method":"status"}})");
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(t.Fetch(node, PostTo(http_.port()), FetchOpts()).ok());
  EXPECT_EQ(sshd_.StartedSessions(), sessions) << "sshd started a session for a request";
  // The same counters see a command: one session, one process while it runs.
  auto command =
      std::async(std::launch::async, [&] { return t.Exec(node, "sleep 1", FetchOpts()); });
  EXPECT_TRUE(testing::WaitFor([&] { return sshd_.Descendants() > idle; }, milliseconds(5000)));
  ASSERT_TRUE(command.get().ok());
  EXPECT_EQ(sshd_.StartedSessions(), sessions + 1);
  EXPECT_EQ(t.connections_opened(), 1);
}

TEST_F(SshFetchTest, AClosedPortFailsAtOnceNamingItAndTheSessionStaysUsable) {
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  int closed = testing::FreePort();
  auto start = steady_clock::now();
  ExecResult r = t.Fetch(node, PostTo(closed), FetchOpts());
  EXPECT_LT(steady_clock::now() - start, milliseconds(5000));
  EXPECT_EQ(r.outcome, Outcome::kError) << r.Reason();
  EXPECT_NE(r.detail.find("the node cannot connect to 127.0.0.1:" + std::to_string(closed) +
                          ": Connection refused"),
            std::string::npos)
      << r.detail;
  EXPECT_EQ(t.Exec(node, "echo still", FetchOpts()).out, "still\n");
  EXPECT_EQ(t.connections_opened(), 1);
}

TEST_F(SshFetchTest, AServerThatNeverAnswersTimesOutWithinTheLimit) {
  SilentPort silent;
  ASSERT_GT(silent.port(), 0);
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  ASSERT_TRUE(t.Exec(node, "true", FetchOpts()).ok());
  auto start = steady_clock::now();
  ExecResult r = t.Fetch(node, PostTo(silent.port()), FetchOpts(Duration(1000)));
  auto took = steady_clock::now() - start;
  EXPECT_EQ(r.outcome, Outcome::kTimedOut) << r.Reason();
  EXPECT_GE(took, milliseconds(950));
  EXPECT_LT(took, milliseconds(3000));
  EXPECT_NE(r.Reason().find("no complete HTTP answer from POST 127.0.0.1:"), std::string::npos)
      << r.Reason();
  EXPECT_EQ(t.Exec(node, "echo again", FetchOpts()).out, "again\n");
  EXPECT_EQ(t.connections_opened(), 1);
}

TEST_F(SshFetchTest, StatusBodySizeAndChunkedFramingAreHandled) {
  http_.svr().Post("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content("syncing", "text/plain");
  });
  http_.svr().Post("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(2 << 20, 'x'), "text/plain");
  });
  http_.svr().Post("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       if (offset == 0) sink.write(R"({"a":)", 5);
                                       if (offset == 5) sink.write("1}", 2);
                                       if (offset == 7) sink.done();
                                       return true;
                                     });
  });
  SshTransport t;
  Node node = sshd_.MakeNode("a");
  HttpRequest req = PostTo(http_.port());
  req.path = "/busy";
  ExecResult r = t.Fetch(node, req, FetchOpts());
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_NE(r.detail.find("HTTP 503 from POST 127.0.0.1:"), std::string::npos) << r.detail;
  EXPECT_EQ(r.out, "syncing");

  req.path = "/big";
  ExecOptions small = FetchOpts();
  small.max_output_bytes = 64 * 1024;
  r = t.Fetch(node, req, small);
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_NE(r.detail.find("is over 65536 bytes"), std::string::npos) << r.detail;

  req.path = "/chunked";
  r = t.Fetch(node, req, FetchOpts());
  ASSERT_TRUE(r.ok()) << r.Reason();
  EXPECT_EQ(r.out, R"({"a":1})");
  EXPECT_EQ(t.connections_opened(), 1);
}

// The probe a run takes (NodeOps, the sandbox playbook's probe.http) against a node whose RPC
// port is closed, then silent: "not answering" within probe_s, saying why.
TEST_F(SshFetchTest, AProbeOfAClosedOrSilentRpcPortFailsWithinProbeSSayingWhy) {
  auto pb = LoadPlaybook(testing::ShippedPlaybook("sandbox"));
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  pb->timeouts.probe = Duration(1000);
  Inventory inv;
  Node node = sshd_.MakeNode("a");
  node.vars["rpc_port"] = std::to_string(testing::FreePort());
  SshTransport t;
  RealClock clock;
  ReadOnlyContext ro(inv, *pb, t, clock);
  NodeStatus closed = NodeOps(ro.get(), 0).Probe(node, false);
  EXPECT_TRUE(closed.reachable);
  EXPECT_FALSE(closed.answered);
  EXPECT_NE(closed.error.find("probe: error: a: the node cannot connect to 127.0.0.1:" +
                              node.vars["rpc_port"] + ": Connection refused"),
            std::string::npos)
      << closed.error;

  SilentPort silent;
  node.vars["rpc_port"] = std::to_string(silent.port());
  auto start = steady_clock::now();
  NodeStatus hung = NodeOps(ro.get(), 0).Probe(node, false);
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));
  EXPECT_FALSE(hung.answered);
  EXPECT_NE(hung.error.find("probe: timed out after 1"), std::string::npos) << hung.error;
  EXPECT_NE(hung.error.find("no complete HTTP answer from POST 127.0.0.1:"), std::string::npos)
      << hung.error;
}

}  // namespace
}  // namespace shardctl
