// The consensus rules of one Node, fed messages by hand on a fake clock (docs/sandbox.md).
#include "sim/node.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vsim {
namespace {

/// One node of a 5-node, equal-power shard (quorum 4) whose chain is one block of view 0, so it
/// enters Normal mode in view 1 once its peers answer the sync round.
class NodeRules : public ::testing::Test {
 protected:
  void Boot(uint32_t index, std::vector<Block> chain = {Block{1, 0, 0, 0}}) {
    node_ = std::make_unique<Node>(NodeOptions{index, {1, 1, 1, 1, 1}, {}}, chain, &clock_);
    uint64_t h = chain.empty() ? 0 : chain.back().height;
    for (uint32_t p = 0; p < 5; ++p) {
      if (p != index) node_->Receive(Message{MsgType::kHeightResp, p, h, 0, {}});
    }
    ASSERT_EQ(node_->State().mode, Mode::kNormal);
    node_->TakeOutbox();
  }
  void Advance(int ms) {
    clock_.Advance(Duration(ms));
    node_->Tick();
  }
  void Deliver(MsgType t, uint32_t from, uint64_t height, uint64_t view) {
    node_->Receive(Message{t, from, height, view, {}});
  }
  /// Messages of type t in the outbox (which is emptied).
  std::vector<Outgoing> Sent(MsgType t) {
    std::vector<Outgoing> out;
    for (Outgoing& o : node_->TakeOutbox()) {
      if (o.msg.type == t) out.push_back(o);
    }
    return out;
  }

  shardctl::FakeClock clock_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeRules, QuorumIsStrictlyMoreThanTwoThirds) {
  Node n(NodeOptions{0, {1, 1, 1}, {}}, {}, &clock_);
  EXPECT_FALSE(n.IsQuorum(2));  // 2/3 exactly is not enough
  EXPECT_TRUE(n.IsQuorum(3));
  Node weighted(NodeOptions{0, {5, 1, 1, 1}, {}}, {}, &clock_);  // total 8
  EXPECT_FALSE(weighted.IsQuorum(5));
  EXPECT_TRUE(weighted.IsQuorum(6));
}

TEST_F(NodeRules, AfterSyncViewIsLastBlockViewPlusOne) {
  Boot(3, {Block{1, 4, 4, 0}, Block{2, 7, 2, 0}});
  NodeState s = node_->State();
  EXPECT_EQ(s.view, 8u);
  EXPECT_EQ(s.view_change_id, 8u);
  EXPECT_EQ(s.height, 2u);
}

TEST_F(NodeRules, SyncFetchesMissingBlocksThenSetsView) {
  node_ =
      std::make_unique<Node>(NodeOptions{0, {1, 1, 1, 1, 1}, {}}, std::vector<Block>{}, &clock_);
  EXPECT_EQ(node_->State().mode, Mode::kSyncing);
  EXPECT_EQ(Sent(MsgType::kHeightReq).size(), 1u);
  for (uint32_t p : {1u, 2u, 4u}) Deliver(MsgType::kHeightResp, p, 0, 0);
  Deliver(MsgType::kHeightResp, 3, 3, 0);
  auto req = Sent(MsgType::kBlocksReq);
  ASSERT_EQ(req.size(), 1u);
  EXPECT_EQ(req[0].to, 3u);
  EXPECT_EQ(req[0].msg.height, 1u);
  node_->Receive(Message{
      MsgType::kBlocksResp, 3, 3, 0, {Block{1, 4, 4, 0}, Block{2, 4, 4, 0}, Block{3, 5, 0, 0}}});
  NodeState s = node_->State();
  EXPECT_EQ(s.mode, Mode::kNormal);
  EXPECT_EQ(s.height, 3u);
  EXPECT_EQ(s.view, 6u);
  EXPECT_EQ(node_->TakeNewBlocks().size(), 3u);
}

TEST_F(NodeRules, SyncWithNoAnswersEndsAfterSyncWait) {
  node_ = std::make_unique<Node>(NodeOptions{1, {1, 1, 1}, {}}, std::vector<Block>{}, &clock_);
  Advance(299);
  EXPECT_EQ(node_->State().mode, Mode::kSyncing);
  Advance(1);
  EXPECT_EQ(node_->State().mode, Mode::kNormal);
}

TEST_F(NodeRules, PhaseTimeoutStartsViewChangeWithLinearTimers) {
  Boot(0);  // view 1, leader node 1
  Advance(999);
  EXPECT_EQ(node_->State().mode, Mode::kNormal);
  Advance(1);
  NodeState s = node_->State();
  EXPECT_EQ(s.mode, Mode::kViewChanging);
  EXPECT_EQ(s.view_change_id, 2u);
  auto votes = Sent(MsgType::kViewChange);
  ASSERT_EQ(votes.size(), 1u);
  EXPECT_EQ(votes[0].to, 2u);  // leader of id 2
  Advance(1000);               // id 2 lasts (2 - 1) x 1 s
  EXPECT_EQ(node_->State().view_change_id, 3u);
  Advance(1999);  // id 3 lasts (3 - 1) x 1 s
  EXPECT_EQ(node_->State().view_change_id, 3u);
  Advance(1);
  EXPECT_EQ(node_->State().view_change_id, 4u);
  EXPECT_EQ(node_->State().view, 1u);
}

TEST_F(NodeRules, LeaderCountsOwnVoteAndSendsNewViewOnQuorum) {
  Boot(2);
  Advance(1000);  // id 2: node 2 leads it
  ASSERT_EQ(node_->State().view_change_id, 2u);
  Deliver(MsgType::kViewChange, 0, 1, 2);
  Deliver(MsgType::kViewChange, 1, 1, 2);
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());  // 3 of 5 including itself
  Deliver(MsgType::kViewChange, 3, 1, 2);
  EXPECT_EQ(Sent(MsgType::kNewView).size(), 1u);
  NodeState s = node_->State();
  EXPECT_EQ(s.mode, Mode::kNormal);
  EXPECT_EQ(s.view, 2u);
  EXPECT_TRUE(s.is_leader);
}

TEST_F(NodeRules, VoteForLowerIdThanOwnIsDropped) {
  Boot(2);
  Advance(1000);  // id 2
  Advance(1000);  // id 3: now "id is low" for votes on 2
  ASSERT_EQ(node_->State().view_change_id, 3u);
  for (uint32_t p : {0u, 1u, 3u, 4u}) Deliver(MsgType::kViewChange, p, 1, 2);
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());
  EXPECT_EQ(node_->State().mode, Mode::kViewChanging);
}

TEST_F(NodeRules, VoteIsDroppedByNonLeaderOtherHeightOrPastView) {
  Boot(2);
  Advance(1000);                                                           // id 2, node 2 leads it
  for (uint32_t p : {0u, 1u, 3u}) Deliver(MsgType::kViewChange, p, 2, 2);  // other height
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());
  for (uint32_t p : {0u, 1u, 3u}) Deliver(MsgType::kViewChange, p, 1, 7);  // 7 is led by node 2
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());  // but the leader's own id (2) is not 7
  for (uint32_t p : {0u, 1u, 3u}) Deliver(MsgType::kViewChange, p, 1, 3);  // led by node 3
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());
  EXPECT_EQ(node_->State().mode, Mode::kViewChanging);

  Boot(1);  // Normal in view 1, led by node 1: a vote for id 1 is not in its future
  for (uint32_t p : {0u, 2u, 3u, 4u}) Deliver(MsgType::kViewChange, p, 1, 1);
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());
}

TEST_F(NodeRules, VotesAreForgottenWhenOwnIdMoves) {
  Boot(3);
  Advance(1000);  // id 2 (led by node 2); votes for 3 are accepted and kept...
  Deliver(MsgType::kViewChange, 0, 1, 3);
  Deliver(MsgType::kViewChange, 1, 1, 3);
  Advance(1000);  // ...until our own id moves to 3
  ASSERT_EQ(node_->State().view_change_id, 3u);
  Deliver(MsgType::kViewChange, 4, 1, 3);
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());  // {3, 4}: 0 and 1 were forgotten
  Deliver(MsgType::kViewChange, 0, 1, 3);
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());
  Deliver(MsgType::kViewChange, 1, 1, 3);
  EXPECT_EQ(Sent(MsgType::kNewView).size(), 1u);  // {0, 1, 3, 4} sent after the move
}

TEST_F(NodeRules, VotesThatArriveJustBeforeTheLeadersOwnTimeoutAreKept) {
  Boot(2);  // Normal in view 1; node 2 leads view 2, the next one
  for (uint32_t p : {0u, 1u, 3u}) Deliver(MsgType::kViewChange, p, 1, 2);  // peers timed out first
  EXPECT_TRUE(Sent(MsgType::kNewView).empty());  // 3 of 5: no quorum without its own vote
  Advance(1000);  // its own phase timeout: id 2, its own vote joins the three it already holds
  EXPECT_EQ(Sent(MsgType::kNewView).size(), 1u);
  EXPECT_EQ(node_->State().mode, Mode::kNormal);
  EXPECT_EQ(node_->State().view, 2u);
}

TEST_F(NodeRules, NewViewIsAdoptedWithLowerOrEqualId) {
  Boot(0);
  Advance(1000);  // id 2
  Deliver(MsgType::kNewView, 3, 1, 3);
  NodeState s = node_->State();
  EXPECT_EQ(s.mode, Mode::kNormal);
  EXPECT_EQ(s.view, 3u);

  Boot(0);
  Advance(1000);
  Deliver(MsgType::kNewView, 2, 1, 2);  // equal id
  EXPECT_EQ(node_->State().view, 2u);

  Boot(0);  // Normal in view 1: a newer view is adopted
  Deliver(MsgType::kNewView, 4, 1, 4);
  EXPECT_EQ(node_->State().view, 4u);
}

TEST_F(NodeRules, NewViewIsIgnoredWithHigherIdOtherHeightOrWrongSender) {
  Boot(2);
  Advance(1000);
  Advance(1000);
  Advance(2000);  // id 4
  ASSERT_EQ(node_->State().view_change_id, 4u);
  Deliver(MsgType::kNewView, 3, 1, 3);  // id 3 < own 4
  EXPECT_EQ(node_->State().mode, Mode::kViewChanging);
  Deliver(MsgType::kNewView, 1, 2, 6);  // wrong height
  EXPECT_EQ(node_->State().mode, Mode::kViewChanging);
  Deliver(MsgType::kNewView, 0, 1, 6);  // node 0 does not lead view 6
  EXPECT_EQ(node_->State().mode, Mode::kViewChanging);
  Deliver(MsgType::kNewView, 1, 1, 6);
  EXPECT_EQ(node_->State().mode, Mode::kNormal);
  EXPECT_EQ(node_->State().view, 6u);
}

TEST_F(NodeRules, LeaderProposesAndCommitsWithQuorumOfVotes) {
  Boot(1);  // view 1: node 1 leads
  Advance(200);
  auto proposals = Sent(MsgType::kPropose);
  ASSERT_EQ(proposals.size(), 1u);
  const Block b = proposals[0].msg.blocks.at(0);
  EXPECT_EQ(b.height, 2u);
  EXPECT_EQ(b.view, 1u);
  Deliver(MsgType::kVote, 0, 2, 1);
  Deliver(MsgType::kVote, 2, 2, 1);
  EXPECT_TRUE(Sent(MsgType::kCommit).empty());
  Deliver(MsgType::kVote, 3, 2, 1);
  EXPECT_EQ(Sent(MsgType::kCommit).size(), 1u);
  EXPECT_EQ(node_->height(), 2u);
  EXPECT_EQ(node_->State().view, 1u);  // the view stays while blocks commit
}

TEST_F(NodeRules, CommitAheadOfChainStartsSync) {
  Boot(0);
  node_->Receive(Message{MsgType::kCommit, 1, 5, 1, {Block{5, 1, 1, 0}}});
  EXPECT_EQ(node_->State().mode, Mode::kSyncing);
  EXPECT_EQ(Sent(MsgType::kHeightReq).size(), 1u);
}

}  // namespace
}  // namespace vsim
