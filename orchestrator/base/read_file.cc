#include "base/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shardctl {
namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

Status NotRegular(const std::string& path, mode_t mode) {
  return Status::Invalid(path + ": is " + std::string(KindOf(mode)) + "; expected a regular file");
}

Status TooLarge(const std::string& path, size_t max_bytes) {
  return Status::Invalid(path + ": larger than the " + DescribeBytes(max_bytes) +
                         " limit for input files");
}

Status OpenError(const std::string& path, int err) {
  std::string m = path + ": cannot read: " + std::strerror(err);
  return err == ENOENT ? Status::NotFound(m) : Status::Io(m);
}

/// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string DescribeBytes(size_t bytes) {
  if (bytes >= (size_t{1} << 30) && bytes % (size_t{1} << 30) == 0) {
    return std::to_string(bytes >> 30) + " GiB";
  }
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  return std::to_string(bytes) + " bytes";
}

Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return OpenError(path, errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  if (static_cast<size_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);
  // O_NONBLOCK: if the path was swapped for a FIFO since stat, open does not wait for a writer.
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) return OpenError(path, errno);
  if (fstat(f.fd, &st) != 0) return OpenError(path, errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  if (static_cast<size_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return OpenError(path, errno);
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > max_bytes) return TooLarge(path, max_bytes);
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

Status CheckRegularFile(const std::string& path, size_t max_bytes) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return errno == ENOENT || errno == ENOTDIR ? Status::Ok() : OpenError(path, errno);
  }
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  if (static_cast<size_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);
  return Status::Ok();
}

}  // namespace shardctl
