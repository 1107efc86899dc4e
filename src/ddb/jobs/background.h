// BackgroundTasks: threads the engine runs beside requests (index
// backfills, exports, imports, the TTL sweeper, the stream and
// point-in-time log trims: the other files of this folder). Stop() asks
// every task to finish early and joins them; the engine calls it before it
// closes the store.
//
// A task that has returned is joined at the next Run(), so the threads held
// are the tasks still running and those finished since the last Run(). A
// finished thread that is never joined keeps its stack mapped (8 MB of
// address space and the pages it touched): a client adding and deleting a
// GSI in a loop grew the server by 8 MB of address space and ~27 KB of
// resident memory a round before this.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
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
    ReapLocked();
    auto done = std::make_shared<std::atomic<bool>>(false);
    tasks_.push_back(Task{std::thread([this, t = std::move(task), done] {
                            t(stopping_);
                            done->store(true, std::memory_order_release);
                          }),
                          done});
  }
  void Stop() {
    std::vector<Task> tasks;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      tasks.swap(tasks_);
    }
    for (auto& t : tasks) t.thread.join();
  }
  // Threads not joined yet (running, or finished since the last Run()).
  size_t held() {
    std::lock_guard lock(mu_);
    return tasks_.size();
  }

 private:
  struct Task {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;  // set as the task returns
  };

  // Joins the tasks that have returned: each has only its thread's exit
  // left, so the join does not wait for work.
  void ReapLocked() {
    std::erase_if(tasks_, [](Task& t) {
      if (!t.done->load(std::memory_order_acquire)) return false;
      t.thread.join();
      return true;
    });
  }

  std::mutex mu_;
  std::atomic<bool> stopping_{false};
  std::vector<Task> tasks_;
};

}  // namespace ddb
