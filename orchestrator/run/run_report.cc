#include "run/run_report.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "base/text.h"

namespace shardctl {

std::string RunInfoMarkdown(const RunInfo& r) {
  std::ostringstream o;
  o << "- run: `" << r.run_id << "`\n- network: " << r.network << "\n- playbook: `" << r.playbook
    << "`\n- journal: `" << r.journal_path << "`\n- started: " << FormatUtc(r.started_unix_ms)
    << "\n- finished: " << FormatUtc(r.finished_unix_ms) << " ("
    << FormatDuration(Duration(r.finished_unix_ms - r.started_unix_ms)) << ")\n";
  if (r.interrupted) o << "- stopped early: " << r.stop_reason << "\n";
  return o.str();
}

nlohmann::json RunInfoToJson(const RunInfo& r) {
  return {{"command", r.command},
          {"run", r.run_id},
          {"network", r.network},
          {"playbook", r.playbook},
          {"journal", r.journal_path},
          {"started", FormatUtc(r.started_unix_ms)},
          {"finished", FormatUtc(r.finished_unix_ms)},
          {"interrupted", r.interrupted},
          {"stop_reason", r.stop_reason}};
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? " " : std::string(1, c);
  return out;
}

std::string TimelineMarkdown(const std::vector<TimelineEntry>& timeline) {
  std::ostringstream o;
  o << "| time (UTC) | +elapsed | what |\n|---|---|---|\n";
  for (const TimelineEntry& t : timeline) {
    o << "| " << FormatUtc(t.unix_ms).substr(11) << " | " << FormatDuration(t.elapsed) << " | "
      << MarkdownCell(t.what) << " |\n";
  }
  return o.str();
}

nlohmann::json TimelineToJson(const std::vector<TimelineEntry>& timeline) {
  nlohmann::json out = nlohmann::json::array();
  for (const TimelineEntry& t : timeline) {
    out.push_back(
        {{"time", FormatUtc(t.unix_ms)}, {"elapsed_ms", t.elapsed.count()}, {"what", t.what}});
  }
  return out;
}

}  // namespace shardctl
