#include "sim/chain_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vsim {
namespace {

using shardctl::Result;
using shardctl::Status;

std::string ChainPath(const std::string& dir) { return dir + "/chain.log"; }

struct Loaded {
  std::vector<Block> chain;
  size_t good_bytes = 0;  ///< Length of the well-formed prefix (a torn tail is not counted).
};

Result<Loaded> Parse(const std::string& path, const std::string& data) {
  Loaded out;
  size_t pos = 0;
  for (size_t line = 1; pos < data.size(); ++line) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) break;  // torn tail: dropped
    std::istringstream in(data.substr(pos, nl - pos));
    Block b;
    std::string extra;
    if (!(in >> b.height >> b.view >> b.leader >> b.unix_ms) || (in >> extra)) {
      return Status::Invalid(path + ":" + std::to_string(line) +
                             ": expected \"height view leader unix_ms\"");
    }
    if (b.height != out.chain.size() + 1) {
      return Status::Invalid(path + ":" + std::to_string(line) + ": expected height " +
                             std::to_string(out.chain.size() + 1) + ", found " +
                             std::to_string(b.height));
    }
    out.chain.push_back(b);
    pos = nl + 1;
  }
  out.good_bytes = pos;
  return out;
}

Result<Loaded> Load(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound("data dir " + dir + ": not a readable directory");
  }
  std::string path = ChainPath(dir);
  if (!std::filesystem::exists(path, ec)) return Loaded{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(path, ss.str());
}

}  // namespace

Result<std::vector<Block>> ChainStore::Read(const std::string& dir) {
  auto loaded = Load(dir);
  if (!loaded.ok()) return loaded.status();
  return std::move(loaded->chain);
}

Result<std::unique_ptr<ChainStore>> ChainStore::Open(const std::string& dir,
                                                     std::vector<Block>* chain) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Io("data dir " + dir + ": cannot create: " + ec.message());
  std::string lock_path = dir + "/LOCK";
  int lock_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return Status::Io(lock_path + ": " + std::strerror(errno));
  if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd);
    return Status::Failed("data dir " + dir + " is in use by another validator-sim");
  }
  auto loaded = Load(dir);
  if (!loaded.ok()) {
    close(lock_fd);
    return loaded.status();
  }
  std::string path = ChainPath(dir);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || ftruncate(fd, static_cast<off_t>(loaded->good_bytes)) != 0 ||
      lseek(fd, 0, SEEK_END) < 0) {
    Status st = Status::Io(path + ": cannot open for append: " + std::strerror(errno));
    if (fd >= 0) close(fd);
    close(lock_fd);
    return st;
  }
  *chain = std::move(loaded->chain);
  return std::unique_ptr<ChainStore>(new ChainStore(fd, lock_fd));
}

ChainStore::~ChainStore() {
  close(fd_);
  close(lock_fd_);
}

Status ChainStore::Append(const std::vector<Block>& blocks) {
  if (blocks.empty()) return Status::Ok();
  std::string buf;
  char line[128];
  for (const Block& b : blocks) {
    int n = std::snprintf(line, sizeof line, "%" PRIu64 " %" PRIu64 " %" PRIu32 " %" PRId64 "\n",
                          b.height, b.view, b.leader, b.unix_ms);
    buf.append(line, static_cast<size_t>(n));
  }
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t w = write(fd_, buf.data() + off, buf.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return Status::Io(std::string("chain.log: write failed: ") + std::strerror(errno));
    off += static_cast<size_t>(w);
  }
  return Status::Ok();
}

}  // namespace vsim
