// The 2019 incident on the sandbox: the bad-release fault, the view-change trap that restarting
// only the dead nodes falls into, the whole-shard restart that cures it, and aug30 on 4 shards.
// docs/sandbox.md ("Measured") gives the numbers these tests rely on (outage >= 30 s: restarting
// the dead group stays halted for minutes; restarting all together recovers in about a second).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <set>
#include <thread>

#include "support/sandbox_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Seconds since t, for messages.
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Polls until `until`, failing (false) as soon as the shard's top height exceeds `halted`.
// Calls sample() on every poll so callers can look at the nodes meanwhile.
bool StaysHalted(const Sandbox& sb, int shard, int64_t halted, Clock::time_point until,
                 const std::function<void()>& sample, int64_t* seen) {
  while (Clock::now() < until) {
    auto h = sb.ShardHeight(shard);
    if (h && *h > halted) {
      *seen = *h;
      return false;
    }
    sample();
    std::this_thread::sleep_for(500ms);  // poll period of a bounded loop, not synchronisation
  }
  return true;
}

class SandboxTrap : public SandboxTest {};

TEST_F(SandboxTrap, RestartingOnlyTheDeadStaysStuckRestartingAllRecovers) {
  SandboxOptions opt;
  opt.nodes = 5;  // quorum 4 of 5; 3 dead leave 2 running, and the 3 restarted are no quorum
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  const std::vector<std::string> broken = {"s0-n1", "s0-n2", "s0-n3"};

  // The 2019 launcher flaw: XML where the binary was, node killed, blind restart fails.
  ASSERT_EQ(sb_.Run("fault", {"bad-release", broken[0], broken[1], broken[2]}, &out), 0) << out;
  const auto outage_start = Clock::now();
  for (const auto& name : broken) {
    EXPECT_FALSE(sb_.IsRunning(name)) << name;
    EXPECT_EQ(ReadFile(sb_.node_dir(name) + "/bin/validator-sim").rfind("<?xml", 0), 0u) << name;
    EXPECT_NE(ReadFile(sb_.node_dir(name) + "/node.log").find("exec format error"),
              std::string::npos)
        << name << ": the failed restart is not visible in node.log";
  }
  int64_t halted = 0;
  ASSERT_TRUE(sb_.WaitForHalt(0, 3s, 15s, &halted)) << "shard kept committing with 3 of 5 dead";

  // Keep them down 30 s; the survivors climb view-change ids meanwhile.
  int64_t seen = 0;
  ASSERT_TRUE(StaysHalted(
      sb_, 0, halted, outage_start + 30s, [] {}, &seen))
      << "blocks committed without a quorum: " << halted << " -> " << seen;

  // Restore good binaries and start only the dead nodes, together: the trap.
  ASSERT_EQ(sb_.Run("fault", {"restore-release", broken[0], broken[1], broken[2]}, &out), 0) << out;
  for (const auto& name : broken) ASSERT_EQ(sb_.Ctl(name, "start", &out), 0) << out;
  bool split_views = false;
  std::string last_views;
  auto sample = [&] {
    std::set<int64_t> ids;
    last_views.clear();
    for (const auto& name : sb_.shard_node_names(0)) {
      auto m = sb_.Metadata(name);
      if (!m) continue;
      const auto& c = (*m)["consensus"];
      last_views += name + ":" + c.value("mode", "?") + "/" +
                    std::to_string(c.value("viewChangeId", int64_t{-1})) + " ";
      if (c.value("mode", "") == "ViewChanging") ids.insert(c.value("viewChangeId", int64_t{-1}));
    }
    if (ids.size() >= 2) split_views = true;
  };
  ASSERT_TRUE(StaysHalted(sb_, 0, halted, Clock::now() + 30s, sample, &seen))
      << "restarting only the dead nodes recovered the shard (" << halted << " -> " << seen
      << "); the simulator does not reproduce the 2019 trap";
  EXPECT_TRUE(split_views) << "never saw nodes in ViewChanging on different viewChangeIds; last: "
                           << last_views;

  // The cure: stop every node, confirm all down, start all together.
  for (const auto& name : sb_.shard_node_names(0)) ASSERT_EQ(sb_.Ctl(name, "stop", &out), 0) << out;
  for (const auto& name : sb_.shard_node_names(0)) ASSERT_FALSE(sb_.IsRunning(name)) << name;
  const auto restart = Clock::now();
  for (const auto& name : sb_.shard_node_names(0))
    ASSERT_EQ(sb_.Ctl(name, "start", &out), 0) << out;
  EXPECT_TRUE(sb_.WaitForShardHeight(0, halted + 2, 15s))
      << "whole-shard restart did not recover within 15 s; status:\n"
      << (sb_.Run("status", {"--nodes"}, &out), out);
  std::cout << "whole-shard restart: shard committing again after " << Since(restart) << " s\n";
}

TEST_F(SandboxTrap, Aug30BreaksMoreThanAThirdOfEveryShardAndHaltsThemAll) {
  SandboxOptions opt;
  opt.shards = 4;
  opt.nodes = 5;
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));

  ASSERT_EQ(sb_.Run("fault", {"aug30", "--seed", "42", "--stagger-ms", "200"}, &out), 0) << out;
  for (int s = 0; s < 4; ++s) {
    int total = 0, down = 0;
    for (const auto& n : sb_.shard_nodes(s)) {
      total += n.voting_power;
      if (sb_.IsRunning(n.name)) continue;
      down += n.voting_power;
      EXPECT_EQ(ReadFile(n.dir + "/bin/validator-sim").rfind("<?xml", 0), 0u) << n.name;
      EXPECT_NE(out.find(n.name), std::string::npos) << "aug30 did not report " << n.name;
    }
    EXPECT_GT(3 * down, total) << "shard " << s << ": only " << down << " of " << total << "\n"
                               << out;
    EXPECT_LT(down, total) << "shard " << s << ": aug30 must leave some nodes running";
  }
  EXPECT_TRUE(sb_.WaitForAllHalted(3500ms, 20s))
      << "some shard kept committing after aug30; status:\n"
      << (sb_.Run("status", {}, &out), out);
}

}  // namespace
}  // namespace shardctl::testing
