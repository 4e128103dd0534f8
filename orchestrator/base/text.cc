#include "base/text.h"

#include <cstdio>
#include <ctime>

namespace shardctl {

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  char buf[48];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "%.1fs", ms / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lldm%04.1fs", static_cast<long long>(ms / 60000),
                  (ms % 60000) / 1000.0);
  }
  return buf;
}

std::string FormatUtc(int64_t unix_ms) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(unix_ms % 1000));
  return out;
}

std::string FormatPercent(double share) {
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * share);
  return pct;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string JoinOrDash(const std::vector<std::string>& parts) {
  return parts.empty() ? "-" : Join(parts);
}

}  // namespace shardctl
