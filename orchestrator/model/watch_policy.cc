#include "model/watch_policy.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "model/json_reader.h"
#include "model/json_text.h"

namespace shardctl {
namespace {

using nlohmann::json;

constexpr double kDay = 86400;

// A duration key in seconds (fractions allowed) within [min_s, max_s].
Status ReadSeconds(const JsonAt& at, const char* key, double min_s, double max_s, Duration* out) {
  if (!at.Has(key)) return Status::Ok();
  auto v = at[key].Number(min_s, max_s);
  if (!v.ok()) return v.status();
  *out = Duration(static_cast<int64_t>(std::llround(*v * 1000)));
  return Status::Ok();
}

Status ReadCount(const JsonAt& at, const char* key, int min, int max, int* out) {
  if (!at.Has(key)) return Status::Ok();
  auto v = at[key].Int(min, max);
  if (!v.ok()) return v.status();
  *out = static_cast<int>(*v);
  return Status::Ok();
}

Status ReadTimes(const JsonAt& at, WatchPolicy* p) {
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "interval_s", 0.05, 3600, &p->interval));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "halt_after_s", 0.05, kDay, &p->halt_after));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "for_s", 0, kDay, &p->confirm_for));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "window_s", 1, 30 * kDay, &p->window));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "correlated_window_s", 0, kDay, &p->correlated_window));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "after_deploy_s", 0, 30 * kDay, &p->after_deploy));
  SHARDCTL_RETURN_IF_ERROR(ReadSeconds(at, "alert_repeat_s", 1, kDay, &p->alert_repeat));
  // Halted means "no block for halt_after": that needs at least two looks an interval apart.
  if (p->halt_after < p->interval) {
    return at.Has("halt_after_s")
               ? at["halt_after_s"].Expected("at least interval_s (a halt needs two looks)")
               : at.Error("halt_after_s (default 60) must be at least interval_s");
  }
  return Status::Ok();
}

Status ReadCounts(const JsonAt& at, WatchPolicy* p) {
  SHARDCTL_RETURN_IF_ERROR(ReadCount(at, "max_recoveries", 0, 1000, &p->max_recoveries));
  SHARDCTL_RETURN_IF_ERROR(ReadCount(at, "max_shards_at_once", 1, 100000, &p->max_shards_at_once));
  return ReadCount(at, "correlated_shards", 0, 100000, &p->correlated_shards);
}

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

Result<WatchPolicy> ParseWatchPolicy(const json& watch, const std::string& file,
                                     const std::string& pointer) {
  JsonAt at(watch, file, pointer);
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys(
      {"interval_s", "halt_after_s", "for_s", "max_recoveries", "window_s", "max_shards_at_once",
       "correlated_shards", "correlated_window_s", "after_deploy_s", "alert_repeat_s"}));
  WatchPolicy p;
  p.present = true;
  SHARDCTL_RETURN_IF_ERROR(ReadTimes(at, &p));
  SHARDCTL_RETURN_IF_ERROR(ReadCounts(at, &p));
  return p;
}

Result<WatchPolicy> LoadWatchPolicy(const std::string& path) {
  auto j = ReadJsonFile(path);
  if (!j.ok()) return j.status();
  return ParseWatchPolicy(*j, path, "");
}

json WatchPolicyToJson(const WatchPolicy& p) {
  return {{"interval_s", Seconds(p.interval)},
          {"halt_after_s", Seconds(p.halt_after)},
          {"for_s", Seconds(p.confirm_for)},
          {"max_recoveries", p.max_recoveries},
          {"window_s", Seconds(p.window)},
          {"max_shards_at_once", p.max_shards_at_once},
          {"correlated_shards", p.correlated_shards},
          {"correlated_window_s", Seconds(p.correlated_window)},
          {"after_deploy_s", Seconds(p.after_deploy)},
          {"alert_repeat_s", Seconds(p.alert_repeat)}};
}

}  // namespace shardctl
