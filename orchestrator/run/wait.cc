#include "run/wait.h"

#include <algorithm>

#include "run/context.h"

namespace shardctl {
namespace {

constexpr Duration kStopSlice{250};  // how often a kEndEarly sleep looks at Stopping()

bool StopsNow(RunContext& ctx, StopRule rule) {
  return rule == StopRule::kEndEarly && ctx.Stopping();
}

// Sleeps until `until`, in slices when a stop may end the wait; false when it did.
bool SleepUntil(RunContext& ctx, TimePoint until, StopRule rule) {
  while (true) {
    if (StopsNow(ctx, rule)) return false;
    TimePoint now = ctx.clock.Now();
    if (now >= until) return true;
    Duration left = until - now;
    ctx.clock.SleepFor(rule == StopRule::kEndEarly ? std::min(kStopSlice, left) : left);
  }
}

}  // namespace

WaitEnd PollUntil(RunContext& ctx, const WaitSpec& spec, const std::function<bool()>& done) {
  while (true) {
    if (StopsNow(ctx, spec.stop)) return WaitEnd::kStopped;
    TimePoint began = ctx.clock.Now();
    if (done()) return WaitEnd::kDone;
    TimePoint now = ctx.clock.Now();
    if (now >= spec.deadline) return WaitEnd::kDeadline;
    TimePoint from = spec.pace == Pace::kFixedRate ? began : now;
    TimePoint next = spec.deadline - from < spec.every ? spec.deadline : from + spec.every;
    if (!SleepUntil(ctx, next, spec.stop)) return WaitEnd::kStopped;
  }
}

bool PauseUnlessStopping(RunContext& ctx, Duration d) {
  WaitSpec spec{.every = d, .deadline = ctx.clock.Now() + d, .stop = StopRule::kEndEarly};
  return PollUntil(ctx, spec, [] { return false; }) == WaitEnd::kDeadline;
}

}  // namespace shardctl
