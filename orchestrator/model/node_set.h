#pragma once

#include <string>
#include <vector>

namespace shardctl {

/// Folds node names into a compact list, like ClusterShell's nodesets:
/// {s0-n0, s0-n1, s0-n2, s1-n4} -> "s0-n[0-2],s1-n4". Order of first appearance is kept.
std::string FoldNodeNames(const std::vector<std::string>& names);

}  // namespace shardctl
