// `shardctl watch report --since 24h`: the watch journal as incidents, one per shard that
// stopped committing, with time to detect (last block seen to the halted verdict), the first
// alert, what was done or held back and why, and time to recover; then the whole timeline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops/watch/watch_journal.h"

namespace shardctl {

struct WatchIncident {
  int shard = 0;
  int64_t last_block_unix_ms = 0;  // when the watcher last saw the shard's height grow
  int64_t detected_unix_ms = 0;    // the halted (or stuck) verdict
  int64_t first_alert_unix_ms = 0;
  int64_t first_action_unix_ms = 0;  // a recovery run began (0: none)
  int64_t recovered_unix_ms = 0;     // committing again (0: not within the report)
  bool stuck = false;                // seen stuck in view change
  bool gave_up = false;
  std::vector<std::string> runs;       // recovery runs that worked on it
  std::vector<std::string> held_back;  // guardrails that held an action back
};

/// The incidents of entries from since_unix_ms on, in the order they began.
std::vector<WatchIncident> FindIncidents(const std::vector<WatchEntry>& entries,
                                         int64_t since_unix_ms);

/// The Markdown report.
std::string RenderWatchReport(const std::string& network, const std::vector<WatchEntry>& entries,
                              int64_t since_unix_ms, int64_t now_unix_ms);

}  // namespace shardctl
