// The signal rule of issue 11 item 8 and issue 20: before anything is touched a signal exits at
// once; after, SIGINT, SIGTERM and SIGHUP cancel, and a second signal exits at once only while
// nothing could be left half-done.
#include <gtest/gtest.h>

#include <csignal>

#include "base/cancel.h"
#include "base/signal_rule.h"

namespace shardctl {
namespace {

// Puts the default dispositions back so the rest of the test binary is unaffected.
void RestoreDefaultSignals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) signal(sig, SIG_DFL);
  HoldSecondSignal(false);
  MarkTouching(false);
}

// A YAML file that expands for ever, a download that trickles: while inputs are being read
// nothing is touched, so the first signal ends shardctl at once.
TEST(SignalCancelTest, BeforeAnythingIsTouchedTheFirstSignalExitsAtOnce) {
  EXPECT_EXIT(
      {
        static CancelToken token;
        InstallSignalCancel(&token);
        raise(SIGTERM);
        _exit(token.cancelled() ? 1 : 2);  // not reached
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "interrupted before anything was touched");
}

TEST(SignalCancelTest, ASecondSignalExitsAtOnceWhenNothingIsHeld) {
  EXPECT_EXIT(
      {
        static CancelToken token;
        InstallSignalCancel(&token);
        MarkTouching();
        raise(SIGHUP);
        if (!token.cancelled()) _exit(1);
        raise(SIGHUP);
        _exit(2);  // not reached: the second signal exits
      },
      ::testing::ExitedWithCode(128 + SIGHUP), "");
}

TEST(SignalCancelTest, DuringARunEverySignalOnlyCancelsAndSigpipeIsIgnored) {
  static CancelToken token;  // the handler keeps a pointer to it
  InstallSignalCancel(&token);
  HoldSecondSignal(true);
  raise(SIGHUP);
  EXPECT_TRUE(token.cancelled());
  raise(SIGINT);  // without the hold this would _exit(130)
  raise(SIGTERM);
  raise(SIGPIPE);
  EXPECT_TRUE(token.cancelled()) << "still here: the run finishes its step and reports";
  RestoreDefaultSignals();
}

}  // namespace
}  // namespace shardctl
