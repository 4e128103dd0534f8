#include "run/resume.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

// A journal line from its text, through the schema's own mapping.
JournalEntry Line(const std::string& node, const std::string& step, const std::string& outcome,
                  const std::string& detail = "") {
  JournalEntry e;
  e.run = "run-1";
  e.shard = node.empty() ? -1 : 0;
  e.node = node;
  e.step = ParseStep(step).value();
  e.outcome = ParseOutcome(outcome).value();
  e.detail = detail;
  return e;
}

std::vector<JournalEntry> Partial() {
  RunHeader h;
  h.inventory = "/etc/inv.json";
  h.playbook = "/etc/pb.json";
  h.shards = {0};
  return {Line("", "run", "header", RunHeaderToJson(h)),
          Line("", "run", "begin"),
          Line("a", "node", "begin"),
          Line("a", "stop", "begin"),
          Line("a", "stop", "ok"),
          Line("a", "start", "begin"),
          Line("a", "start", "ok"),
          Line("a", "node", "done"),
          Line("b", "node", "begin"),
          Line("b", "stop", "begin"),
          Line("c", "node", "failed", "start failed"),
          Line("d", "node", "skipped", "budget spent"),
          Line("e", "node", "begin"),
          Line("e", "stop", "begin"),
          Line("e", "start", "begin"),
          Line("e", "node", "resume", "wait-for-sync")};
}

TEST(RunJournalTest, FoldsEachNodesProgressFromAPartialJournal) {
  auto j = ReadRunJournal(Partial());
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_EQ(j->run_id, "run-1");
  EXPECT_FALSE(j->finished);
  ASSERT_TRUE(j->header.has_value());
  EXPECT_EQ(j->header->inventory, "/etc/inv.json");
  EXPECT_EQ(j->header->shards, std::vector<int>{0});
  EXPECT_EQ(j->NodesIn(NodeProgress::kDone), std::vector<std::string>{"a"});
  EXPECT_EQ(j->NodesIn(NodeProgress::kFailed), std::vector<std::string>{"c"});
  EXPECT_EQ(j->NodesIn(NodeProgress::kSkipped), std::vector<std::string>{"d"});
  EXPECT_EQ(j->NodesIn(NodeProgress::kInFlight), (std::vector<std::string>{"b", "e"}));
  EXPECT_EQ(j->nodes.at("b").last_command, CommandId::kStop);
  EXPECT_FALSE(j->nodes.at("b").start_sent);
  EXPECT_TRUE(j->nodes.at("e").start_sent) << "a resume line keeps what was sent before it";

  auto entries = Partial();
  entries.push_back(Line("", "run", "finished"));
  EXPECT_TRUE(ReadRunJournal(entries)->finished);
}

TEST(RunJournalTest, AJournalWithoutHeaderIsNotARollingRun) {
  auto j = ReadRunJournal({Line("", "run", "begin"), Line("a", "stop", "begin")});
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("no run header"), std::string::npos);
}

TEST(RunJournalTest, ResumeNeverRestartsANodeWhoseStartWentOutAndThatRuns) {
  using A = ResumeAction;
  NodeHistory fresh;
  EXPECT_EQ(DecideResume(fresh, true), A::kRestart);
  NodeHistory done{NodeProgress::kDone, CommandId::kStart, true, ""};
  EXPECT_EQ(DecideResume(done, true), A::kLeave);
  NodeHistory begun{NodeProgress::kInFlight, std::nullopt, false, ""};
  EXPECT_EQ(DecideResume(begun, true), A::kRestart);
  NodeHistory stopping{NodeProgress::kInFlight, CommandId::kStop, false, ""};
  EXPECT_EQ(DecideResume(stopping, true), A::kRestart) << "the stop never took effect";
  EXPECT_EQ(DecideResume(stopping, false), A::kStartAgain);
  NodeHistory starting{NodeProgress::kInFlight, CommandId::kStart, true, ""};
  EXPECT_EQ(DecideResume(starting, true), A::kWaitForSync);
  EXPECT_EQ(DecideResume(starting, false), A::kStartAgain);
  EXPECT_EQ(DecideResume(starting, std::nullopt), A::kAskOperator);
}

}  // namespace
}  // namespace shardctl
