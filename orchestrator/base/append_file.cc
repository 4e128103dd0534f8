#include "base/append_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shardctl {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<AppendFile>> AppendFile::Open(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io(Errno("cannot open " + path));
  return std::unique_ptr<AppendFile>(new AppendFile(fd, path));
}

AppendFile::~AppendFile() { close(fd_); }

Status AppendFile::Append(const std::string& record) {
  std::lock_guard<std::mutex> l(mu_);
  size_t done = 0;
  while (done < record.size()) {
    ssize_t n = write(fd_, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Io(Errno(path_ + ": write"));
    done += static_cast<size_t>(n);
  }
  if (fsync(fd_) != 0) return Status::Io(Errno(path_ + ": fsync"));
  return Status::Ok();
}

}  // namespace shardctl
