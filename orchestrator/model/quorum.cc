#include "model/quorum.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace shardctl {
namespace {

// floor(total * f) + 1, with a small epsilon so 3 * (2/3) counts as 2, not 1.999...
int StrictlyAbove(int total, double f) {
  return static_cast<int>(std::floor(total * f + 1e-9)) + 1;
}

}  // namespace

int QuorumRule::Required(int total_power) const {
  switch (kind_) {
    case Kind::kBft:
      return total_power * 2 / 3 + 1;
    case Kind::kMajority:
      return total_power / 2 + 1;
    case Kind::kFraction:
      return StrictlyAbove(total_power, fraction_);
  }
  return total_power;
}

int QuorumRule::RequiredWithMargin(int total_power, double margin) const {
  int with_margin = StrictlyAbove(total_power, fraction_ + std::max(0.0, margin));
  return std::min(total_power, std::max(Required(total_power), with_margin));
}

std::string QuorumRule::Describe() const {
  switch (kind_) {
    case Kind::kBft:
      return "bft (> 2/3)";
    case Kind::kMajority:
      return "majority (> 1/2)";
    case Kind::kFraction:
      break;
  }
  std::ostringstream s;
  s << "> " << fraction_;
  return s.str();
}

}  // namespace shardctl
