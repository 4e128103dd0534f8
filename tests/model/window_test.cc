#include "model/window.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

using nlohmann::json;

MaintenanceWindow Parse(const json& j) {
  auto w = ParseWindow(JsonAt(j, "pb.json", "/window"));
  EXPECT_TRUE(w.ok()) << w.status().message();
  return w.ok() ? *w : MaintenanceWindow{};
}

// 2026-11-24 is a Tuesday. Unix seconds of a UTC wall-clock time that day (+ days).
int64_t Utc(int day_offset, int hour, int minute) {
  const int64_t kTue20261124 = 1795478400;  // 2026-11-24T00:00:00Z
  return kTue20261124 + day_offset * 86400 + hour * 3600 + minute * 60;
}

TEST(WindowTest, AnEmptyDayListIsAnErrorNotEveryDay) {
  json j = {{"days", json::array()}, {"start", "09:00"}, {"end", "17:00"}};
  auto w = ParseWindow(JsonAt(j, "pb.json", "/window"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message(),
            "pb.json:/window/days: expected at least one day (omit \"days\" for every day), found "
            "an array");
}

TEST(WindowTest, SameDayWindowInUtc) {
  MaintenanceWindow w = Parse({{"days", {"Tue", "Wed"}}, {"start", "09:00"}, {"end", "17:00"}});
  EXPECT_FALSE(w.Contains(Utc(0, 8, 59)));
  EXPECT_TRUE(w.Contains(Utc(0, 9, 0)));
  EXPECT_TRUE(w.Contains(Utc(1, 16, 59)));
  EXPECT_FALSE(w.Contains(Utc(1, 17, 0)));
  EXPECT_FALSE(w.Contains(Utc(2, 10, 0)));                // Thursday
  EXPECT_EQ(w.NextOpening(Utc(2, 10, 0)), Utc(7, 9, 0));  // next Tuesday
  EXPECT_EQ(w.ToString(), "Tue,Wed 09:00-17:00 UTC");
}

TEST(WindowTest, CrossesMidnightFromTheListedDay) {
  MaintenanceWindow w = Parse({{"days", {"Fri"}}, {"start", "22:00"}, {"end", "02:00"}});
  EXPECT_TRUE(w.Contains(Utc(3, 23, 30)));  // Friday night
  EXPECT_TRUE(w.Contains(Utc(4, 1, 59)));   // Saturday early morning belongs to Friday
  EXPECT_FALSE(w.Contains(Utc(4, 2, 0)));
  EXPECT_FALSE(w.Contains(Utc(4, 23, 0)));  // Saturday night is not listed
  EXPECT_FALSE(w.Contains(Utc(3, 1, 0)));   // Friday early morning belongs to Thursday
}

TEST(WindowTest, TimeZonesShiftTheWindow) {
  // 09:00-17:00 in Los Angeles (UTC-8 in November) is 17:00-01:00 UTC.
  MaintenanceWindow la = Parse({{"days", {"Tue"}},
                                {"start", "09:00"},
                                {"end", "17:00"},
                                {"time_zone", "America/Los_Angeles"}});
  EXPECT_FALSE(la.Contains(Utc(0, 10, 0)));
  EXPECT_TRUE(la.Contains(Utc(0, 17, 0)));
  EXPECT_TRUE(la.Contains(Utc(1, 0, 59)));  // Wednesday 00:59 UTC is still Tuesday in LA
  EXPECT_FALSE(la.Contains(Utc(1, 1, 0)));
  // Tokyo (UTC+9): Tuesday 08:00-10:00 local is Monday 23:00 - Tuesday 01:00 UTC.
  MaintenanceWindow tokyo =
      Parse({{"days", {"Tue"}}, {"start", "08:00"}, {"end", "10:00"}, {"time_zone", "Asia/Tokyo"}});
  EXPECT_TRUE(tokyo.Contains(Utc(-1, 23, 30)));
  EXPECT_FALSE(tokyo.Contains(Utc(0, 8, 30)));
}

TEST(WindowTest, BadWindowsNameTheField) {
  auto err = [](const json& j) {
    auto w = ParseWindow(JsonAt(j, "pb.json", "/window"));
    return w.ok() ? std::string() : w.status().message();
  };
  EXPECT_EQ(err({{"days", {"Funday"}}, {"start", "09:00"}, {"end", "10:00"}}),
            "pb.json:/window/days/0: expected a day: Sun, Mon, Tue, Wed, Thu, Fri or Sat, found "
            "\"Funday\"");
  EXPECT_EQ(err({{"start", "9am"}, {"end", "10:00"}}),
            "pb.json:/window/start: expected a time of day \"HH:MM\" (00:00 to 24:00), found "
            "\"9am\"");
  EXPECT_EQ(err({{"start", "09:00"}, {"end", "10:00"}, {"time_zone", "Mars/Olympus"}}),
            "pb.json:/window/time_zone: expected an IANA time zone such as Europe/Berlin, found "
            "\"Mars/Olympus\"");
  EXPECT_EQ(err({{"start", "09:00"}}), "pb.json:/window: missing \"end\" (\"HH:MM\")");
}

}  // namespace
}  // namespace shardctl
