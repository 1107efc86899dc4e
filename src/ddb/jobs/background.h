// BackgroundTasks: threads the engine runs beside requests (index
// backfills, the TTL sweeper, the stream and point-in-time log trims: the
// other files of this folder). Stop() asks every task to finish early and
// joins them; the engine calls it before it closes the store.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ddb {

class BackgroundTasks {
 public:
  ~BackgroundTasks() { Stop(); }
  // Runs `task` on a new thread; the task should return soon after
  // `stopping` becomes true.
  void Run(std::function<void(const std::atomic<bool>& stopping)> task) {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    threads_.emplace_back([this, t = std::move(task)] { t(stopping_); });
  }
  void Stop() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

 private:
  std::mutex mu_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace ddb
