#include "model/window.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "base/text.h"

namespace shardctl {
namespace {

const char* const kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Local time of unix_seconds in zone. localtime_r reads TZ, so the swap is serialised.
tm LocalTime(const std::string& zone, int64_t unix_seconds) {
  static std::mutex mu;
  std::lock_guard<std::mutex> l(mu);
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", zone.c_str(), 1);
  tzset();
  time_t t = static_cast<time_t>(unix_seconds);
  tm out{};
  localtime_r(&t, &out);
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  return out;
}

bool ZoneExists(const std::string& zone) {
  if (zone == "UTC") return true;
  if (zone.empty() || zone[0] == '/' || zone.find("..") != std::string::npos) return false;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone);
}

Result<int> ParseHhMm(const JsonAt& at) {
  auto s = at.String();
  if (!s.ok()) return s.status();
  int h = 0, m = 0;
  char extra = 0;
  if (std::sscanf(s->c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 ||
      m > 59 || (h == 24 && m != 0)) {
    return at.Expected("a time of day \"HH:MM\" (00:00 to 24:00)");
  }
  return h * 60 + m;
}

bool DayListed(const std::vector<int>& days, int day) {
  if (days.empty()) return true;
  for (int d : days) {
    if (d == day) return true;
  }
  return false;
}

std::string HhMm(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

}  // namespace

bool MaintenanceWindow::Contains(int64_t unix_seconds) const {
  tm t = LocalTime(time_zone, unix_seconds);
  int minute = t.tm_hour * 60 + t.tm_min;
  int today = t.tm_wday, yesterday = (t.tm_wday + 6) % 7;
  if (start_minute < end_minute) {
    return DayListed(days, today) && minute >= start_minute && minute < end_minute;
  }
  // Crosses midnight: open from start today, or until end on the morning after a listed day.
  return (DayListed(days, today) && minute >= start_minute) ||
         (DayListed(days, yesterday) && minute < end_minute);
}

int64_t MaintenanceWindow::NextOpening(int64_t unix_seconds) const {
  int64_t t = unix_seconds - unix_seconds % 60;
  for (int64_t i = 0; i <= 8 * 24 * 60; ++i, t += 60) {
    if (t >= unix_seconds && Contains(t)) return t;
  }
  return -1;
}

std::string MaintenanceWindow::ToString() const {
  std::string d;
  for (int day : days) d += (d.empty() ? "" : ",") + std::string(kDayNames[day]);
  return (d.empty() ? "daily" : d) + " " + HhMm(start_minute) + "-" + HhMm(end_minute) + " " +
         time_zone;
}

Result<MaintenanceWindow> ParseWindow(const JsonAt& at) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"days", "start", "end", "time_zone"}));
  MaintenanceWindow w;
  if (at.Has("days")) {
    JsonAt days = at["days"];
    SHARDCTL_RETURN_IF_ERROR(days.RequireArray());
    // An empty list would mean "every day" silently; leave "days" out for that.
    if (days.value().empty())
      return days.Expected("at least one day (omit \"days\" for every day)");
    for (size_t i = 0; i < days.value().size(); ++i) {
      auto name = days[i].String();
      int found = -1;
      for (int d = 0; d < 7 && name.ok(); ++d) found = *name == kDayNames[d] ? d : found;
      if (found < 0) return days[i].Expected("a day: Sun, Mon, Tue, Wed, Thu, Fri or Sat");
      w.days.push_back(found);
    }
  }
  for (const char* key : {"start", "end"}) {
    if (!at.Has(key)) return at.Error(std::string("missing \"") + key + "\" (\"HH:MM\")");
    auto m = ParseHhMm(at[key]);
    if (!m.ok()) return m.status();
    (std::string(key) == "start" ? w.start_minute : w.end_minute) = *m;
  }
  if (at.Has("time_zone")) {
    auto z = at["time_zone"].String();
    if (!z.ok()) return z.status();
    if (!ZoneExists(*z)) return at["time_zone"].Expected("an IANA time zone such as Europe/Berlin");
    w.time_zone = *z;
  }
  if (w.start_minute == w.end_minute)
    return at.Error("\"start\" and \"end\" are equal: the window is empty");
  return w;
}

std::string OutsideWindow(const std::optional<MaintenanceWindow>& window, int64_t unix_ms) {
  if (!window || window->Contains(unix_ms / 1000)) return "";
  int64_t next = window->NextOpening(unix_ms / 1000);
  return "outside the maintenance window (" + window->ToString() + ")" +
         (next < 0 ? "" : "; it opens next at " + FormatUtc(next * 1000));
}

}  // namespace shardctl
