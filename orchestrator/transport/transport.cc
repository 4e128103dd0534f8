#include "transport/transport.h"

#include "base/enum_names.h"

namespace shardctl {

namespace {

// The outcome's word in `exec -o json` output: the one place each is spelled.
constexpr EnumNames<ExecResult::Outcome, 8> kExecOutcomes{{
    {ExecResult::Outcome::kExited, "exited"},
    {ExecResult::Outcome::kSignaled, "signaled"},
    {ExecResult::Outcome::kTimedOut, "timed_out"},
    {ExecResult::Outcome::kUnreachable, "unreachable"},
    {ExecResult::Outcome::kAuthFailed, "auth_failed"},
    {ExecResult::Outcome::kHostKeyRejected, "host_key_rejected"},
    {ExecResult::Outcome::kCancelled, "cancelled"},
    {ExecResult::Outcome::kError, "error"},
}};

}  // namespace

const char* OutcomeName(ExecResult::Outcome o) { return NameIn(kExecOutcomes, o); }

std::string ExecResult::Reason() const {
  auto with_detail = [this](std::string head) {
    return detail.empty() ? head : head + ": " + detail;
  };
  switch (outcome) {
    case Outcome::kExited:
      return "exit " + std::to_string(exit_code);
    case Outcome::kSignaled:
      return "killed by signal " + (signal.empty() ? std::string("?") : signal);
    case Outcome::kTimedOut: {
      auto ms = duration.count();
      std::string secs = std::to_string(ms / 1000);
      if (ms % 1000 != 0) secs += "." + std::to_string((ms % 1000) / 100);
      return with_detail("timed out after " + secs + "s");
    }
    case Outcome::kUnreachable:
      return with_detail("unreachable");
    case Outcome::kAuthFailed:
      return with_detail("authentication failed");
    case Outcome::kHostKeyRejected:
      return with_detail("host key rejected");
    case Outcome::kCancelled:
      return with_detail("cancelled");
    case Outcome::kError:
      return with_detail("error");
  }
  return with_detail("error");
}

}  // namespace shardctl
