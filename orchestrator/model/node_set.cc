#include "model/node_set.h"

#include <algorithm>
#include <map>

#include "base/text.h"

namespace shardctl {
namespace {

// Splits "s0-n12" into prefix "s0-n" and number 12; returns false when there is no numeric
// suffix or it has a leading zero (folding would not round-trip).
bool SplitNumericSuffix(const std::string& name, std::string* prefix, long* number) {
  size_t i = name.size();
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') --i;
  if (i < name.size() && name[i] == '0' && name.size() - i > 1) return false;
  auto n = ParseDecimal(std::string_view(name).substr(i), 0, 999'999'999);
  if (!n) return false;
  *prefix = name.substr(0, i);
  *number = static_cast<long>(*n);
  return true;
}

std::string FoldNumbers(const std::string& prefix, std::vector<long> nums) {
  std::sort(nums.begin(), nums.end());
  nums.erase(std::unique(nums.begin(), nums.end()), nums.end());
  if (nums.size() == 1) return prefix + std::to_string(nums[0]);
  std::string ranges;
  for (size_t i = 0; i < nums.size();) {
    size_t j = i;
    while (j + 1 < nums.size() && nums[j + 1] == nums[j] + 1) ++j;
    ranges += (ranges.empty() ? "" : ",") + std::to_string(nums[i]);
    if (j > i) ranges += "-" + std::to_string(nums[j]);
    i = j + 1;
  }
  return prefix + "[" + ranges + "]";
}

}  // namespace

std::string FoldNodeNames(const std::vector<std::string>& names) {
  std::vector<std::string> order;  // prefixes (or whole names) in order of first appearance
  std::map<std::string, std::vector<long>> numbered;
  for (const auto& n : names) {
    std::string prefix;
    long number = 0;
    std::string key = SplitNumericSuffix(n, &prefix, &number) ? "#" + prefix : "=" + n;
    if (!numbered.count(key)) order.push_back(key);
    if (key[0] == '#')
      numbered[key].push_back(number);
    else
      numbered[key];
  }
  std::string out;
  for (const auto& key : order) {
    std::string part = key[0] == '#' ? FoldNumbers(key.substr(1), numbered[key]) : key.substr(1);
    out += (out.empty() ? "" : ",") + part;
  }
  return out;
}

}  // namespace shardctl
