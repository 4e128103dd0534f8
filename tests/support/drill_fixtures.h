// An inventory, a playbook and a drill in JSON for the drill unit tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/inventory.h"
#include "model/playbook.h"

namespace shardctl::testing {

/// `shards` shards of `nodes` nodes named s<shard>-n<i>, voting power 1 unless `powers` (one per
/// node index) says otherwise; "drills": true.
inline Inventory DrillInventory(int shards, int nodes, std::vector<int> powers = {}) {
  nlohmann::json j = {{"network", "t"}, {"drills", true}, {"shards", nlohmann::json::array()}};
  for (int s = 0; s < shards; ++s) {
    nlohmann::json list = nlohmann::json::array();
    for (int i = 0; i < nodes; ++i) {
      int power = powers.empty() ? 1 : powers[i];
      list.push_back({{"name", "s" + std::to_string(s) + "-n" + std::to_string(i)},
                      {"host", "127.0.0.1"},
                      {"voting_power", power},
                      {"vars", {{"dir", "/d/s" + std::to_string(s) + "-n" + std::to_string(i)}}}});
    }
    j["shards"].push_back({{"id", s}, {"nodes", list}});
  }
  return ParseInventory(j, "inv.json").value();
}

inline Playbook DrillPlaybook() {
  nlohmann::json j = {
      {"name", "p"},
      {"commands", {{"stop", "stop"}, {"start", "start"}, {"is_running", "st"}, {"probe", "p"}}},
      {"probe", {{"height", "/h"}, {"mode", "/m"}}},
      {"faults",
       {{"kill", {{"command", "{{dir}}/ctl kill"}, {"undo", "{{dir}}/ctl start"}}},
        {"restore-and-start", {{"command", "{{dir}}/ctl start"}}},
        {"slow",
         {{"command", "{{dir}}/ctl slow {{delay_ms}}"},
          {"undo", "{{dir}}/ctl heal"},
          {"params", {{"delay_ms", 1500}}}}}}}};
  return ParsePlaybook(j, "pb.json").value();
}

/// A valid drill: kill a seeded random set that breaks quorum in shards 0 and 1, recover.
inline nlohmann::json DrillJson() {
  return nlohmann::json::parse(R"({
    "name": "t",
    "description": "test drill",
    "hypothesis": {"shards": "all"},
    "blast_radius": {"shards": [0, 1], "max_power_share": 0.6},
    "faults": [
      {"name": "break", "at_s": 0, "fault": "kill",
       "targets": {"power": "breaks_quorum"}},
      {"at_s": 5, "fault": "restore-and-start", "targets": {"same_as": "break"}}
    ],
    "recovery": {"mode": "recover", "at_s": 10},
    "abort": {"time_limit_s": 120, "outside_halt_s": 8}
  })");
}

}  // namespace shardctl::testing
