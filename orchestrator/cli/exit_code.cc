#include "cli/exit_code.h"

namespace shardctl::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalid:
    case Status::Code::kNotFound:
      return kExitUsage;
    case Status::Code::kCancelled:
      return kExitCancelled;
    case Status::Code::kLocked:
      return kExitLocked;
    case Status::Code::kIo:
    case Status::Code::kInternal:
      return kExitInternal;
    default:
      return kExitFailed;
  }
}

}  // namespace shardctl::cli
