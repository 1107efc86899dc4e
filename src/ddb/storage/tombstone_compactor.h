// TombstoneCompactor: compacts the key ranges that reads find full of
// deleted keys. Internal to the storage layer (store.cc).
//
// Why: RocksDB keeps a deleted key as a tombstone until a compaction carries
// it to the bottom of the tree, and every iterator walks the tombstones in its
// range one by one. A key range whose keys are deleted and never written
// again (an inbox item moved to a newer sort key on every message: delete the
// old key, put the new one) therefore gets slower to read with every delete,
// even though it holds one or two live items. Nothing in RocksDB's own
// triggers fixes that: the tombstones sit in the memtable until it fills (16
// MB), and a flush keeps them (only a compaction to the bottommost level
// drops them).
//
// What: a Cursor counts the tombstones it steps over (RocksDB's per-thread
// perf counter internal_delete_skipped_count); when one read stepped over at
// least `threshold` of them, it reports the range it walked. A background
// thread then checks that the range is still dirty (a forward probe that
// stops at `threshold` tombstones) and compacts it with CompactRange: the
// memtable is flushed if it overlaps the range, and the range is compacted
// down to and including the bottommost level, where tombstones with nothing
// older beneath them (and no snapshot needing them) are dropped.
//
// Cost control: one compaction at a time; overlapping reports are merged and
// at most kMaxPending ranges wait; after each run the thread idles for the
// longer of one second and four times the run's duration, so these
// compactions use at most about a fifth of one background thread whatever
// the database's size. Semantics and durability are untouched: a compaction
// never changes what a read returns, and the write path (WAL, fsync) is not
// involved.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rocksdb {
class DB;
}

namespace ddb {

// Turns RocksDB's perf counting (PerfLevel::kEnableCount) on for the
// calling thread if it is off, and leaves it on: the counters cost a few
// increments per step, less than switching the level around every step.
void CountTombstonesOnThisThread();

// Counts the tombstones this thread's RocksDB iterators step over while it is
// alive (counting must be on: CountTombstonesOnThisThread), adding them to
// `*total` when destroyed.
class TombstoneCount {
 public:
  explicit TombstoneCount(uint64_t* total) : total_(total), before_(ThreadTombstones()) {}
  ~TombstoneCount() {
    uint64_t now = ThreadTombstones();
    if (now > before_) *total_ += now - before_;  // (less: someone reset the counters)
  }
  TombstoneCount(const TombstoneCount&) = delete;
  TombstoneCount& operator=(const TombstoneCount&) = delete;

 private:
  // This thread's rocksdb::PerfContext::internal_delete_skipped_count.
  static uint64_t ThreadTombstones();

  uint64_t* total_;
  uint64_t before_;
};

class TombstoneCompactor {
 public:
  // `threshold`: tombstones one read must step over to report its range (0:
  // never). `run_inline`: compact on the reporting thread instead of the
  // background thread (deterministic tests). `db` must outlive Stop().
  TombstoneCompactor(rocksdb::DB* db, uint64_t threshold, bool run_inline);
  ~TombstoneCompactor();
  TombstoneCompactor(const TombstoneCompactor&) = delete;
  TombstoneCompactor& operator=(const TombstoneCompactor&) = delete;

  uint64_t threshold() const { return threshold_; }

  // A read stepped over `tombstones` deleted keys while walking the keys in
  // [first, last] (inclusive). Ignored below the threshold, and after Stop().
  void Report(uint64_t tombstones, std::string first, std::string last);

  // Waits until every range reported so far has been handled (tests).
  void WaitIdle();
  // Compactions completed so far (not counting ranges the probe found clean,
  // nor canceled or failed compactions).
  uint64_t compactions() const { return compactions_.load(); }

  // Cancels a compaction in progress, drops the waiting ranges and joins the
  // thread. Called before the database is closed.
  void Stop();

 private:
  struct Range {
    std::string first, last;
  };
  static constexpr size_t kMaxPending = 64;

  void Loop();
  // Probes the range and compacts it if it still holds `threshold_`
  // tombstones.
  void Handle(const Range& r);

  rocksdb::DB* db_;
  const uint64_t threshold_;
  const bool run_inline_;
  std::atomic<uint64_t> compactions_{0};
  std::atomic<bool> canceled_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Range> pending_;
  bool busy_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point next_run_{};
  std::thread thread_;  // started by the first report
};

}  // namespace ddb
