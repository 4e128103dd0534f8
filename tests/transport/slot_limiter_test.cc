#include "transport/slot_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_util.h"

namespace shardctl {
namespace {

TEST(SlotLimiterTest, BoundsHoldersAndWakesWaiters) {
  SlotLimiter limiter(2);
  ASSERT_TRUE(limiter.Acquire(nullptr));
  ASSERT_TRUE(limiter.Acquire(nullptr));
  std::atomic<bool> third{false};
  std::thread waiter([&] { third = limiter.Acquire(nullptr); });
  // Still blocked while both slots are held.
  EXPECT_FALSE(testing::WaitFor([&] { return third.load(); }, std::chrono::milliseconds(150)));
  limiter.Release();
  EXPECT_TRUE(testing::WaitFor([&] { return third.load(); }, std::chrono::milliseconds(2000)));
  waiter.join();
}

TEST(SlotLimiterTest, CancelEndsTheWaitWithoutASlot) {
  SlotLimiter limiter(1);
  ASSERT_TRUE(limiter.Acquire(nullptr));
  CancelToken cancel;
  std::atomic<int> result{-1};
  std::thread waiter([&] { result = limiter.Acquire(&cancel) ? 1 : 0; });
  cancel.Cancel();
  EXPECT_TRUE(
      testing::WaitFor([&] { return result.load() != -1; }, std::chrono::milliseconds(2000)));
  waiter.join();
  EXPECT_EQ(result.load(), 0);
}

}  // namespace
}  // namespace shardctl
