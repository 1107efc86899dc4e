// WalSyncer: group commit for a durable store. Writes are applied without
// waiting for the disk (their write-ahead log record left in RocksDB's
// buffer: the store opens RocksDB with manual_wal_flush), and one thread
// writes out and syncs the log for everyone who is waiting
// (DB::FlushWAL(true)): every callback registered before a sync starts runs
// after that sync, so one write(2) and one fsync acknowledge all the writes
// that arrived while the previous one ran.
//
// Why not RocksDB's own `sync` writes: a synced write holds RocksDB's write
// queue for the length of its fsync, so every other write, including one
// from an event loop that must not wait for the disk, queues behind it.
// FlushWAL holds the log's mutex (which a write group takes to append its
// record) only while it writes the buffer out, and syncs outside both it and
// the write queue: writes go on meanwhile.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ddb/common/error.h"

namespace rocksdb {
class DB;
}

namespace ddb {

class WalSyncer {
 public:
  // Runs `done` once the log holds, synced, every write completed before
  // this call: Ok, or InternalServerError when the sync failed (the writes
  // may then be lost in a power failure; RocksDB also stops taking writes),
  // or any sync before it failed.
  using Done = std::function<void(Status)>;

  // `db` must outlive the syncer (Stop() first).
  explicit WalSyncer(rocksdb::DB* db);
  ~WalSyncer();  // Stop()s
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Thread-safe. `done` runs on the syncer's thread (or on a Wait()ing
  // caller's, which syncs for everyone then); it must not block for
  // long (it holds up the next sync) and must not call After() itself.
  void After(Done done);
  // Waits until the log holds, synced, every write completed before this
  // call: for writes made off the event loop. When no sync is running the
  // caller syncs on its own thread (for the callbacks pending too): a hand-off
  // to the syncer thread and back would cost it two wake-ups.
  Status Wait();
  // Syncs what is pending, runs its callbacks and ends the thread. Later
  // After() calls run their callbacks at once, with a final sync each.
  void Stop();

  // Syncs done so far (tests: several waiters share one).
  uint64_t syncs() const;

 private:
  void Run();
  Status SyncOnce();
  // Syncs once and runs `batch`'s callbacks; `syncing_` is set by the caller
  // and cleared here.
  Status SyncFor(std::vector<Done>& batch);

  rocksdb::DB* db_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Done> pending_;
  // The first failed sync: every later one reports it too (Linux reports a
  // failed fsync's error once, so the next fsync can pass without the data).
  Status failed_;
  // A sync is running (on the syncer's thread or a Wait()ing caller's): one
  // at a time, so a sync's callbacks are those registered before it began.
  bool syncing_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  uint64_t syncs_ = 0;
  std::thread thread_;
};

}  // namespace ddb
