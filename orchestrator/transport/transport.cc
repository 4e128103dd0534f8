#include "transport/transport.h"

namespace shardctl {

const char* OutcomeName(ExecResult::Outcome o) {
  switch (o) {
    case ExecResult::Outcome::kExited:
      return "exited";
    case ExecResult::Outcome::kSignaled:
      return "signaled";
    case ExecResult::Outcome::kTimedOut:
      return "timed_out";
    case ExecResult::Outcome::kUnreachable:
      return "unreachable";
    case ExecResult::Outcome::kAuthFailed:
      return "auth_failed";
    case ExecResult::Outcome::kHostKeyRejected:
      return "host_key_rejected";
    case ExecResult::Outcome::kCancelled:
      return "cancelled";
    case ExecResult::Outcome::kError:
      return "error";
  }
  return "error";
}

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
