#include "ddb/storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "base/owner_only.h"
#include "ddb/storage/tombstone_compactor.h"

namespace ddb {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// The detail of a storage failure names files of the data folder: it goes
// to the server's log, never to a client, who gets DynamoDB's generic 500.
Error StorageError(const rocksdb::Status& s) {
  std::fprintf(stderr, "ddb-server: storage error: %s\n", s.ToString().c_str());
  return Internal();
}

// CacheOnlyScope's and DeferredSyncScope's state for this thread.
struct CacheOnlyState {
  int depth = 0;  // nested CacheOnlyScopes
  bool missed = false;
  int deferred = 0;    // nested DeferredSyncScopes
  bool wrote = false;  // a deferred write succeeded: no more misses
};
thread_local CacheOnlyState tls_cache_only;

// Reads of an in-memory store never wait for a disk, so they never need the
// cache-only tier (and never miss).
// After a deferred write, the call cannot be run again: its reads may wait.
bool CacheOnly(bool in_memory) {
  return tls_cache_only.depth > 0 && !in_memory && !tls_cache_only.wrote;
}

rocksdb::ReadOptions MakeReadOptions(bool in_memory) {
  rocksdb::ReadOptions ro;
  if (CacheOnly(in_memory)) ro.read_tier = rocksdb::kBlockCacheTier;
  return ro;
}

// True (and the scope marked) if `s` is a read refused for needing the disk.
bool NeededDisk(const rocksdb::Status& s) {
  if (!s.IsIncomplete() || tls_cache_only.depth == 0) return false;
  tls_cache_only.missed = true;
  return true;
}

}  // namespace

WriteBatch::WriteBatch() : rep_(std::make_unique<rocksdb::WriteBatch>()) {}
WriteBatch::~WriteBatch() = default;
void WriteBatch::Put(std::string_view key, std::string_view value) {
  rep_->Put(ToSlice(key), ToSlice(value));
}
void WriteBatch::Delete(std::string_view key) { rep_->Delete(ToSlice(key)); }
void WriteBatch::DeleteRange(std::string_view begin, std::string_view end) {
  rep_->DeleteRange(ToSlice(begin), ToSlice(end));
  range_begins_.emplace_back(begin);
}
size_t WriteBatch::Count() const { return rep_->Count(); }

Cursor::Cursor(std::unique_ptr<rocksdb::Iterator> it, std::string lower, std::string upper,
               bool reverse, bool cache_only, TombstoneCompactor* compactor)
    : it_(std::move(it)),
      lower_(std::move(lower)),
      upper_(std::move(upper)),
      reverse_(reverse),
      cache_only_(cache_only),
      compactor_(compactor) {
  CountTombstonesOnThisThread();
}

Cursor::~Cursor() {
  if (!compactor_ || !walked_ || compactor_->threshold() == 0 ||
      tombstones_ < compactor_->threshold()) {
    return;
  }
  WalkedToHere();
  compactor_->Report(tombstones_, std::move(walk_first_), std::move(walk_last_));
}

void Cursor::Walked(std::string_view key) {
  if (!walked_) {
    walk_first_.assign(key);
    walk_last_.assign(key);
    walked_ = true;
  } else if (key < walk_first_) {
    walk_first_.assign(key);
  } else if (key > walk_last_) {
    walk_last_.assign(key);
  }
}

void Cursor::WalkedToHere() {
  if (!walked_) return;
  if (Valid()) {
    Walked(key());
  } else {
    // Past the end (or failed): the walk may have gone up to the bound.
    Walked(reverse_ ? lower_ : upper_);
  }
}

void Cursor::Seek(std::string_view target) {
  WalkedToHere();
  if (reverse_) {
    Walked(std::min(target, std::string_view(upper_)));
  } else {
    Walked(std::max(target, std::string_view(lower_)));
  }
  TombstoneCount count(&tombstones_);
  if (reverse_) {
    it_->SeekForPrev(ToSlice(target));
  } else {
    it_->Seek(ToSlice(target));
  }
}

void Cursor::SeekToStart() {
  WalkedToHere();
  Walked(reverse_ ? upper_ : lower_);
  TombstoneCount count(&tombstones_);
  if (reverse_) {
    it_->SeekToLast();  // bounded by iterate_upper_bound
  } else {
    it_->SeekToFirst();  // bounded by iterate_lower_bound
  }
}

bool Cursor::Valid() const {
  // With the cache-only tier, RocksDB may stay Valid() while a child
  // iterator has failed (its status Incomplete, its keys skipped): every
  // step checks the status, not only the end.
  if (!it_->Valid() || (cache_only_ && !it_->status().ok())) {
    NeededDisk(it_->status());
    return false;
  }
  std::string_view k = ToView(it_->key());
  return k >= std::string_view(lower_) && k < std::string_view(upper_);
}

void Cursor::Next() {
  TombstoneCount count(&tombstones_);
  if (reverse_) {
    it_->Prev();
  } else {
    it_->Next();
  }
}

std::string_view Cursor::key() const { return ToView(it_->key()); }
std::string_view Cursor::value() const { return ToView(it_->value()); }
Status Cursor::status() const {
  if (it_->status().ok()) return Status::Ok();
  if (NeededDisk(it_->status())) return Internal();
  return StorageError(it_->status());
}

namespace {

// StoreOptions::ascending_prefix as the memtable's insert-hint prefix
// extractor (RocksDB's memtable_insert_with_hint_prefix_extractor).
class HintPrefixExtractor : public rocksdb::SliceTransform {
 public:
  explicit HintPrefixExtractor(size_t (*prefix)(std::string_view)) : prefix_(prefix) {}
  const char* Name() const override { return "cruddur.AscendingPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), prefix_(ToView(key)));
  }
  bool InDomain(const rocksdb::Slice& key) const override { return prefix_(ToView(key)) != 0; }

 private:
  size_t (*prefix_)(std::string_view);
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  std::unique_ptr<Store> store(new Store());
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(2);
  o.max_background_jobs = 2;
  o.write_buffer_size = 16u << 20;
  o.max_write_buffer_number = 3;
  o.keep_log_file_num = 3;
  o.max_manifest_file_size = 16u << 20;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.cache_bytes);
  // Index and filter blocks live in the block cache too, so memory stays
  // within the cache's bound as the data grows (outside it they grow with
  // every table file); level-0 ones are pinned, the hottest.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Both are partitioned into 4 KB blocks under a small pinned top level: a
  // point read loads one index partition and one filter partition, not the
  // whole file's index and filter (a few hundred KB each at 64 MB files).
  // With a cache smaller than all of them (10 million items: ~35 MB against
  // 32 MB), whole blocks were evicted and read back, checksummed, on nearly
  // every random read: 187 us of CPU per GetItem instead of ~25 (`make
  // bench-scale`, README). Files written before keep their own format.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.pin_top_level_index_and_filter = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  o.compression = rocksdb::kNoCompression;
  store->ascending_prefix_ = options.ascending_prefix;
  if (options.ascending_prefix) {
    o.memtable_insert_with_hint_prefix_extractor =
        std::make_shared<HintPrefixExtractor>(options.ascending_prefix);
  }

  std::string path = options.path;
  if (options.in_memory) {
    store->env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    o.env = store->env_.get();
    path = "/in-memory";
    store->sync_ = false;
  } else {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Internal("cannot create data directory " + path + ": " + ec.message());
    // The data is the owner's only, including what an earlier umask left
    // (new files follow the process umask, which the binaries set to 077).
    if (auto e = base::MakeOwnerOnly(path, true); !e.empty()) return Internal(e);
    store->sync_ = options.sync;
  }
  // RocksDB's defaults are for many cores: on a small machine, writers
  // spinning and yielding for each other's memtable inserts cost more than
  // one thread inserting the group's batches.
  o.allow_concurrent_memtable_write = false;
  o.enable_write_thread_adaptive_yield = false;
  // A store that syncs keeps its log records in RocksDB's buffer until the
  // syncer writes and syncs them together (WalSyncer: FlushWAL(true)): one
  // write(2) a sync, on the syncer's thread, instead of one for every write
  // group on the event loops. No write is acknowledged before that sync.
  o.manual_wal_flush = store->sync_;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, path, &db);
  // For the operator starting the server, not a client: the whole story.
  if (!s.ok()) return Internal("cannot open the database: " + s.ToString());
  store->db_.reset(db);
  if (store->sync_) store->syncer_ = std::make_unique<WalSyncer>(db);
  store->compactor_ = std::make_unique<TombstoneCompactor>(db, options.compact_after_tombstones,
                                                           options.compact_inline);
  return store;
}

Store::~Store() {
  if (compactor_) compactor_->Stop();  // before the database closes
  if (syncer_) syncer_->Stop();
  if (db_) {
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
}

Result<bool> Store::Get(std::string_view key, std::string* value) const {
  rocksdb::Status s = db_->Get(MakeReadOptions(in_memory()), ToSlice(key), value);
  if (s.IsNotFound()) return false;
  if (NeededDisk(s)) return Internal();
  if (!s.ok()) return StorageError(s);
  return true;
}

Status Store::Write(WriteBatch& batch) {
  if (ascending_prefix_) {
    for (const std::string& begin : batch.range_begins()) {
      if (ascending_prefix_(begin) != 0) {
        return Internal("a range deletion from a key with an insert-hint prefix");
      }
    }
  }
  rocksdb::WriteOptions wo;
  wo.disableWAL = !sync_ && env_ != nullptr;
  if (!syncer_) {
    rocksdb::Status s = db_->Write(wo, batch.rep());
    if (!s.ok()) return StorageError(s);
    return Status::Ok();
  }
  // Never RocksDB's synced write (wal_syncer.h says why): the batch goes to
  // the log unsynced, then this thread or the scope's caller waits for the
  // syncer.
  CacheOnlyState& scope = tls_cache_only;
  const bool deferred = scope.deferred > 0;
  // A call on the loop that has missed will run again on a worker: it must
  // not write now (its answer is thrown away), even if a later write would fit.
  if (deferred && scope.depth > 0 && scope.missed && !scope.wrote) return Internal();
  wo.no_slowdown = deferred && scope.depth > 0 && !scope.wrote;
  rocksdb::Status s = db_->Write(wo, batch.rep());
  if (wo.no_slowdown && s.IsIncomplete()) {
    scope.missed = true;  // a write stall: nothing written, run it again
    return Internal();
  }
  if (!s.ok()) return StorageError(s);
  if (deferred) {
    scope.wrote = true;
    return Status::Ok();
  }
  return syncer_->Wait();
}

Status Store::WaitForSync() {
  if (!syncer_) return Status::Ok();
  return syncer_->Wait();
}

Status Store::SyncBeforeAnswer() {
  if (!syncer_) return Status::Ok();
  if (tls_cache_only.deferred > 0) {
    tls_cache_only.wrote = true;
    return Status::Ok();
  }
  return syncer_->Wait();
}

SyncAtExit::SyncAtExit(Store& store) : store_(store), outermost_(tls_cache_only.deferred == 0) {}

SyncAtExit::~SyncAtExit() { (void)Wait(); }

Status SyncAtExit::Wait() {
  if (waited_ || !outermost_ || !scope_.wrote_unsynced()) return Status::Ok();
  waited_ = true;
  return store_.WaitForSync();
}

void Store::AfterSync(WalSyncer::Done done) {
  if (!syncer_) return done(Status::Ok());
  syncer_->After(std::move(done));
}

std::unique_ptr<Cursor> Store::NewCursor(std::string_view lower, std::string_view upper,
                                         bool reverse) const {
  const bool cache_only = CacheOnly(in_memory());
  if (cache_only && reverse) {
    // RocksDB 7.8's reverse iteration on the cache-only tier can end early
    // with an OK status when a block is not in memory (found by
    // tests/wire/test_query.py::test_reverse_pages_after_churn: Query pages
    // with ScanIndexForward=false silently lost items), so a reverse read
    // never runs from memory only: it counts as a miss and runs again
    // where it may read the disk.
    return std::make_unique<Cursor>(std::unique_ptr<rocksdb::Iterator>(
                                        rocksdb::NewErrorIterator(rocksdb::Status::Incomplete())),
                                    std::string(lower), std::string(upper), reverse, cache_only,
                                    nullptr);
  }
  // The bounds must outlive the iterator: the Cursor owns copies, and the
  // ReadOptions point at them.
  auto* lo = new std::string(lower);
  auto* up = new std::string(upper);
  rocksdb::ReadOptions ro = MakeReadOptions(in_memory());
  auto lo_slice = std::make_unique<rocksdb::Slice>(*lo);
  auto up_slice = std::make_unique<rocksdb::Slice>(*up);
  ro.iterate_lower_bound = lo_slice.get();
  ro.iterate_upper_bound = up_slice.get();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  // Keep bounds alive as long as the iterator via cleanup hooks.
  it->RegisterCleanup(
      [](void* a, void* b) {
        delete static_cast<std::string*>(a);
        delete static_cast<std::string*>(b);
      },
      lo, up);
  it->RegisterCleanup(
      [](void* a, void* b) {
        delete static_cast<rocksdb::Slice*>(a);
        delete static_cast<rocksdb::Slice*>(b);
      },
      lo_slice.release(), up_slice.release());
  return std::make_unique<Cursor>(std::move(it), std::string(lower), std::string(upper), reverse,
                                  cache_only, compactor_.get());
}

uint64_t Store::ApproximateSize(std::string_view lower, std::string_view upper) const {
  rocksdb::Range r(ToSlice(lower), ToSlice(upper));
  uint64_t size = 0;
  rocksdb::SizeApproximationOptions opts;
  opts.include_memtables = true;
  db_->GetApproximateSizes(opts, db_->DefaultColumnFamily(), &r, 1, &size).PermitUncheckedError();
  return size;
}

void Store::Flush() {
  if (db_) db_->Flush(rocksdb::FlushOptions()).PermitUncheckedError();
}

void Store::WaitForCompactions() {
  if (compactor_) compactor_->WaitIdle();
}

CacheOnlyScope::CacheOnlyScope() {
  if (tls_cache_only.depth++ == 0) tls_cache_only.missed = false;
}
CacheOnlyScope::~CacheOnlyScope() { --tls_cache_only.depth; }
bool CacheOnlyScope::missed() const { return tls_cache_only.missed; }

DeferredSyncScope::DeferredSyncScope() {
  if (tls_cache_only.deferred++ == 0) tls_cache_only.wrote = false;
}
DeferredSyncScope::~DeferredSyncScope() {
  if (--tls_cache_only.deferred == 0) tls_cache_only.wrote = false;
}
bool DeferredSyncScope::wrote_unsynced() const { return tls_cache_only.wrote; }

uint64_t Store::CompactionsRun() const { return compactor_ ? compactor_->compactions() : 0; }

}  // namespace ddb
