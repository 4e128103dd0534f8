#include "ops/drill/drill_report.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "base/text.h"
#include "run/journal.h"

namespace shardctl {
namespace {

std::string DurationOrDash(const std::optional<Duration>& d) {
  return d ? FormatDuration(*d) : "-";
}

std::string HeldText(const std::optional<bool>& b) {
  return !b ? "not checked" : *b ? "held" : "did NOT hold";
}

nlohmann::json MsOrNull(const std::optional<Duration>& d) {
  return d ? nlohmann::json(d->count()) : nlohmann::json(nullptr);
}

void RenderDrillShardTable(std::ostringstream& o, const DrillReport& r) {
  o << "| shard | blast radius | time to detect | stuck in view change | time to recover | "
       "whole-shard restarts | binaries replaced |\n|---|---|---|---|---|---|---|\n";
  for (const ShardMeasure& m : r.shards) {
    o << "| " << m.shard << " | " << (m.in_blast_radius ? "in" : "out") << " | "
      << DurationOrDash(m.TimeToDetect()) << " | " << (m.stuck_seen ? "yes" : "no") << " | "
      << DurationOrDash(m.TimeToRecover()) << " | " << m.restarts << " | "
      << JoinOrDash(m.replaced_binaries) << " |\n";
  }
}

void RenderDrillTrend(std::ostringstream& o, const DrillReport& r) {
  o << "\n## Trend (runs of `" << r.name << "` in this state dir)\n\n"
    << "| run | started | seed | outcome | MTTR |\n|---|---|---|---|---|\n";
  for (const DrillTrendRow& t : r.trend) {
    o << "| `" << t.run_id << "` | " << FormatUtc(t.started_unix_ms) << " | " << t.seed << " | "
      << DrillOutcomeName(t.outcome) << " | " << DurationOrDash(t.mttr) << " |\n";
  }
}

}  // namespace

std::optional<Duration> DrillReport::Mttr() const {
  std::optional<Duration> worst;
  for (const ShardMeasure& m : shards) {
    auto ttr = m.TimeToRecover();
    if (ttr && (!worst || *ttr > *worst)) worst = ttr;
  }
  return worst;
}

std::string RenderDrillMarkdown(const DrillReport& r) {
  std::ostringstream o;
  o << "# shardctl drill `" << r.name << "`: " << DrillOutcomeName(r.outcome) << "\n\n"
    << "- drill: `" << r.drill_path << "`, seed " << r.seed << " (replay with `--seed " << r.seed
    << "`)\n- run: `" << r.run_id << "`\n- network: " << r.network << "\n- playbook: `"
    << r.playbook << "`\n- journal: `" << r.journal_path
    << "`\n- started: " << FormatUtc(r.started_unix_ms) << ", took "
    << FormatDuration(Duration(r.finished_unix_ms - r.started_unix_ms)) << "\n";
  if (!r.production_reason.empty()) o << "- production: " << r.production_reason << "\n";
  o << "- hypothesis before: " << HeldText(r.hypothesis_before)
    << "\n- hypothesis after: " << HeldText(r.hypothesis_after)
    << "\n- recovery: " << RecoveryModeName(r.recovery_mode) << "\n";
  if (!r.abort_reason.empty()) o << "- **aborted**: " << r.abort_reason << "\n";
  o << "\n## Blast radius\n\n";
  for (const std::string& l : r.blast_lines) o << "- " << l << "\n";
  o << "\n## Targets\n\n";
  for (const std::string& l : r.choices) o << "- " << l << "\n";
  o << "\n## Per shard\n\n";
  RenderDrillShardTable(o, r);
  o << "\n## Hypothesis\n\n";
  for (const std::string& l : r.hypothesis_notes) o << "- " << l << "\n";
  o << "\n## Timeline\n\n| t | UTC | what |\n|---|---|---|\n";
  for (const DrillTimelineEntry& e : r.timeline) {
    o << "| " << FormatDuration(e.t) << " | " << FormatUtc(e.unix_ms) << " | " << e.what << " |\n";
  }
  o << "\n## Rollbacks\n\n";
  for (const std::string& l : r.rollbacks) o << "- " << l << "\n";
  RenderDrillTrend(o, r);
  return o.str();
}

nlohmann::json DrillReportToJson(const DrillReport& r) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardMeasure& m : r.shards) {
    shards.push_back({{"shard", m.shard},
                      {"in_blast_radius", m.in_blast_radius},
                      {"time_to_detect_ms", MsOrNull(m.TimeToDetect())},
                      {"stuck_in_view_change", m.stuck_seen},
                      {"time_to_recover_ms", MsOrNull(m.TimeToRecover())},
                      {"whole_shard_restarts", m.restarts},
                      {"binaries_replaced", m.replaced_binaries},
                      {"last_sample", m.last_sample}});
  }
  nlohmann::json timeline = nlohmann::json::array();
  for (const DrillTimelineEntry& e : r.timeline) {
    timeline.push_back({{"t_ms", e.t.count()}, {"utc", FormatUtc(e.unix_ms)}, {"what", e.what}});
  }
  nlohmann::json trend = nlohmann::json::array();
  for (const DrillTrendRow& t : r.trend) {
    trend.push_back({{"run", t.run_id},
                     {"started", FormatUtc(t.started_unix_ms)},
                     {"seed", t.seed},
                     {"outcome", DrillOutcomeName(t.outcome)},
                     {"mttr_ms", MsOrNull(t.mttr)}});
  }
  auto held = [](const std::optional<bool>& b) {
    return b ? nlohmann::json(*b) : nlohmann::json(nullptr);
  };
  return {{"drill", r.name},
          {"file", r.drill_path},
          {"run", r.run_id},
          {"network", r.network},
          {"playbook", r.playbook},
          {"journal", r.journal_path},
          {"seed", r.seed},
          {"production", r.production_reason},
          {"outcome", DrillOutcomeName(r.outcome)},
          {"abort_reason", r.abort_reason},
          {"recovery", RecoveryModeName(r.recovery_mode)},
          {"hypothesis_before", held(r.hypothesis_before)},
          {"hypothesis_after", held(r.hypothesis_after)},
          {"hypothesis", r.hypothesis_notes},
          {"blast_radius", r.blast_lines},
          {"targets", r.choices},
          {"rollbacks", r.rollbacks},
          {"shards", shards},
          {"timeline", timeline},
          {"trend", trend},
          {"mttr_ms", MsOrNull(r.Mttr())},
          {"started", FormatUtc(r.started_unix_ms)},
          {"duration_ms", r.finished_unix_ms - r.started_unix_ms}};
}

std::string RenderDrillSummary(const DrillReport& r) {
  std::ostringstream o;
  o << "drill " << r.name << ": " << DrillOutcomeName(r.outcome) << " (seed " << r.seed << ")\n"
    << "  hypothesis before: " << HeldText(r.hypothesis_before)
    << ", after: " << HeldText(r.hypothesis_after) << "\n";
  if (!r.abort_reason.empty()) o << "  aborted: " << r.abort_reason << "\n";
  for (const ShardMeasure& m : r.shards) {
    o << "  shard " << m.shard << ": detect " << DurationOrDash(m.TimeToDetect()) << ", recover "
      << DurationOrDash(m.TimeToRecover()) << ", restarts " << m.restarts
      << ", stuck in view change " << (m.stuck_seen ? "yes" : "no") << ", binaries replaced "
      << m.replaced_binaries.size() << "\n";
  }
  if (r.trend.size() > 1) {
    o << "  MTTR trend:";
    for (const DrillTrendRow& t : r.trend) o << " " << DurationOrDash(t.mttr);
    o << "\n";
  }
  o << "  journal: " << r.journal_path << "\n";
  return o.str();
}

std::string TrendDetail(const DrillReport& r) {
  nlohmann::json j = {{"drill", r.name},
                      {"seed", r.seed},
                      {"outcome", DrillOutcomeName(r.outcome)},
                      {"started", r.started_unix_ms},
                      {"mttr_ms", MsOrNull(r.Mttr())}};
  return j.dump();
}

std::vector<DrillTrendRow> ReadDrillTrend(const std::string& state_dir, const std::string& name,
                                          const std::string& skip_run) {
  std::vector<DrillTrendRow> rows;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(state_dir + "/runs", ec)) {
    if (f.path().extension() != ".jsonl") continue;
    auto entries = ReadJournal(f.path().string());
    if (!entries.ok()) continue;
    for (const JournalEntry& e : *entries) {
      if (!(e.step == JournalStep(Step::kDrill)) || e.outcome != Outcome::kDone) continue;
      if (e.run == skip_run) continue;
      auto j = nlohmann::json::parse(e.detail, nullptr, false);
      if (!j.is_object() || j.value("drill", "") != name) continue;
      DrillTrendRow row;
      row.run_id = e.run;
      row.started_unix_ms = j.value("started", int64_t{0});
      row.seed = j.value("seed", uint64_t{0});
      auto outcome = ParseDrillOutcome(j.value("outcome", ""));
      if (!outcome) continue;  // not a run this version can read
      row.outcome = *outcome;
      if (j.contains("mttr_ms") && j["mttr_ms"].is_number()) {
        row.mttr = Duration(j["mttr_ms"].get<int64_t>());
      }
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const DrillTrendRow& a, const DrillTrendRow& b) {
    return a.started_unix_ms < b.started_unix_ms;
  });
  return rows;
}

}  // namespace shardctl
