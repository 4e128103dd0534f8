// `shardctl rolling-restart` on a real Raft system: 3 etcd clusters x 3 members (Debian's etcd,
// run by tools/etcd-member, reached through a private sshd) with playbooks/etcd.json, while a
// writer puts a key to every cluster every 50 ms. Every member must be restarted exactly once,
// each cluster's leader last, and no write may fail.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/etcd_fixture.h"
#include "support/etcd_writer.h"
#include "support/run_checks.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Watches who leads each cluster, from outside shardctl: every member's view, every 100 ms.
class LeaderLog {
 public:
  struct Sample {
    int64_t unix_ms;
    int cluster;
    std::string leader;
  };

  explicit LeaderLog(const EtcdClusters& etcd) : thread_([this, &etcd] { Loop(etcd); }) {}
  ~LeaderLog() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  /// The leader of `cluster` last seen before `unix_ms` ("" if never seen).
  std::string LeaderBefore(int cluster, int64_t unix_ms) const {
    std::lock_guard<std::mutex> l(mu_);
    std::string out;
    for (const Sample& s : samples_) {
      if (s.cluster == cluster && s.unix_ms < unix_ms) out = s.leader;
    }
    return out;
  }

 private:
  void Loop(const EtcdClusters& etcd) {
    while (!stop_) {
      for (const EtcdMember& m : etcd.members()) {
        std::string leader = etcd.LeaderSeenBy(m);
        if (leader.empty()) continue;
        std::lock_guard<std::mutex> l(mu_);
        samples_.push_back({NowMs(), m.cluster, leader});
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Sample> samples_;  // guarded by mu_
  std::thread thread_;
};

/// Per node: the unix_ms of its journal line with this step and outcome (the last one).
// Where each node's (step, outcome) line stands in the journal, and its time. The journal's
// order is the order things happened; its millisecond times can tie.
struct Seen {
  size_t line;
  int64_t unix_ms;
};
std::map<std::string, Seen> When(const std::vector<json>& journal, const std::string& step,
                                 const std::string& outcome) {
  std::map<std::string, Seen> out;
  for (size_t i = 0; i < journal.size(); ++i) {
    const json& j = journal[i];
    if (j["node"].is_string() && j["step"] == step && j["outcome"] == outcome) {
      out[j["node"].get<std::string>()] = {i, j["unix_ms"].get<int64_t>()};
    }
  }
  return out;
}

// Each cluster: members stopped one at a time, the one that led just before its stop last.
void ExpectLeaderLast(const EtcdClusters& etcd, const std::vector<json>& journal,
                      const LeaderLog& leaders, int clusters) {
  const auto stopped = When(journal, "stop", "begin");
  const auto done = When(journal, StepName(Step::kNode), "done");
  for (int c = 0; c < clusters; ++c) {
    std::vector<std::pair<size_t, std::string>> order;  // by journal line
    for (const EtcdMember& m : etcd.members()) {
      if (m.cluster == c && stopped.count(m.name))
        order.emplace_back(stopped.at(m.name).line, m.name);
    }
    std::sort(order.begin(), order.end());
    ASSERT_EQ(order.size(), etcd.endpoints()[c].size()) << "cluster " << c;
    for (size_t i = 0; i + 1 < order.size(); ++i) {
      const std::string& name = order[i].second;
      EXPECT_NE(leaders.LeaderBefore(c, stopped.at(name).unix_ms), name)
          << name << " led but went early";
      ASSERT_TRUE(done.count(name)) << name;
      EXPECT_LT(done.at(name).line, order[i + 1].first)
          << name << " was still down when the next member was stopped";
    }
    const std::string& last = order.back().second;
    const int64_t last_at = stopped.at(last).unix_ms;
    EXPECT_EQ(leaders.LeaderBefore(c, last_at), last)
        << "cluster " << c << ": last restarted " << last << " was not its leader";
  }
}

TEST(EtcdRolling, ThreeClustersOfThreeEveryMemberOnceLeaderLastNoFailedWrite) {
  constexpr int kClusters = 3;
  EtcdClusters etcd;
  std::string err, out;
  ASSERT_TRUE(etcd.Up(kClusters, 3, &err)) << err;
  std::map<std::string, int> before;
  for (const EtcdMember& m : etcd.members()) before[m.name] = etcd.Starts(m);
  const std::string state = etcd.dir() + "/state", stderr_file = etcd.dir() + "/rolling.stderr";

  LeaderLog leaders(etcd);
  // A put counts as failed after 3 s (etcdctl gives up after 5 s): with 1 s, an election slowed
  // by two sandbox tests beside this one on 2 cores failed writes in CI.
  EtcdWriterOptions patience;
  patience.deadline = std::chrono::milliseconds(3000);
  EtcdWriter writer(etcd.endpoints(), patience);
  ASSERT_TRUE(WaitFor(
      [&] {
        for (int c = 0; c < kClusters; ++c) {
          if (writer.ok(c) < 5) return false;
        }
        return true;
      },
      20s))
      << "the writer never got 5 writes into every cluster; failed: " << writer.failed();
  const auto t0 = std::chrono::steady_clock::now();
  int rc = Shardctl({"rolling-restart", "-i", etcd.inventory_path(), "-p", ShippedPlaybook("etcd"),
                     "--yes", "-o", "json", "--state-dir", state},
                    stderr_file, &out, 180);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int64_t ok_at_end = writer.ok_total();
  EXPECT_TRUE(WaitFor([&] { return writer.ok_total() >= ok_at_end + 3 * kClusters; }, 10s))
      << "writes stopped flowing after the run";
  writer.Stop();
  leaders.Stop();
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(stderr_file);
  std::cout << "rolling-restart of " << kClusters << "x3 etcd: " << wall << " s wall, "
            << writer.ok_total() << " writes ok, " << writer.failed() << " failed\n";

  for (const EtcdWriter::Failure& f : writer.failures()) {
    ADD_FAILURE() << "write to cluster " << f.cluster << " due at " << f.unix_ms
                  << " failed: " << f.why;
  }
  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << out;
  EXPECT_EQ(report["all_done"], true) << report.dump(2);
  std::vector<json> journal = JournalLines(state);
  for (const EtcdMember& m : etcd.members()) {
    EXPECT_EQ(etcd.Starts(m) - before[m.name], 1) << m.name << " not started exactly once";
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "done")[m.name], 1) << m.name;
    EXPECT_EQ(CountJournal(journal, "stop", "begin")[m.name], 1) << m.name;
    EXPECT_TRUE(etcd.IsRunning(m)) << m.name;
  }
  ExpectLeaderLast(etcd, journal, leaders, kClusters);
}

// The writer's keys and values reach etcd's JSON gateway as base64 (RFC 4648 test vectors).
TEST(EtcdWriter, Base64MatchesRfc4648) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xff\x00", 2)), "/wA=");
}

}  // namespace
}  // namespace shardctl::testing
