#include "ops/watch/page.h"

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace shardctl {
namespace {

constexpr const char* kHead = R"html(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shardctl watch</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
#banner { padding: .4em .8em; margin: .5em 0; background: #fde2b4; display: none; }
table { border-collapse: collapse; margin: .6em 0 1.2em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td:first-child, td:nth-child(2) { white-space: nowrap; }
.state { font-weight: bold; padding: .1em .5em; border-radius: .3em; }
.healthy { background: #c8f0c8; } .degraded { background: #fff1a8; }
.halted, .stuck, .gave-up { background: #f6b3b3; } .recovering { background: #b9d8ff; }
.unknown { background: #e4e4e4; }
.meta { color: #666; }
button { font-weight: bold; }
</style></head>
<body data-refreshes="0">
<h1>shardctl watch: <span id="network"></span></h1>
<div class="meta" id="meta"></div>
<div id="banner"></div>
<h2>Shards</h2>
<table id="shards"><thead><tr><th>shard</th><th>state</th><th>height</th><th>blocks/s</th>
<th>last block</th><th>view ids</th><th>view-change ids</th><th>normal power</th>
<th>nodes down</th><th>why</th><th>approval</th></tr></thead><tbody></tbody></table>
<h2>Last decisions</h2>
<table id="decisions"><thead><tr><th>time (UTC)</th><th>shard</th><th>decision</th>
<th>why</th></tr></thead><tbody></tbody></table>
<script id="initial" type="application/json">)html";

constexpr const char* kScript = R"html(</script>
<script>
"use strict";
const params = new URLSearchParams(location.search);
const token = params.get("token");
const headers = token ? {"Authorization": "Bearer " + token} : {};
function cell(row, text, cls) {
  const td = row.insertCell(); td.textContent = text;
  if (cls) { td.className = cls; }
  return td;
}
function list(xs) { return xs && xs.length ? xs.join(", ") : "-"; }
function approve(shard, button) {
  button.disabled = true;
  fetch("/approve", {method: "POST", body: JSON.stringify({shard: shard}),
    headers: Object.assign({"X-Shardctl-Approve": "1", "Content-Type": "application/json"}, headers)})
    .then(r => r.json()).then(j => { button.textContent = j.ok ? "approved" : (j.error || "failed"); })
    .catch(e => { button.textContent = "failed: " + e; });
}
function shardRow(body, s) {
  const row = body.insertRow();
  row.id = "shard-" + s.shard;
  cell(row, "shard " + s.shard);
  const st = cell(row, "");
  const tag = document.createElement("span");
  tag.className = "state " + s.state; tag.textContent = s.state; st.appendChild(tag);
  cell(row, s.height < 0 ? "?" : String(s.height));
  cell(row, s.blocks_per_s.toFixed(1));
  cell(row, s.block_age_s < 0 ? "?" : s.block_age_s.toFixed(1) + " s ago");
  cell(row, list(s.view_ids));
  cell(row, list(s.view_change_ids));
  cell(row, s.normal_power + " / " + s.total_power + " (quorum " + s.quorum_power + ")");
  cell(row, list(s.down));
  cell(row, s.reason);
  const a = cell(row, s.awaiting_approval ? "" : "-");
  if (s.awaiting_approval) {
    const b = document.createElement("button");
    b.textContent = "approve recovery"; b.title = s.approval_reason;
    b.onclick = () => approve(s.shard, b); a.appendChild(b);
  }
}
function render(state) {
  document.getElementById("network").textContent = state.network;
  document.getElementById("meta").textContent = "mode " + state.mode + ", " + state.role +
    (state.actor ? " (actor: " + state.actor + ")" : "") + ", updated " + state.updated;
  const banner = document.getElementById("banner");
  banner.style.display = state.paused ? "block" : "none";
  banner.textContent = state.paused ? "PAUSED: " + state.pause_reason : "";
  const body = document.querySelector("#shards tbody");
  body.replaceChildren();
  state.shards.forEach(s => shardRow(body, s));
  const dec = document.querySelector("#decisions tbody");
  dec.replaceChildren();
  state.decisions.slice().reverse().forEach(d => {
    const row = dec.insertRow();
    cell(row, d.time); cell(row, d.shard < 0 ? "-" : String(d.shard));
    cell(row, d.decision); cell(row, d.detail);
  });
}
render(JSON.parse(document.getElementById("initial").textContent));
function refresh() {
  fetch("/api/state", {headers: headers}).then(r => r.json()).then(s => {
    render(s);
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes) + 1);
  }).catch(() => {});
}
setInterval(refresh, INTERVAL_MS);
refresh();
</script>
</body></html>
)html";

}  // namespace

std::string RenderWatchPage(const nlohmann::json& state) {
  // In a script element "</script>" (any "<") must not appear: JSON may escape it.
  std::string data;
  for (char c : ToJsonText(state)) data += c == '<' ? std::string("\\u003c") : std::string(1, c);
  std::string script = kScript;
  int64_t interval = state.is_object() ? state.value("interval_ms", int64_t{2000}) : 2000;
  script.replace(script.find("INTERVAL_MS"), 11, std::to_string(std::max<int64_t>(interval, 500)));
  return std::string(kHead) + data + script;
}

}  // namespace shardctl
