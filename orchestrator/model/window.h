// Maintenance windows: when planned work (rolling-restart, upgrade) may start.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/json_reader.h"

namespace shardctl {

/// Days (of the window's start), a start and end time of day and an IANA time zone. An end at
/// or before the start crosses midnight: {Fri, 22:00, 02:00} is open from Friday 22:00 to
/// Saturday 02:00 local time.
struct MaintenanceWindow {
  std::vector<int> days;  // 0 = Sunday .. 6 = Saturday; empty = every day
  int start_minute = 0;   // minutes after local midnight
  int end_minute = 0;
  std::string time_zone = "UTC";

  /// Whether unix_seconds falls inside the window. Daylight-saving shifts follow the zone.
  bool Contains(int64_t unix_seconds) const;
  /// First moment at or after unix_seconds when the window is open (searches 8 days).
  int64_t NextOpening(int64_t unix_seconds) const;
  /// "Mon,Tue 09:00-17:00 Europe/Berlin".
  std::string ToString() const;
};

/// Parses {"days": ["Mon", ...], "start": "HH:MM", "end": "HH:MM", "time_zone": "Area/City"}.
Result<MaintenanceWindow> ParseWindow(const JsonAt& at);

/// "" when there is no window or it is open at unix_ms; else a sentence saying which window and
/// when it opens next.
std::string OutsideWindow(const std::optional<MaintenanceWindow>& window, int64_t unix_ms);

}  // namespace shardctl
