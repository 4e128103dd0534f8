#include "run/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/json_text.h"
#include "model/network_name.h"

namespace shardctl {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  lseek(fd, 0, SEEK_SET);
  ssize_t n;
  // A lock file holds one short line; more is not ours and is not read.
  while (out.size() < 65536 && (n = read(fd, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

LockHolder ParseHolder(const std::string& text) {
  LockHolder h;
  auto parsed = ParseJsonText(text, "lock file");
  if (!parsed.ok() || !parsed->is_object()) return h;
  const nlohmann::json& j = *parsed;
  try {  // a hand-edited lock with wrong types describes an unknown holder, never aborts
    h.run_id = j.value("run_id", "");
    h.pid = j.value("pid", 0);
    h.host = j.value("host", "");
    h.user = j.value("user", "");
    h.command = j.value("command", "");
    h.since_unix_ms = j.value("since_unix_ms", int64_t{0});
  } catch (const nlohmann::json::exception&) {
    return LockHolder{};
  }
  return h;
}

Status WriteHolder(int fd, const LockHolder& me) {
  nlohmann::json j = {{"run_id", me.run_id},   {"pid", me.pid},
                      {"host", me.host},       {"user", me.user},
                      {"command", me.command}, {"since_unix_ms", me.since_unix_ms}};
  std::string text = ToJsonText(j) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, text.data(), text.size(), 0) != ssize_t(text.size()) ||
      fsync(fd) != 0) {
    return Status::Io(std::string("cannot write lock file: ") + std::strerror(errno));
  }
  return Status::Ok();
}

std::string LockPath(const std::string& state_dir, const std::string& network) {
  return state_dir + "/" + (network.empty() ? "default" : network) + ".lock";
}

}  // namespace

std::string DescribeHolder(const LockHolder& h) {
  char when[32] = "?";
  time_t secs = static_cast<time_t>(h.since_unix_ms / 1000);
  tm utc{};
  if (h.since_unix_ms > 0 && gmtime_r(&secs, &utc))
    std::strftime(when, sizeof when, "%F %T UTC", &utc);
  return "run " + (h.run_id.empty() ? std::string("?") : h.run_id) + " (pid " +
         std::to_string(h.pid) + ", " + h.user + "@" + h.host + ", '" + h.command + "', since " +
         when + ")";
}

Result<std::unique_ptr<RunLock>> RunLock::Acquire(const std::string& state_dir,
                                                  const std::string& network, const LockHolder& me,
                                                  std::string* took_over_from) {
  if (!network.empty()) {
    SHARDCTL_RETURN_IF_ERROR(CheckNetworkName(network).Annotate("network: "));
  }
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  std::string path = LockPath(state_dir, network);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io("cannot open lock " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    LockHolder h = ParseHolder(ReadAll(fd));
    close(fd);
    return Status::Locked("network '" + network + "' is locked by " + DescribeHolder(h) +
                          "; wait for it to finish (lock: " + path + ")");
  }
  LockHolder previous = ParseHolder(ReadAll(fd));
  if (!previous.run_id.empty() && took_over_from) *took_over_from = DescribeHolder(previous);
  Status st = WriteHolder(fd, me);
  if (!st.ok()) {
    close(fd);
    return st;
  }
  return std::unique_ptr<RunLock>(new RunLock(fd, path));
}

std::optional<LockHolder> RunLock::Holder(const std::string& state_dir,
                                          const std::string& network) {
  int fd = open(LockPath(state_dir, network).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;  // never taken here
  std::optional<LockHolder> holder;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
    holder = ParseHolder(ReadAll(fd));
  } else {
    flock(fd, LOCK_UN);
  }
  close(fd);
  return holder;
}

RunLock::~RunLock() {
  if (ftruncate(fd_, 0) != 0) {
    // The flock is released below anyway; a leftover description only shows as "took over".
  }
  flock(fd_, LOCK_UN);
  close(fd_);
}

}  // namespace shardctl
