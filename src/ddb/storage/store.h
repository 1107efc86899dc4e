// Store: the engine's embedded, persistent, ordered key-value store (RocksDB).
//
// Keys are bytes; the engine lays out its own key space (see
// engine/keys.h). A Store is safe for concurrent use from many threads.
// Writes are atomic batches; with `sync` (the default for durable stores) a
// write returns only after its batch is in the synced write-ahead log, and
// concurrent writers share one fsync (RocksDB's group commit).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"

namespace rocksdb {
class DB;
class Env;
class Iterator;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace ddb {

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
  // Deletes every key in [begin, end).
  void DeleteRange(std::string_view begin, std::string_view end);
  size_t Count() const;
  rocksdb::WriteBatch* rep() { return rep_.get(); }

 private:
  std::unique_ptr<rocksdb::WriteBatch> rep_;
};

// A forward or backward cursor over [lower, upper). Valid() is false at the
// end. The cursor reads a consistent snapshot of the store.
class Cursor {
 public:
  Cursor(std::unique_ptr<rocksdb::Iterator> it, std::string lower, std::string upper, bool reverse);
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

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string lower_, upper_;
  bool reverse_;
};

class Store {
 public:
  // Opens (or creates) the store. Errors: InternalServerError with RocksDB's
  // message (e.g. the directory is locked by another server).
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

 private:
  Store() = default;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  bool sync_ = true;
};

}  // namespace ddb
