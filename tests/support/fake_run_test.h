// The fixture for operation tests on a FakeShards network: the inventory, the test playbook, a
// clock (fake, or real for runs where threads wait side by side), a journal in a temp dir, the
// event log and the stop token, and the RunContext an operation runs in.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/context.h"
#include "run/events.h"
#include "run/journal.h"
#include "support/fake_shards.h"
#include "support/test_util.h"

namespace shardctl::testing {

class FakeRunTest : public ::testing::Test {
 protected:
  /// A network of `shards` shards of `nodes` nodes, and a fresh journal. real_time: the run's
  /// clock is a RealClock (a drill's monitor thread waits beside the run).
  void Build(int shards, int nodes, bool real_time = false) {
    clock_ptr_ = real_time ? static_cast<Clock*>(&real_clock_) : &clock_;
    inv_ = MakeInventory(shards, nodes);
    net_ = std::make_unique<FakeShards>(inv_, *clock_ptr_);
    journal_ = std::move(Journal::Open(dir_.path(), "test-run", *clock_ptr_).value());
  }

  RunContext Context() {
    return RunContext(inv_, pb_, net_->transport(), *clock_ptr_, *journal_, events_, stop_);
  }

  /// The journal as written, one JSON object per line.
  std::vector<nlohmann::json> JournalLines() const {
    std::vector<nlohmann::json> out;
    std::string text = ReadFile(journal_->path());
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find('\n', at);
      out.push_back(nlohmann::json::parse(text.substr(at, end - at)));
      at = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
  }

  /// Journal lines with this step and outcome (both as journaled).
  int Count(const std::string& step, const std::string& outcome) const {
    int n = 0;
    for (const auto& j : JournalLines()) n += j["step"] == step && j["outcome"] == outcome;
    return n;
  }

  TempDir dir_;
  FakeClock clock_;
  RealClock real_clock_;
  Clock* clock_ptr_ = &clock_;
  Inventory inv_;
  Playbook pb_ = TestPlaybook();
  std::unique_ptr<FakeShards> net_;
  std::unique_ptr<Journal> journal_;
  EventLog events_;
  CancelToken stop_;
};

}  // namespace shardctl::testing
