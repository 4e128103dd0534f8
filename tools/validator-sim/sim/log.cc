#include "sim/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace vsim {

std::string FormatIsoMillis(int64_t unix_ms) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

void LogLine(const std::string& node_name, const std::string& text) {
  static std::mutex mu;
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::lock_guard<std::mutex> l(mu);
  std::fprintf(stdout, "%s %s %s\n", FormatIsoMillis(now).c_str(), node_name.c_str(), text.c_str());
  std::fflush(stdout);
}

}  // namespace vsim
