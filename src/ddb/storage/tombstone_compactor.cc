#include "ddb/storage/tombstone_compactor.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>

#include <algorithm>
#include <memory>

namespace ddb {

void CountTombstonesOnThisThread() {
  if (rocksdb::GetPerfLevel() < rocksdb::PerfLevel::kEnableCount) {
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  }
}

uint64_t TombstoneCount::ThreadTombstones() {
  // The context lives as long as the thread; looking it up in RocksDB's
  // (dynamic) thread-local storage on every step would cost more than the
  // step's counting.
  thread_local const rocksdb::PerfContext* context = rocksdb::get_perf_context();
  return context->internal_delete_skipped_count;
}

TombstoneCompactor::TombstoneCompactor(rocksdb::DB* db, uint64_t threshold, bool run_inline)
    : db_(db), threshold_(threshold), run_inline_(run_inline) {}

TombstoneCompactor::~TombstoneCompactor() { Stop(); }

void TombstoneCompactor::Report(uint64_t tombstones, std::string first, std::string last) {
  if (threshold_ == 0 || tombstones < threshold_ || first > last) return;
  if (run_inline_) {
    if (!canceled_.load()) Handle({std::move(first), std::move(last)});
    return;
  }
  std::lock_guard lock(mu_);
  if (stopping_) return;
  for (Range& r : pending_) {
    if (first <= r.last && r.first <= last) {  // overlapping: widen the waiting range
      r.first = std::min(r.first, first);
      r.last = std::max(r.last, last);
      return;
    }
  }
  if (pending_.size() >= kMaxPending) return;
  pending_.push_back({std::move(first), std::move(last)});
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  cv_.notify_all();
}

void TombstoneCompactor::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    // Pace: idle after the previous run (see the header).
    while (!stopping_ && std::chrono::steady_clock::now() < next_run_) {
      cv_.wait_until(lock, next_run_);
    }
    if (stopping_) return;
    std::vector<Range> work;
    work.swap(pending_);
    busy_ = true;
    lock.unlock();
    auto start = std::chrono::steady_clock::now();
    for (const Range& r : work) {
      if (canceled_.load()) break;
      Handle(r);
    }
    auto end = std::chrono::steady_clock::now();
    lock.lock();
    busy_ = false;
    next_run_ = end + std::max<std::chrono::steady_clock::duration>(std::chrono::seconds(1),
                                                                    4 * (end - start));
    cv_.notify_all();
  }
}

void TombstoneCompactor::Handle(const Range& r) {
  rocksdb::Slice first(r.first), last(r.last);
  // Probe: a report can be stale (reads that started before the last
  // compaction, several reads of one range), and compacting a clean range
  // would rewrite its bottommost files for nothing.
  {
    std::string upper = r.last;
    upper.push_back('\0');  // exclusive bound just above `last`
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_lower_bound = &first;
    ro.iterate_upper_bound = &upper_slice;
    ro.fill_cache = false;
    uint64_t seen = 0;
    CountTombstonesOnThisThread();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
    {
      TombstoneCount count(&seen);
      it->Seek(first);
    }
    while (it->Valid() && seen < threshold_ && !canceled_.load()) {
      TombstoneCount count(&seen);
      it->Next();
    }
    if (seen < threshold_ || canceled_.load()) return;
  }
  rocksdb::CompactRangeOptions co;
  co.exclusive_manual_compaction = false;  // automatic compactions go on beside it
  // Tombstones are dropped only by a compaction whose output is the
  // bottommost level; without kForceOptimized a range already at the bottom
  // (or moved there trivially from L0) would keep them.
  co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  co.canceled = &canceled_;
  // A failure (e.g. canceled at shutdown) costs only the chance to drop
  // tombstones now; the next read that finds them reports the range again.
  if (db_->CompactRange(co, &first, &last).ok()) compactions_.fetch_add(1);
}

void TombstoneCompactor::WaitIdle() {
  std::unique_lock lock(mu_);
  // The pacing delay is skipped: waiting for it would only make tests slow.
  next_run_ = {};
  cv_.notify_all();
  cv_.wait(lock, [&] { return stopping_ || (pending_.empty() && !busy_); });
}

void TombstoneCompactor::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    pending_.clear();
    canceled_.store(true);
    t.swap(thread_);
    cv_.notify_all();
  }
  if (t.joinable()) t.join();
}

}  // namespace ddb
