// A cap on the total work one input may cause as it expands (ssh_config Includes, Ansible group
// trees, host ranges, YAML aliases), however that work is nested: a small file can never make
// shardctl run for minutes or fill memory (base/read_file.h has the whole reading rule).
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace shardctl {

class WorkBudget {
 public:
  /// unit names what is counted, for the error ("ssh_config lines").
  WorkBudget(size_t limit, std::string unit) : limit_(limit), unit_(std::move(unit)) {}

  /// Spends n units. Invalid("WHERE: more than LIMIT UNIT in all (...)") once the total passes
  /// the limit, and on every later call.
  Status Spend(size_t n, const std::string& where);
  size_t used() const { return used_; }
  size_t limit() const { return limit_; }

 private:
  size_t limit_;
  std::string unit_;
  size_t used_ = 0;
};

}  // namespace shardctl
