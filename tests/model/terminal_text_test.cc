#include "base/terminal_text.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

TEST(TerminalTextTest, ControlCharactersAreShownNotRun) {
  EXPECT_EQ(SanitizeForTerminal("a\x1b]0;title\x07"
                                "b"),
            "a\\x1b]0;title\\x07b");
  EXPECT_EQ(SanitizeForTerminal("clear\x1b[2J\x7f"), "clear\\x1b[2J\\x7f");
  EXPECT_EQ(SanitizeForTerminal("line\nnext\ttab"), "line\nnext\ttab");
  EXPECT_EQ(SanitizeForTerminal("line\nnext", /*keep_newlines=*/false), "line\\x0anext");
  EXPECT_EQ(SanitizeForTerminal("\xc2\x9b"
                                "31m"),
            "\\u009b31m")
      << "C1 CSI";
}

TEST(TerminalTextTest, Utf8IsKeptAndOtherBytesAreEscaped) {
  EXPECT_EQ(SanitizeForTerminal("h\xc3\xa9 \xe2\x9c\x93"), "h\xc3\xa9 \xe2\x9c\x93");
  EXPECT_EQ(SanitizeForTerminal("latin1 \xe9!"), "latin1 \\xe9!");
  EXPECT_EQ(SanitizeForTerminal("\xff\xc3"), "\\xff\\xc3") << "a cut sequence";
}

}  // namespace
}  // namespace shardctl
