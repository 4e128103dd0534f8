#include "run/renderers.h"

#include <algorithm>
#include <cstdio>

#include "base/terminal_text.h"
#include "base/text.h"
#include "model/json_text.h"

namespace shardctl {
namespace {

std::string Line(const Event& e) {
  std::string s = FormatUtc(e.unix_ms);
  if (e.shard >= 0) {
    s += " shard " + std::to_string(e.shard) + " [" + PhaseName(e.phase) + "]";
  }
  if (e.kind == Event::Kind::kWarning) s += " WARNING";
  if (!e.node.empty()) s += " " + e.node + ":";
  if (e.kind == Event::Kind::kRunStarted)
    s += " run " + e.message + " started";
  else if (!e.message.empty())
    s += " " + e.message;
  if (e.kind == Event::Kind::kShardDone) s += " (" + FormatDuration(e.elapsed) + ")";
  return SanitizeForTerminal(s);  // messages carry node output
}

std::string Cut(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

}  // namespace

void PlainRenderer::OnEvent(const Event& e) {
  if (e.kind == Event::Kind::kProgress && !verbose_) return;
  out_ << Line(e) << "\n";
  out_.flush();
}

void JsonEventRenderer::OnEvent(const Event& e) {
  out_ << ToJsonText(EventToJson(e)) << "\n";
  out_.flush();
}

void LiveRenderer::OnEvent(const Event& e) {
  if (e.shard >= 0) {
    if (rows_.count(e.shard) == 0) order_.push_back(e.shard);
    Row& r = rows_[e.shard];
    r.phase = PhaseName(e.phase);
    r.round = e.round;
    if (e.height >= 0) r.height = e.height;
    r.nodes_up = e.nodes_up;
    r.nodes_total = e.nodes_total;
    r.elapsed = e.elapsed;
    if (e.kind != Event::Kind::kProgress)
      r.message = (e.node.empty() ? "" : e.node + ": ") + e.message;
  }
  bool scroll = e.kind == Event::Kind::kWarning || e.kind == Event::Kind::kNode ||
                e.kind == Event::Kind::kShardDone || e.kind == Event::Kind::kRunStarted ||
                e.kind == Event::Kind::kRunDone;
  if (scroll) {
    for (int i = 0; i < drawn_; ++i) out_ << "\x1b[1A\x1b[2K";
    drawn_ = 0;
    out_ << Line(e) << "\n";
  }
  if (e.kind != Event::Kind::kRunDone) Redraw();
  out_.flush();
}

std::vector<std::string> LiveRenderer::Rows() const {
  std::vector<std::string> lines = {"shard  phase            rnd  height    up     elapsed  last"};
  for (int id : order_) {
    const Row& r = rows_.at(id);
    char buf[160];
    std::string up = r.nodes_up < 0 ? "?" : std::to_string(r.nodes_up);
    std::snprintf(buf, sizeof buf, "%5d  %-15s  %3d  %6s  %2s/%-3d  %8s  ", id, r.phase.c_str(),
                  r.round, r.height < 0 ? "?" : std::to_string(r.height).c_str(), up.c_str(),
                  r.nodes_total, FormatDuration(r.elapsed).c_str());
    lines.push_back(buf + Cut(SanitizeForTerminal(r.message, /*keep_newlines=*/false), 60));
  }
  return lines;
}

void LiveRenderer::Redraw() {
  for (int i = 0; i < drawn_; ++i) out_ << "\x1b[1A\x1b[2K";
  std::vector<std::string> lines = Rows();
  for (const std::string& l : lines) out_ << l << "\n";
  drawn_ = static_cast<int>(lines.size());
}

}  // namespace shardctl
