// The smallest valid playbook as JSON, for tests that add the section they are about.
#pragma once

#include <nlohmann/json.hpp>

namespace shardctl::testing {

/// name, the four required commands and the two required probe pointers; nothing else.
inline nlohmann::json MinimalPlaybookJson() {
  return {{"name", "p"},
          {"commands",
           {{"stop", "stop"}, {"start", "start"}, {"is_running", "st"}, {"probe", "probe"}}},
          {"probe", {{"height", "/h"}, {"mode", "/m"}}}};
}

}  // namespace shardctl::testing
