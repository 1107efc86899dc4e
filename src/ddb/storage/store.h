// Store: the engine's embedded, persistent, ordered key-value store (RocksDB).
//
// Keys are bytes; the engine lays out its own key space (see
// format/keys.h). A Store is safe for concurrent use from many threads.
// Writes are atomic batches; with `sync` (the default for durable stores) a
// write returns only after its batch is in the synced write-ahead log, and
// concurrent writers share one fsync (WalSyncer's group commit). Inside a
// DeferredSyncScope, a write returns before the sync and its caller
// acknowledges it only from AfterSync().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/storage/wal_syncer.h"

namespace rocksdb {
class DB;
class Env;
class Iterator;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace ddb {

class TombstoneCompactor;
class Store;

struct StoreOptions {
  // Directory of the database; created if missing. Ignored when in_memory.
  std::string path = "./data/ddb";
  // Keep everything in memory (RocksDB's in-memory Env); nothing survives the
  // process.
  bool in_memory = false;
  // fsync the write-ahead log before a write returns. Off only in memory.
  bool sync = true;
  // Block cache size in bytes.
  size_t cache_bytes = 32u << 20;
  // Read-triggered compaction (tombstone_compactor.h): a cursor that steps
  // over at least this many deleted keys has the range it walked compacted
  // in the background, so keys that are deleted and never written again (an
  // inbox item moved to a new sort key) stop slowing down later reads of
  // their range. 0: never.
  uint64_t compact_after_tombstones = 128;
  // Run those compactions on the reading thread, before the cursor's
  // destructor returns, instead of in the background (deterministic tests).
  bool compact_inline = false;
  // Where keys are written in ascending order: the length of the prefix of
  // `key` under which later writes mostly land just after earlier ones (a
  // log's sequence, a partition's time-ordered sort keys), 0 for a key that
  // has none. RocksDB then starts each memtable insert from where the last
  // one of the same prefix went instead of searching from the top of its
  // skiplist. Null: every insert searches.
  //
  // It must return 0 for the `begin` of every DeleteRange: RocksDB 7.8 keeps
  // one hint per prefix for both the memtable's list of keys and its list of
  // range deletions, so a range deletion under a prefix would splice one
  // list's nodes into the other. Store::Write refuses such a batch (an
  // internal error; nothing written).
  size_t (*ascending_prefix)(std::string_view key) = nullptr;
};

// An atomic group of puts and deletes.
class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;
  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  // Deletes every key in [begin, end). `begin` must have no
  // StoreOptions::ascending_prefix (Store::Write refuses the batch).
  void DeleteRange(std::string_view begin, std::string_view end);
  size_t Count() const;
  rocksdb::WriteBatch* rep() { return rep_.get(); }
  const std::vector<std::string>& range_begins() const { return range_begins_; }

 private:
  std::unique_ptr<rocksdb::WriteBatch> rep_;
  std::vector<std::string> range_begins_;  // of DeleteRange, for Store::Write's check
};

// A forward or backward cursor over [lower, upper). Valid() is false at the
// end. The cursor reads a consistent snapshot of the store. Made by
// Store::NewCursor; must not outlive its Store.
class Cursor {
 public:
  // `cache_only`: the iterator reads on the cache-only tier (CacheOnlyScope).
  Cursor(std::unique_ptr<rocksdb::Iterator> it, std::string lower, std::string upper, bool reverse,
         bool cache_only, TombstoneCompactor* compactor);
  // Reports the range walked to the store's compactor if the cursor stepped
  // over many deleted keys (StoreOptions::compact_after_tombstones).
  ~Cursor();
  // Positions at the first key >= `target` (forward) or the last key <=
  // `target` (reverse) within the bounds.
  void Seek(std::string_view target);
  // Positions at the first (forward) or last (reverse) key in the bounds.
  void SeekToStart();
  bool Valid() const;
  void Next();  // moves in the cursor's direction
  std::string_view key() const;
  std::string_view value() const;
  // Non-OK if the underlying iteration hit an I/O error.
  Status status() const;
  // Deleted keys (RocksDB tombstones) the cursor has stepped over so far,
  // between and around the keys it returned: the cost that compaction
  // removes.
  uint64_t tombstones_skipped() const { return tombstones_; }

 private:
  // Widens the walked span to include `key`.
  void Walked(std::string_view key);
  // Adds the current position (or, past the end, the bound reached) to the
  // walked span.
  void WalkedToHere();

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string lower_, upper_;
  bool reverse_;
  bool cache_only_;
  TombstoneCompactor* compactor_;
  uint64_t tombstones_ = 0;
  // The keys walked so far are within [walk_first_, walk_last_] (once
  // walked_).
  bool walked_ = false;
  std::string walk_first_, walk_last_;
};

// While a CacheOnlyScope is alive on a thread, that thread's reads through
// any Store never touch the disk: a Get or cursor that would need a block
// that is not in memory (memtables, block cache) fails with an
// InternalServerError and marks the scope missed(). The server runs reads
// on its event loop inside such a scope and hands them to a worker, to run
// again, only when they miss: the loop never waits for the disk, and a
// cached read costs no thread hand-off. Scopes nest; a thread's first scope
// resets missed(). Two exceptions: a reverse cursor always misses (RocksDB
// 7.8's reverse iteration on that tier can lose keys without an error), and
// an in-memory store's reads never miss (there is no disk to wait for).
class CacheOnlyScope {
 public:
  CacheOnlyScope();
  ~CacheOnlyScope();
  CacheOnlyScope(const CacheOnlyScope&) = delete;
  CacheOnlyScope& operator=(const CacheOnlyScope&) = delete;
  // True if a read in this scope needed the disk (its result is unusable),
  // or a write in it had to wait (see DeferredSyncScope).
  bool missed() const;
};

// While a DeferredSyncScope is alive on a thread, a durable store's Write on
// that thread does not wait for the disk: the batch is applied (visible to
// readers at once) with its log record in RocksDB's buffer, and the caller
// acknowledges the write only when Store::AfterSync() says it is synced, so
// no item lock is held during an fsync. Inside a CacheOnlyScope too (a call
// on an event loop), a write that would have to wait (RocksDB's write
// stall) is refused as a miss until the scope's first write succeeds:
// nothing was written, and the whole call can run again on a worker. After
// that first write the CacheOnlyScope never misses: later reads may read the
// disk and later writes may wait, since a call that has written cannot be
// run again. Scopes nest; a thread's first scope resets wrote_unsynced().
class DeferredSyncScope {
 public:
  DeferredSyncScope();
  ~DeferredSyncScope();
  DeferredSyncScope(const DeferredSyncScope&) = delete;
  DeferredSyncScope& operator=(const DeferredSyncScope&) = delete;
  // True if a write in this scope is not yet known to be synced.
  bool wrote_unsynced() const;
};

// Makes the writes of this thread inside it deferred (DeferredSyncScope) and,
// when it is the outermost such scope, waits for their sync at Wait() or at
// its end. Declared before the locks a write is made under, it waits after
// they are released, so no lock is held across an fsync. Inside another
// DeferredSyncScope (a call that the server answers after the sync) it does
// not wait: the outer scope's owner does.
class SyncAtExit {
 public:
  explicit SyncAtExit(Store& store);
  ~SyncAtExit();  // Wait()s, ignoring a failed sync
  SyncAtExit(const SyncAtExit&) = delete;
  SyncAtExit& operator=(const SyncAtExit&) = delete;
  // Waits (once) for the sync of what was written so far: InternalServerError
  // if it failed.
  Status Wait();

 private:
  Store& store_;
  bool outermost_;
  bool waited_ = false;
  DeferredSyncScope scope_;
};

class Store {
 public:
  // Opens (or creates) the store. Errors: InternalServerError with RocksDB's
  // message (e.g. the directory is locked by another server). Errors of the
  // other operations are InternalServerError "Internal server error": their
  // detail (which names files) goes to stderr, never to a client.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();

  // Reads one key. Returns true and fills `value` if present.
  Result<bool> Get(std::string_view key, std::string* value) const;
  // Applies the batch atomically (and durably when options.sync).
  Status Write(WriteBatch& batch);
  // A cursor over keys in [lower, upper).
  std::unique_ptr<Cursor> NewCursor(std::string_view lower, std::string_view upper,
                                    bool reverse = false) const;
  // Approximate bytes on disk for keys in [lower, upper).
  uint64_t ApproximateSize(std::string_view lower, std::string_view upper) const;
  // Flushes memtables (used at clean shutdown).
  void Flush();
  // Runs `done` (on another thread, or here for a store that does not sync)
  // once every write completed so far is in the synced log.
  void AfterSync(WalSyncer::Done done);
  // Waits until every write completed so far is in the synced log.
  Status WaitForSync();
  // An answer that rests on writes which may not be synced yet (e.g. a
  // transaction replayed from its token): inside a DeferredSyncScope the
  // answer then waits for the next sync, as a write's does; outside, this
  // waits for it.
  Status SyncBeforeAnswer();

  // Read-triggered compactions (StoreOptions::compact_after_tombstones):
  // WaitForCompactions waits until every range reported so far has been
  // handled (tests); CompactionsRun counts the compactions run.
  void WaitForCompactions();
  uint64_t CompactionsRun() const;

 private:
  Store() = default;
  bool in_memory() const { return env_ != nullptr; }
  std::unique_ptr<rocksdb::Env> env_;  // set for an in-memory store
  std::unique_ptr<rocksdb::DB> db_;
  // Stopped (and destroyed) before db_ closes.
  std::unique_ptr<TombstoneCompactor> compactor_;
  // Set for a durable store that syncs; stopped before db_ closes.
  std::unique_ptr<WalSyncer> syncer_;
  bool sync_ = true;
  size_t (*ascending_prefix_)(std::string_view) = nullptr;  // StoreOptions::ascending_prefix
};

}  // namespace ddb
