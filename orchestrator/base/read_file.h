// The one rule for every file and stream shardctl reads (inventory, playbook, drill, journal,
// lock, ssh_config and its Includes, keys, known_hosts, Ansible inventories, artifacts):
//   - a regular file, or a stream the operator named explicitly (an http(s) URL): a directory,
//     FIFO, socket or device is refused by name, never opened for a blocking read;
//   - a size cap checked before reading (and again while reading, so a growing file cannot pass);
//   - a total work cap for whatever the input expands to (base/work_budget.h);
//   - an overall deadline for network reads (ops/upgrade/artifact.h);
//   - signals honoured at once while nothing has been touched (base/signal_rule.h).
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace shardctl {

/// The documented limit for every input file shardctl reads (16 MiB).
inline constexpr size_t kMaxInputFileBytes = size_t{16} << 20;
/// Private keys and known_hosts files, read by shardctl or by libssh (1 MiB).
inline constexpr size_t kMaxKeyFileBytes = size_t{1} << 20;

/// Reads the whole of the regular file at path. Refuses (Invalid, naming the file and what it
/// is) directories, FIFOs, sockets and devices without opening them for a blocking read, and
/// files larger than max_bytes (checked before and while reading, so a growing file cannot get
/// past it). A missing file is NotFound; other failures are Io.
Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);

/// The same rule for a file a library opens itself (libssh's known_hosts, OpenSSL's
/// certificates): Ok when path is a regular file of at most max_bytes, or does not exist (the
/// library says what that means); Invalid, naming the file and what it is, otherwise.
Status CheckRegularFile(const std::string& path, size_t max_bytes);

/// "16 MiB", "1 GiB", "300 bytes": a size limit in messages.
std::string DescribeBytes(size_t bytes);

}  // namespace shardctl
