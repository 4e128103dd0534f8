// Who holds a lease, as both backends (node files, etcd keys) store and show it.
#pragma once

#include <cstdint>
#include <string>

namespace shardctl {

/// The run taking or holding a lease. Times are Unix seconds.
struct LeaseHolder {
  std::string run_id;
  std::string operator_name;  // "user@host" of the shardctl process
  std::string command;        // "shardctl rolling-restart"
  int64_t start_unix_s = 0;   // when the run started (the operator's clock)
  int64_t expiry_unix_s = 0;  // node leases only: when it expires (the node's clock); 0: unknown
};

/// "user@host" of this process ($USER or the passwd entry, gethostname).
std::string LocalOperator();

/// "2026-11-26 05:40:12 UTC"; "?" for 0.
std::string FormatUnixSeconds(int64_t unix_s);

/// "run R (alice@ops-1, 'shardctl rolling-restart', since 2026-11-26 05:40:12 UTC)".
std::string DescribeLeaseHolder(const LeaseHolder& h);

/// Replaces control characters (newlines included) by spaces, so a value stays one line.
std::string OneLine(const std::string& s);

}  // namespace shardctl
