// The fixture for operation tests on a FakeShards network: the inventory, the test playbook, a
// fake clock, a journal in a temp dir, the event log and the stop token, and the RunContext an
// operation runs in.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "run/context.h"
#include "run/events.h"
#include "run/journal.h"
#include "support/fake_shards.h"
#include "support/test_util.h"

namespace shardctl::testing {

class FakeRunTest : public ::testing::Test {
 protected:
  /// A network of `shards` shards of `nodes` nodes, and a fresh journal.
  void Build(int shards, int nodes) {
    inv_ = MakeInventory(shards, nodes);
    net_ = std::make_unique<FakeShards>(inv_, clock_);
    journal_ = std::move(Journal::Open(dir_.path(), "test-run", clock_).value());
  }

  RunContext Context() {
    return RunContext(inv_, pb_, net_->transport(), clock_, *journal_, events_, stop_);
  }

  TempDir dir_;
  FakeClock clock_;
  Inventory inv_;
  Playbook pb_ = TestPlaybook();
  std::unique_ptr<FakeShards> net_;
  std::unique_ptr<Journal> journal_;
  EventLog events_;
  CancelToken stop_;
};

}  // namespace shardctl::testing
