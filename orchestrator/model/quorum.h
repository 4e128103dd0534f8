// The quorum rule of a consensus system: how much voting power must agree for a shard to make
// progress. A property of the system, so of the playbook (top-level "quorum"). Every judgement
// that needs a quorum (validate's table, status, the gate, wave sizing, recover's tolerance of
// unreachable nodes) asks this one type.
#pragma once

#include <string>

namespace shardctl {

class QuorumRule {
 public:
  /// BFT (Harmony FBFT, CometBFT): strictly more than 2/3. The default.
  static QuorumRule Bft() { return QuorumRule(Kind::kBft, 2.0 / 3.0); }
  /// Raft (etcd, Consul, ZooKeeper): strictly more than 1/2.
  static QuorumRule Majority() { return QuorumRule(Kind::kMajority, 0.5); }
  /// Strictly more than f of the power; f in [0.5, 0.99] (checked by the playbook parser).
  static QuorumRule Fraction(double f) { return QuorumRule(Kind::kFraction, f); }

  /// The smallest power strictly above the rule's share of total (exact for bft and majority).
  int Required(int total_power) const;
  /// Power strictly above `share + margin` of total, and at least Required(total); capped at
  /// total. What must stay up while a wave of a rolling restart is down.
  int RequiredWithMargin(int total_power, double margin) const;
  bool Holds(int power, int total_power) const { return power >= Required(total_power); }

  double fraction() const { return fraction_; }
  /// "bft (> 2/3)", "majority (> 1/2)", "> 0.6".
  std::string Describe() const;

 private:
  enum class Kind { kBft, kMajority, kFraction };
  QuorumRule(Kind kind, double fraction) : kind_(kind), fraction_(fraction) {}

  Kind kind_;
  double fraction_;
};

}  // namespace shardctl
