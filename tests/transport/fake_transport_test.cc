#include "transport/fake_transport.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

Node MakeNode(const std::string& name) {
  Node n;
  n.name = name;
  return n;
}

TEST(FakeTransportTest, LatestMatchingRuleAnswersAndNodeFilterApplies) {
  FakeClock clock;
  FakeTransport fake(&clock);
  fake.On("", "status", FakeTransport::Ok("any"));
  fake.On("a", "status", FakeTransport::Exited(3, "", "bad"));
  fake.OnRegex("", "^db-height [0-9]+$", FakeTransport::Ok("42"));
  ExecOptions o;
  EXPECT_EQ(fake.Exec(MakeNode("a"), "status", o).exit_code, 3);
  EXPECT_EQ(fake.Exec(MakeNode("b"), "status", o).out, "any");
  EXPECT_EQ(fake.Exec(MakeNode("b"), "db-height 7", o).out, "42");
  ExecResult none = fake.Exec(MakeNode("b"), "rm -rf /", o);
  EXPECT_EQ(none.outcome, ExecResult::Outcome::kError);
  EXPECT_NE(none.detail.find("no rule"), std::string::npos);

  clock.Advance(Duration(500));
  fake.On("b", "rm", FakeTransport::Signaled("KILL"));
  EXPECT_EQ(fake.Exec(MakeNode("b"), "rm -rf /", o).Reason(), "killed by signal KILL");

  auto calls = fake.calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[0].node, "a");
  EXPECT_EQ(calls[4].at - calls[0].at, Duration(500));
  EXPECT_EQ(fake.CallsMatching("b", "status").size(), 1u);
  EXPECT_EQ(fake.CallsMatching("", "rm").size(), 2u);
}

TEST(FakeTransportTest, TruncatesOutputAndHonoursCancel) {
  FakeTransport fake;
  fake.On("", "big", FakeTransport::Ok(std::string(100, 'x')));
  ExecOptions o;
  o.max_output_bytes = 10;
  ExecResult r = fake.Exec(MakeNode("a"), "big", o);
  EXPECT_EQ(r.out.size(), 10u);
  EXPECT_TRUE(r.out_truncated);
  CancelToken cancel;
  cancel.Cancel();
  o.cancel = &cancel;
  EXPECT_EQ(fake.Exec(MakeNode("a"), "big", o).outcome, ExecResult::Outcome::kCancelled);
  fake.CloseAll();
  EXPECT_EQ(fake.CloseAllCount(), 1);
}

TEST(FakeTransportTest, RecordsStdinData) {
  FakeTransport t;
  t.On("", "cat", FakeTransport::Ok());
  Node n;
  n.name = "a";
  std::string bytes(
      "\x7f"
      "ELF\0x",
      6);
  ExecOptions o;
  o.stdin_data = &bytes;
  ASSERT_TRUE(t.Exec(n, "cat > f", o).ok());
  ASSERT_TRUE(t.Exec(n, "cat g", ExecOptions{}).ok());
  auto calls = t.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].has_stdin);
  EXPECT_EQ(calls[0].stdin_data, bytes);
  EXPECT_FALSE(calls[1].has_stdin);
}

TEST(ExecResultTest, ReasonsArePlainWords) {
  ExecResult r;
  r.outcome = ExecResult::Outcome::kExited;
  r.exit_code = 3;
  EXPECT_EQ(r.Reason(), "exit 3");
  r.outcome = ExecResult::Outcome::kTimedOut;
  r.duration = Duration(5000);
  EXPECT_EQ(r.Reason(), "timed out after 5s");
  r.outcome = ExecResult::Outcome::kUnreachable;
  r.detail = "connection refused";
  EXPECT_EQ(r.Reason(), "unreachable: connection refused");
  EXPECT_STREQ(OutcomeName(ExecResult::Outcome::kHostKeyRejected), "host_key_rejected");
}

}  // namespace
}  // namespace shardctl
