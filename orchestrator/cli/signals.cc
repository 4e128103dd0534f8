#include "cli/signals.h"

namespace shardctl::cli {

CancelToken* GlobalCancel() {
  static CancelToken token;
  return &token;
}

}  // namespace shardctl::cli
