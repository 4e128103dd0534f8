// The node's chain on disk: DIR/chain.log, one line per block ("height view leader unix_ms"),
// appended as blocks commit. A torn last line (crash mid-write) is dropped on open; anything else
// malformed is an error naming the file and line. DIR/LOCK (flock) keeps two nodes off one dir.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/block.h"

namespace vsim {

class ChainStore {
 public:
  /// Reads the chain without opening it for writing (for `db-height` while a node runs).
  /// A missing chain file is an empty chain; a missing or unreadable dir is an error.
  static shardctl::Result<std::vector<Block>> Read(const std::string& dir);

  /// Creates dir if needed, takes its lock, loads the chain into *chain and drops a torn tail.
  static shardctl::Result<std::unique_ptr<ChainStore>> Open(const std::string& dir,
                                                            std::vector<Block>* chain);
  ~ChainStore();
  ChainStore(const ChainStore&) = delete;
  ChainStore& operator=(const ChainStore&) = delete;

  /// Appends blocks (one write per call). Not thread-safe.
  shardctl::Status Append(const std::vector<Block>& blocks);

 private:
  ChainStore(int fd, int lock_fd) : fd_(fd), lock_fd_(lock_fd) {}
  int fd_;
  int lock_fd_;
};

}  // namespace vsim
