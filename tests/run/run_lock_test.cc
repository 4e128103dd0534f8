#include "run/run_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "support/test_util.h"

namespace shardctl {
namespace {

LockHolder Me(const std::string& run) {
  return LockHolder{run,     static_cast<int>(getpid()), "host1",
                    "alice", "shardctl recover",         1795478400000};
}

TEST(RunLockTest, SecondRunIsRefusedWithTheHolder) {
  testing::TempDir dir;
  auto first = RunLock::Acquire(dir.path() + "/state", "net", Me("run-1"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = RunLock::Acquire(dir.path() + "/state", "net", Me("run-2"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("locked by run run-1 (pid " + std::to_string(getpid()) +
                                           ", alice@host1, 'shardctl recover', since "
                                           "2026-11-24 00:00:00 UTC)"),
            std::string::npos)
      << second.status().message();
  auto other_network = RunLock::Acquire(dir.path() + "/state", "other", Me("run-3"));
  EXPECT_TRUE(other_network.ok());
  first->reset();
  std::string took_over;
  auto third = RunLock::Acquire(dir.path() + "/state", "net", Me("run-4"), &took_over);
  EXPECT_TRUE(third.ok());
  EXPECT_EQ(took_over, "");  // released cleanly: nothing to take over
}

TEST(RunLockTest, TheLockStaysInTheStateDir) {
  testing::TempDir dir;
  auto escape = RunLock::Acquire(dir.path() + "/state", "../../x", Me("run-1"));
  ASSERT_FALSE(escape.ok());
  EXPECT_NE(escape.status().message().find("network: a network name is"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/x.lock"));
}

TEST(RunLockTest, AHandEditedLockFileWithWrongTypesDoesNotAbort) {
  testing::TempDir dir;
  dir.WriteFile("net.lock", R"({"run_id": 7, "pid": "x", "since_unix_ms": 1e400})");
  std::string took_over;
  auto lock = RunLock::Acquire(dir.path(), "net", Me("run-1"), &took_over);
  EXPECT_TRUE(lock.ok()) << lock.status().message();
}

TEST(RunLockTest, LockOfADeadHolderIsTakenOverWithAMessage) {
  testing::TempDir dir;
  pid_t child = fork();
  if (child == 0) {
    auto lock = RunLock::Acquire(dir.path(), "net", Me("crashed-run"));
    _exit(lock.ok() ? 0 : 1);  // dies holding it: no destructor runs
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  std::string took_over;
  auto lock = RunLock::Acquire(dir.path(), "net", Me("new-run"), &took_over);
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  EXPECT_NE(took_over.find("run crashed-run"), std::string::npos) << took_over;
}

}  // namespace
}  // namespace shardctl
