#pragma once

#include <cstddef>
#include <functional>

namespace shardctl {

/// Calls fn(0) .. fn(n-1), at most max_parallel at once (< 1: all n at once), and returns when
/// every call has returned. fn must be safe to call from several threads; the calling thread
/// runs work too, so n == 1 costs no thread.
void ParallelFor(size_t n, int max_parallel, const std::function<void(size_t)>& fn);

}  // namespace shardctl
