#include "ddb/storage/wal_syncer.h"

#include <rocksdb/db.h>

#include <cstdio>
#include <future>
#include <utility>

namespace ddb {

WalSyncer::WalSyncer(rocksdb::DB* db) : db_(db), thread_([this] { Run(); }) {}

WalSyncer::~WalSyncer() { Stop(); }

void WalSyncer::After(Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      pending_.push_back(std::move(done));
      if (pending_.size() == 1 && !syncing_) cv_.notify_one();
      return;
    }
  }
  // After Stop(): nobody else syncs, so this caller does.
  done(SyncOnce());
}

Status WalSyncer::Wait() {
  std::vector<Done> batch;
  bool mine = false;
  {
    std::lock_guard lock(mu_);
    if (!syncing_ && !stopping_) {
      // Nobody is syncing: a sync started now comes after the caller's
      // writes, and after those of every pending callback: it answers all.
      syncing_ = true;
      mine = true;
      batch.swap(pending_);
    }
  }
  if (mine) return SyncFor(batch);
  // A sync is running, and may have begun before our writes: the next one.
  std::promise<Status> synced;
  std::future<Status> result = synced.get_future();
  After([&synced](Status s) { synced.set_value(std::move(s)); });
  return result.get();
}

Status WalSyncer::SyncFor(std::vector<Done>& batch) {
  const Status s = SyncOnce();
  for (Done& done : batch) done(s);
  batch.clear();
  std::lock_guard lock(mu_);
  syncing_ = false;
  // Callbacks registered meanwhile wait for the syncer thread's next sync.
  if (!pending_.empty() || stopping_) cv_.notify_one();
  return s;
}

void WalSyncer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

uint64_t WalSyncer::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

Status WalSyncer::SyncOnce() {
  {
    std::lock_guard lock(mu_);
    if (!failed_.ok()) return failed_;
  }
  // Writes the records RocksDB holds (manual_wal_flush), then syncs the log.
  rocksdb::Status s = db_->FlushWAL(true);
  {
    std::lock_guard lock(mu_);
    ++syncs_;
    if (!s.ok() && failed_.ok()) failed_ = Internal();
  }
  if (s.ok()) return Status::Ok();
  // The detail names files of the data folder: the server's log only.
  std::fprintf(stderr, "ddb-server: storage error: syncing the write-ahead log: %s\n",
               s.ToString().c_str());
  return Internal();
}

void WalSyncer::Run() {
  std::vector<Done> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !syncing_ && (stopping_ || !pending_.empty()); });
      if (pending_.empty()) {
        stopped_ = true;  // stopping, nothing left
        return;
      }
      batch.swap(pending_);
      syncing_ = true;
    }
    // Every write behind these callbacks completed before its After():
    // this sync covers all of them. Its outcome went to their callbacks.
    (void)SyncFor(batch);
  }
}

}  // namespace ddb
