// Reading an input file (inventory, playbook, journal, lock) safely: regular files only, with a
// size limit enforced while reading, so /dev/zero, a FIFO or a directory is an error, not a
// hang or an out-of-memory kill.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace shardctl {

/// The documented limit for every input file shardctl reads (16 MiB).
inline constexpr size_t kMaxInputFileBytes = size_t{16} << 20;

/// Reads the whole of the regular file at path. Refuses (Invalid, naming the file and what it
/// is) directories, FIFOs, sockets and devices without opening them for a blocking read, and
/// files larger than max_bytes (checked while reading, so a growing file cannot get past it).
/// A missing file is NotFound; other failures are Io.
Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);

}  // namespace shardctl
