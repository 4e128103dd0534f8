// The one wait loop of a run. Every wait of every operation (a node confirming down, a shard
// passing its gate, a wave coming back in sync, a canary soaking, a backoff, a drill's timeline
// and monitor, status's interval) polls through PollUntil, so there is one stop rule: a wait
// that is part of a step in flight finishes whatever happens (kFinish); a wait between steps
// ends as soon as the run is stopping (kEndEarly): the operator's signal, a drill's abort, a
// lost lease or a journal failure, all seen through RunContext::Stopping().
#pragma once

#include <functional>

#include "base/clock.h"

namespace shardctl {

class RunContext;

/// What a stop request does to a wait.
enum class StopRule {
  kFinish,    // part of a step in flight: the wait goes on until done or its deadline
  kEndEarly,  // between steps: the wait ends (kStopped) once the run is stopping
};

/// How a wait ended.
enum class WaitEnd { kDone, kDeadline, kStopped };

/// What `every` is measured from.
enum class Pace {
  kAfterPoll,  // the end of the last poll: a pause of `every` between polls
  kFixedRate,  // the start of the last poll: a poll every `every` (a slow one is followed at once)
};

struct WaitSpec {
  Duration every{1000};                   // between two polls (see pace)
  TimePoint deadline = TimePoint::max();  // none by default: the poll decides
  StopRule stop = StopRule::kFinish;
  Pace pace = Pace::kAfterPoll;
};

/// Calls `done` now and then every spec.every (spec.pace; sleeping through ctx.clock) until it
/// returns true (kDone), spec.deadline has passed after a poll that returned false (kDeadline) or,
/// with kEndEarly, ctx.Stopping() (kStopped: looked at before every poll and at least every 250 ms
/// while sleeping). The last poll is never later than the deadline by more than a poll's
/// duration: sleeps are cut at the deadline.
WaitEnd PollUntil(RunContext& ctx, const WaitSpec& spec, const std::function<bool()>& done);

/// Sleeps d through ctx.clock unless the run stops first (kEndEarly); true when the whole time
/// passed.
bool PauseUnlessStopping(RunContext& ctx, Duration d);

}  // namespace shardctl
