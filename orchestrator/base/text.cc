#include "base/text.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace shardctl {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

std::optional<int64_t> ParseDecimal(std::string_view text, int64_t min, int64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return {};
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return {};
  return v;
}

size_t InvalidUtf8At(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = b[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return i;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

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

std::string FormatUtcAs(int64_t unix_ms, const char* strftime_format) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  return std::strftime(buf, sizeof buf, strftime_format, &tm) ? buf : "";
}

std::string FormatUtc(int64_t unix_ms) {
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return FormatUtcAs(unix_ms, "%Y-%m-%dT%H:%M:%S") + ms;
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
