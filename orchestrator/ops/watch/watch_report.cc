#include "ops/watch/watch_report.h"

#include <algorithm>
#include <map>

#include "base/text.h"

namespace shardctl {
namespace {

bool Broken(ShardState s) {
  return IsActionable(s) || s == ShardState::kRecovering || s == ShardState::kGaveUp;
}

bool Committing(ShardState s) { return s == ShardState::kHealthy || s == ShardState::kDegraded; }

std::string Ago(int64_t from, int64_t to) {
  return from > 0 && to >= from ? FormatDuration(Duration(to - from)) : "-";
}

// Folds one line into the open incident of its shard (opening or closing it).
void Fold(const WatchEntry& e, std::map<int, size_t>* open, std::vector<WatchIncident>* out) {
  auto it = open->find(e.shard);
  if (e.event == WatchEvent::kState && IsActionable(e.to) && !Broken(e.from) && it == open->end()) {
    WatchIncident inc;
    inc.shard = e.shard;
    inc.last_block_unix_ms = e.last_block_unix_ms;
    inc.detected_unix_ms = e.unix_ms;
    out->push_back(inc);
    it = open->emplace(e.shard, out->size() - 1).first;
  }
  if (it == open->end()) return;
  WatchIncident& inc = (*out)[it->second];
  if (e.event == WatchEvent::kState) {
    inc.stuck = inc.stuck || e.to == ShardState::kStuck;
    inc.gave_up = inc.gave_up || e.to == ShardState::kGaveUp;
    if (Committing(e.to)) {
      inc.recovered_unix_ms = e.unix_ms;
      open->erase(it);
    }
  } else if (e.event == WatchEvent::kAlert && !e.resolved && inc.first_alert_unix_ms == 0) {
    inc.first_alert_unix_ms = e.unix_ms;
  } else if (e.event == WatchEvent::kDecision && e.acted) {
    if (inc.first_action_unix_ms == 0) inc.first_action_unix_ms = e.unix_ms;
    inc.runs.push_back(e.run_id);
  } else if (e.event == WatchEvent::kDecision && e.guardrail) {
    std::string g = GuardrailName(*e.guardrail);
    if (std::find(inc.held_back.begin(), inc.held_back.end(), g) == inc.held_back.end()) {
      inc.held_back.push_back(g);
    }
  }
}

std::string TimelineLine(const WatchEntry& e) {
  std::string who = e.shard < 0 ? "network" : "shard " + std::to_string(e.shard);
  std::string what = WatchEventName(e.event);
  if (e.event == WatchEvent::kState) {
    what = std::string(ShardStateName(e.from)) + " -> " + ShardStateName(e.to);
  } else if (e.event == WatchEvent::kDecision) {
    what = e.acted ? "ACTED (run " + e.run_id + ")"
                   : std::string("held: ") + (e.guardrail ? GuardrailName(*e.guardrail) : "?");
  } else if (e.event == WatchEvent::kAlert && e.alert) {
    what = std::string(e.resolved ? "resolved " : "alert ") + AlertNameText(*e.alert);
  } else if (e.event == WatchEvent::kRecovery) {
    what = "recovery run " + e.run_id +
           (e.result ? std::string(" ") + PhaseName(*e.result) : " began");
  }
  return "- `" + FormatUtc(e.unix_ms) + "` " + who + ": **" + what + "** " + e.detail + "\n";
}

std::string IncidentRow(const WatchIncident& i) {
  std::string outcome = i.recovered_unix_ms > 0 ? "committing again"
                        : i.gave_up             ? "gave up"
                                                : "still broken";
  return "| " + std::to_string(i.shard) + " | " + FormatUtc(i.detected_unix_ms) + " | " +
         (i.stuck ? "stuck" : "halted") + " | " + Ago(i.last_block_unix_ms, i.detected_unix_ms) +
         " | " + Ago(i.detected_unix_ms, i.first_alert_unix_ms) + " | " +
         Ago(i.detected_unix_ms, i.first_action_unix_ms) + " | " +
         Ago(i.detected_unix_ms, i.recovered_unix_ms) + " | " + JoinOrDash(i.runs) + " | " +
         JoinOrDash(i.held_back) + " | " + outcome + " |\n";
}

}  // namespace

std::vector<WatchIncident> FindIncidents(const std::vector<WatchEntry>& entries,
                                         int64_t since_unix_ms) {
  std::vector<WatchIncident> out;
  std::map<int, size_t> open;
  for (const WatchEntry& e : entries) {
    if (e.unix_ms >= since_unix_ms && e.shard >= 0) Fold(e, &open, &out);
  }
  return out;
}

std::string RenderWatchReport(const std::string& network, const std::vector<WatchEntry>& entries,
                              int64_t since_unix_ms, int64_t now_unix_ms) {
  std::vector<WatchIncident> incidents = FindIncidents(entries, since_unix_ms);
  std::string out = "# shardctl watch: " + network + "\n\nFrom " + FormatUtc(since_unix_ms) +
                    " to " + FormatUtc(now_unix_ms) + ": " + std::to_string(incidents.size()) +
                    " incident(s).\n\n";
  out +=
      "Time to detect: the last block the watcher saw to the halted verdict. Alert, action and "
      "recover: from that verdict.\n\n"
      "| shard | detected (UTC) | verdict | time to detect | to first alert | to action | "
      "time to recover | runs | held back by | outcome |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const WatchIncident& i : incidents) out += IncidentRow(i);
  out += "\n## Timeline\n\n";
  for (const WatchEntry& e : entries) {
    if (e.unix_ms < since_unix_ms || e.alert == AlertName::kWatchdog) continue;
    out += TimelineLine(e);
  }
  return out;
}

}  // namespace shardctl
