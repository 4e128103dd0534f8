// A file written only at its end, one whole record per write and each fsync'd before Append
// returns: what journals are made of. Several processes may append to one file (O_APPEND): a
// record is one write(2), so records never interleave.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"

namespace shardctl {

class AppendFile {
 public:
  /// Opens (creating with mode 0600) path for appending.
  static Result<std::unique_ptr<AppendFile>> Open(const std::string& path);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  /// Writes record and fsyncs. Thread-safe. An error means the record may not be on disk.
  Status Append(const std::string& record);
  const std::string& path() const { return path_; }

 private:
  AppendFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  const int fd_;
  const std::string path_;
  std::mutex mu_;  // one record at a time from this process
};

}  // namespace shardctl
