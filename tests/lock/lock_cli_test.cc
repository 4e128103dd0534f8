// One run at a time across operators, end to end: the real shardctl against the loopback
// sandbox, two "operators" with their own --state-dir and HOME, node leases alone and with a real
// etcd. The first run's start command waits for a gate file, so the test decides when it ends.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/local_etcd.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// An operator: own HOME and state dir.
struct Operator {
  std::string home, state, err;
  explicit Operator(const std::string& dir)
      : home(dir + "/home"), state(dir + "/state"), err(dir + "/stderr") {
    std::filesystem::create_directories(home);
  }
  std::string Stderr() const { return ReadFile(err); }
};

/// shardctl with op's HOME, output appended to op.err. With pid_file, shardctl itself is the
/// process whose pid is written (exec, no timeout wrapper), so SIGKILL hits it.
std::vector<std::string> Argv(const Operator& op, const std::vector<std::string>& args,
                              const std::string& pid_file = "") {
  std::string exec = pid_file.empty() ? "exec timeout 120 \"$0\" \"$@\""
                                      : "echo $$ > '" + pid_file + "'; exec \"$0\" \"$@\"";
  std::vector<std::string> argv = {
      "env",        "HOME=" + op.home, "sh", "-c", exec + " </dev/null >>'" + op.err + "' 2>&1",
      ShardctlBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int RunAs(const Operator& op, const std::vector<std::string>& args) {
  return RunCommand(Argv(op, args));
}

/// The sandbox playbook with a start that waits for `gate` and the given lease TTL.
std::string GatedPlaybook(const Sandbox& sb, const std::string& gate, int ttl_s) {
  json pb = json::parse(ReadFile(SourceDir() + "/playbooks/sandbox.json"));
  pb["commands"]["start"] = pb["commands"]["start"].get<std::string>() + "; while [ ! -e '" + gate +
                            "' ]; do sleep 0.1; done";
  pb["lease"]["ttl_s"] = ttl_s;
  std::string path = sb.dir() + "/gated.json";
  std::ofstream(path) << pb.dump(2);
  return path;
}

std::string WithEtcd(const Sandbox& sb, const LocalEtcd& etcd, int ttl_s) {
  return WithEtcdLock(sb.inventory_path(), sb.dir() + "/inventory-etcd.json", etcd, ttl_s);
}

/// Operator A's run in the background, stopped (SIGKILL) by the destructor if still running.
class Background {
 public:
  Background(const Operator& op, const std::vector<std::string>& args, const std::string& dir)
      : pid_file_(dir + "/a.pid") {
    thread_ = std::thread([this, argv = Argv(op, args, pid_file_)] { rc_ = RunCommand(argv); });
  }
  ~Background() {
    Kill();
    thread_.join();
  }
  void Kill() {
    int pid = std::atoi(ReadFile(pid_file_).c_str());
    if (pid > 0 && !done()) kill(pid, SIGKILL);
  }
  int Wait() {
    thread_.join();
    thread_ = std::thread([] {});
    return rc_;
  }
  bool done() const { return rc_ != -999; }

 private:
  std::string pid_file_;
  std::atomic<int> rc_{-999};
  std::thread thread_;
};

/// Waits until the run in state has sent a start command; its run id.
std::string WaitForStart(const std::string& state) {
  std::string run;
  WaitFor(
      [&] {
        for (const json& j : JournalLines(state)) {
          if (j["step"] == "start" && j["outcome"] == "begin") run = j["run"];
        }
        return !run.empty();
      },
      90s, 50ms);
  return run;
}

int64_t LeaseExpiry(const Sandbox& sb, const std::string& node) {
  std::string text = ReadFile(sb.node_dir(node) + "/run.lease");
  size_t at = text.find("expiry=");
  return at == std::string::npos ? 0 : std::atoll(text.c_str() + at + 7);
}

std::vector<std::string> Rolling(const std::string& inv, const std::string& pb, const Operator& op,
                                 const std::string& node) {
  return {"rolling-restart", "-i",          inv,      "-p",     pb, "--node", node,
          "--yes",           "--state-dir", op.state, "--plain"};
}

class LockCli : public SandboxTest {};

// Disabled until fixed: after the first run is killed with -9, the second run's lease script
// can time out (20 s) on every node while it waits for the killed run's mutex directory to go
// stale (30 s). Seen on a loaded 2-core machine; run it with --gtest_also_run_disabled_tests.
TEST_F(LockCli, SecondOperatorIsRefusedThenProceedsOnceTheKilledRunsLeaseExpired) {
  ASSERT_NO_FATAL_FAILURE(Up({}));
  const std::string gate = sb_.dir() + "/gate";
  const std::string pb = GatedPlaybook(sb_, gate, 6);
  Operator a(sb_.dir() + "/a"), b(sb_.dir() + "/b");
  Background first(a, Rolling(sb_.inventory_path(), pb, a, "s0-n1"), sb_.dir());
  std::string run_a = WaitForStart(a.state);
  ASSERT_FALSE(run_a.empty()) << a.Stderr();
  ASSERT_TRUE(WaitFor([&] { return sb_.IsRunning("s0-n1"); }, 30s)) << "its start went out";

  EXPECT_EQ(RunAs(b, Rolling(sb_.inventory_path(), pb, b, "s0-n2")), 4);
  std::string said = b.Stderr();
  EXPECT_NE(said.find("held by run " + run_a + " ("), std::string::npos) << said;
  EXPECT_NE(said.find("'shardctl rolling-restart', since "), std::string::npos) << said;
  EXPECT_NE(said.find("@"), std::string::npos) << said;

  first.Kill();
  first.Wait();
  int64_t expiry = LeaseExpiry(sb_, "s0-n2");
  ASSERT_GT(expiry, 0);
  std::ofstream(gate) << "open";
  int rc = -1;
  int64_t proceeded_at = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        rc = RunAs(b, Rolling(sb_.inventory_path(), pb, b, "s0-n2"));
        proceeded_at = std::time(nullptr);
        return rc != 4;
      },
      60s, 200ms))
      << b.Stderr();
  EXPECT_EQ(rc, 0) << b.Stderr();
  EXPECT_GE(proceeded_at, expiry) << "the second run went in before the lease expired";
  EXPECT_NE(b.Stderr().find("took over the expired lease of run " + run_a), std::string::npos)
      << b.Stderr();
  for (const SandboxNode& n : sb_.nodes()) EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
}

TEST_F(LockCli, EtcdRefusesTheSecondRunAndALostLeaseStartsNoNewNode) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  ASSERT_NO_FATAL_FAILURE(Up({}));
  const std::string gate = sb_.dir() + "/gate";
  const std::string pb = GatedPlaybook(sb_, gate, 60);
  const std::string inv = WithEtcd(sb_, etcd, 6);  // short, with room for a loaded machine
  Operator a(sb_.dir() + "/a"), b(sb_.dir() + "/b");
  std::vector<std::string> all = {"rolling-restart", "-i",          inv,     "-p",     pb,
                                  "--yes",           "--state-dir", a.state, "--plain"};
  Background first(a, all, sb_.dir());
  std::string run_a = WaitForStart(a.state);
  ASSERT_FALSE(run_a.empty()) << a.Stderr();

  EXPECT_EQ(RunAs(b, Rolling(inv, pb, b, "s0-n2")), 4);
  EXPECT_NE(b.Stderr().find("etcd key /shardctl/lock/sandbox is held by run " + run_a),
            std::string::npos)
      << b.Stderr();

  etcd.Kill();
  EXPECT_TRUE(WaitFor([&] { return a.Stderr().find("LEASE LOST") != std::string::npos; }, 30s))
      << a.Stderr();
  std::ofstream(gate) << "open";
  EXPECT_TRUE(WaitFor([&] { return first.done(); }, 90s));
  EXPECT_EQ(first.Wait(), 4) << a.Stderr();
  EXPECT_NE(a.Stderr().find("Starting no new node"), std::string::npos) << a.Stderr();
  int started = 0;
  for (const json& j : JournalLines(a.state)) {
    if (j["step"] == "start" && j["outcome"] == "begin") ++started;
  }
  EXPECT_EQ(started, 1) << "only the wave in flight when the lease was lost";
  for (const SandboxNode& n : sb_.nodes()) EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
}

TEST_F(LockCli, StatusShowsTheHolderAndBreakLetsTheNextRunInJournaled) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  ASSERT_NO_FATAL_FAILURE(Up({}));
  const std::string gate = sb_.dir() + "/gate";
  const std::string pb = GatedPlaybook(sb_, gate, 60);
  const std::string inv = WithEtcd(sb_, etcd, 60);
  Operator a(sb_.dir() + "/a"), b(sb_.dir() + "/b"), ops(sb_.dir() + "/ops");
  Background first(a, Rolling(inv, pb, a, "s0-n1"), sb_.dir());
  std::string run_a = WaitForStart(a.state);
  ASSERT_FALSE(run_a.empty()) << a.Stderr();
  ASSERT_TRUE(WaitFor([&] { return sb_.IsRunning("s0-n1"); }, 30s)) << "its start went out";
  first.Kill();  // dead without releasing: its leases live on for 60 s
  first.Wait();
  std::ofstream(gate) << "open";

  std::string out;
  ASSERT_EQ(Shardctl({"lock", "status", "-i", inv, "-p", pb, "-o", "json"}, ops.err, &out), 0)
      << ops.Stderr();
  json status = json::parse(out);
  EXPECT_EQ(status["etcd"]["holders"][0]["holder"]["run_id"], run_a) << out;
  for (const json& n : status["nodes"]) {
    EXPECT_EQ(n["state"], "held") << n;
    EXPECT_EQ(n["holder"]["run_id"], run_a) << n;
  }
  EXPECT_EQ(RunAs(b, Rolling(inv, pb, b, "s0-n2")), 4);

  EXPECT_EQ(RunAs(ops, {"lock", "break", "-i", inv, "-p", pb, run_a, "--reason", "a's laptop died",
                        "--state-dir", ops.state}),
            0)
      << ops.Stderr();
  bool journaled = false;
  for (const json& j : JournalLines(ops.state)) {
    journaled =
        journaled || (j["step"] == "lock-break" && j["outcome"] == "begin" &&
                      j["detail"].get<std::string>().find(run_a) != std::string::npos &&
                      j["detail"].get<std::string>().find("a's laptop died") != std::string::npos);
  }
  EXPECT_TRUE(journaled) << ops.Stderr();
  EXPECT_EQ(RunAs(b, Rolling(inv, pb, b, "s0-n2")), 0) << b.Stderr();
  ASSERT_EQ(Shardctl({"lock", "status", "-i", inv, "-p", pb, "-o", "json"}, ops.err, &out), 0);
  status = json::parse(out);
  EXPECT_TRUE(status["etcd"]["holders"].empty()) << out;
  for (const json& n : status["nodes"]) EXPECT_EQ(n["state"], "free") << n;
}

/// The gated sandbox playbook with the lease section of the shipped Harmony playbook (the
/// default when it has none), so the test follows what operators run.
std::string ShippedLeasePlaybook(const Sandbox& sb, const std::string& gate) {
  json pb = json::parse(ReadFile(GatedPlaybook(sb, gate, 60)));
  json harmony = json::parse(ReadFile(SourceDir() + "/playbooks/harmony-recover.json"));
  if (harmony.contains("lease")) {
    pb["lease"] = harmony["lease"];
  } else {
    pb.erase("lease");
  }
  std::string path = sb.dir() + "/shipped-lease.json";
  std::ofstream(path) << pb.dump(2);
  return path;
}

/// The sandbox's inventory as another operator wrote it: its own network and node names.
std::string RenamedInventory(const Sandbox& sb, const std::string& network,
                             const std::string& prefix) {
  json inv = json::parse(ReadFile(sb.inventory_path()));
  inv["network"] = network;
  for (json& shard : inv["shards"]) {
    for (json& n : shard["nodes"]) n["name"] = prefix + n["name"].get<std::string>();
  }
  std::string path = sb.dir() + "/inventory-" + network + ".json";
  std::ofstream(path) << inv.dump(2);
  return path;
}

// Issue 20: two operators name the same validators differently (network and node names). The
// lease is keyed by the node's directory, so the second run is refused and no node restarts
// twice.
TEST_F(LockCli, TwoOperatorsNamingTheNetworkDifferentlyMeetAtTheSameLease) {
  ASSERT_NO_FATAL_FAILURE(Up({}));
  const std::string gate = sb_.dir() + "/gate";
  const std::string pb = ShippedLeasePlaybook(sb_, gate);
  const std::string inv_a = RenamedInventory(sb_, "alpha", "a-");
  const std::string inv_b = RenamedInventory(sb_, "beta", "b-");
  Operator a(sb_.dir() + "/a"), b(sb_.dir() + "/b");
  auto all = [&](const std::string& inv, const Operator& op) {
    return std::vector<std::string>{"rolling-restart", "-i",          inv,      "-p",     pb,
                                    "--yes",           "--state-dir", op.state, "--plain"};
  };
  Background first(a, all(inv_a, a), sb_.dir());
  std::string run_a = WaitForStart(a.state);
  ASSERT_FALSE(run_a.empty()) << a.Stderr();

  EXPECT_EQ(RunAs(b, all(inv_b, b)), 4) << b.Stderr();
  EXPECT_NE(b.Stderr().find("held by run " + run_a + " ("), std::string::npos) << b.Stderr();
  EXPECT_TRUE(JournalLines(b.state).empty()) << "the refused run journaled nothing";

  std::ofstream(gate) << "open";
  EXPECT_TRUE(WaitFor([&] { return first.done(); }, 150s));
  EXPECT_EQ(first.Wait(), 0) << a.Stderr();
  std::map<std::string, int> starts;
  for (const json& j : JournalLines(a.state)) {
    if (j["step"] == "start" && j["outcome"] == "begin") ++starts[j["node"].get<std::string>()];
  }
  EXPECT_EQ(starts.size(), sb_.nodes().size()) << a.Stderr();
  for (const auto& [node, count] : starts) EXPECT_EQ(count, 1) << node << " restarted twice";
  for (const SandboxNode& n : sb_.nodes()) EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
}

// Issue 20: after lock break the broken run said "interrupted by the operator"; it names the
// break, who made it and why.
TEST_F(LockCli, ABrokenRunSaysItsLeaseWasBrokenAndByWhom) {
  ASSERT_NO_FATAL_FAILURE(Up({}));
  const std::string gate = sb_.dir() + "/gate";
  const std::string pb = GatedPlaybook(sb_, gate, 6);
  Operator a(sb_.dir() + "/a"), ops(sb_.dir() + "/ops");
  std::vector<std::string> all = {
      "rolling-restart", "-i",     sb_.inventory_path(), "-p", pb, "--yes", "--state-dir",
      a.state,           "--plain"};
  Background first(a, all, sb_.dir());
  std::string run_a = WaitForStart(a.state);
  ASSERT_FALSE(run_a.empty()) << a.Stderr();

  EXPECT_EQ(RunAs(ops, {"lock", "break", "-i", sb_.inventory_path(), "-p", pb, run_a, "--reason",
                        "a's laptop died", "--state-dir", ops.state}),
            0)
      << ops.Stderr();
  EXPECT_TRUE(WaitFor([&] { return a.Stderr().find("LEASE LOST") != std::string::npos; }, 30s))
      << a.Stderr();
  std::ofstream(gate) << "open";
  EXPECT_TRUE(WaitFor([&] { return first.done(); }, 90s));
  EXPECT_EQ(first.Wait(), 4) << a.Stderr();
  std::string said = a.Stderr();
  EXPECT_NE(said.find("it was broken by "), std::string::npos) << said;
  EXPECT_NE(said.find("(lock break): a's laptop died"), std::string::npos) << said;
  EXPECT_NE(said.find("a lease was lost: "), std::string::npos) << said;
  EXPECT_EQ(said.find("interrupted by the operator"), std::string::npos) << said;
  for (const SandboxNode& n : sb_.nodes()) EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
}

}  // namespace
}  // namespace shardctl::testing
