#include "base/shell_quote.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace shardctl {
namespace {

TEST(ShellQuoteTest, PlainWordsStayReadable) {
  EXPECT_EQ(ShellQuote("/opt/harmony"), "/opt/harmony");
  EXPECT_EQ(ShellQuote("9500"), "9500");
}

TEST(ShellQuoteTest, EverythingElseIsOneWord) {
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\"'\"'s'");
}

TEST(ShellQuoteTest, HostileValuesReachTheShellAsData) {
  for (std::string v : {"$(touch /tmp/pwned)", "a;b", "`id`", "x'y\"z", "-n", "a\nb", "*"}) {
    std::string out;
    int rc = testing::RunCommand({"/bin/sh", "-c", "printf %s " + ShellQuote(v)}, &out);
    EXPECT_EQ(rc, 0);
    EXPECT_EQ(out, v);
  }
}

}  // namespace
}  // namespace shardctl
