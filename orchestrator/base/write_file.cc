#include "base/write_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shardctl {

Status WriteWholeFile(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io(path + ": cannot write: " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close(fd);
      return Status::Io(path + ": cannot write: " + std::strerror(err) + " after " +
                        std::to_string(done) + " of " + std::to_string(text.size()) + " bytes");
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return Status::Io(path + ": cannot write: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace shardctl
