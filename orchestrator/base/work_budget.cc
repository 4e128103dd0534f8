#include "base/work_budget.h"

#include <algorithm>

namespace shardctl {

Status WorkBudget::Spend(size_t n, const std::string& where) {
  used_ = n > limit_ - std::min(used_, limit_) ? limit_ + 1 : used_ + n;
  if (used_ <= limit_) return Status::Ok();
  return Status::Invalid(where + "more than " + std::to_string(limit_) + " " + unit_ +
                         " in all (the limit for one input, however it is nested)");
}

}  // namespace shardctl
