// BackgroundTasks: finished tasks do not pile up; Stop() ends and joins
// the running ones and refuses new ones.
#include "ddb/jobs/background.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace ddb {
namespace {

using std::chrono::steady_clock;

TEST(BackgroundTasksTest, FinishedTasksAreJoinedAtTheNextRun) {
  BackgroundTasks tasks;
  for (int i = 0; i < 100; ++i) {
    std::promise<void> ran;
    tasks.Run([&ran](const std::atomic<bool>&) { ran.set_value(); });
    ran.get_future().wait();
  }
  // Each Run joins every task that has returned; a task that ran its last
  // statement may not have marked itself done yet, so allow a few rounds.
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (tasks.held() > 2 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    tasks.Run([](const std::atomic<bool>&) {});
  }
  EXPECT_LE(tasks.held(), 2u);
}

TEST(BackgroundTasksTest, StopEndsRunningTasksAndRefusesNewOnes) {
  BackgroundTasks tasks;
  std::atomic<int> loops{0};
  std::promise<void> started;
  tasks.Run([&](const std::atomic<bool>& stopping) {
    started.set_value();
    while (!stopping) {
      ++loops;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  started.get_future().wait();
  tasks.Stop();  // returns only once the loop saw `stopping`
  EXPECT_EQ(tasks.held(), 0u);
  bool ran = false;
  tasks.Run([&ran](const std::atomic<bool>&) { ran = true; });
  tasks.Stop();
  EXPECT_FALSE(ran);
  EXPECT_EQ(tasks.held(), 0u);
}

}  // namespace
}  // namespace ddb
