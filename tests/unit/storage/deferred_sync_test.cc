// Group commit (WalSyncer) and writes whose sync is deferred
// (DeferredSyncScope): visible at once, acknowledged after the sync, never
// run twice.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <vector>

#include "ddb/storage/store.h"
#include "ddb/storage/wal_syncer.h"
#include "temp_dir.h"

namespace ddb {
namespace {

using storage_test::TempDir;

// 100 keys k0..k99 flushed to table files: a reopened store has none in memory.
void WriteFlushed(const TempDir& dir) {
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  for (int i = 0; i < 100; ++i) b.Put("k" + std::to_string(i), std::string(1024, 'x'));
  ASSERT_TRUE((*s)->Write(b).ok());
  (*s)->Flush();
}

Status Synced(Store& s) {
  std::promise<Status> p;
  s.AfterSync([&p](Status st) { p.set_value(std::move(st)); });
  return p.get_future().get();
}

TEST(DeferredSyncTest, ADeferredWriteIsVisibleAtOnceAndSurvivesReopenAfterItsSync) {
  TempDir dir;
  {
    auto s = Store::Open({.path = dir.path.string()});
    ASSERT_TRUE(s.ok());
    CacheOnlyScope memory_only;
    DeferredSyncScope scope;
    EXPECT_FALSE(scope.wrote_unsynced());
    WriteBatch b;
    b.Put("k", "v");
    ASSERT_TRUE((*s)->Write(b).ok());
    EXPECT_TRUE(scope.wrote_unsynced());
    EXPECT_FALSE(memory_only.missed());
    std::string v;
    ASSERT_TRUE(*(*s)->Get("k", &v));
    EXPECT_EQ(v, "v");
    EXPECT_TRUE(Synced(**s).ok());
  }
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  std::string v;
  ASSERT_TRUE(*(*s)->Get("k", &v));
  EXPECT_EQ(v, "v");
}

// The log records wait in RocksDB's buffer (manual_wal_flush) until a sync
// writes them out: once a write is acknowledged, the files as they are on
// disk while the store is still open (what a crash would leave) hold it.
TEST(DeferredSyncTest, AnAcknowledgedWriteIsInTheFilesWhileTheStoreIsOpen) {
  TempDir dir, crashed;
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  {
    DeferredSyncScope scope;
    WriteBatch b;
    b.Put("acknowledged", "v");
    ASSERT_TRUE((*s)->Write(b).ok());
    ASSERT_TRUE(scope.wrote_unsynced());
    ASSERT_TRUE(Synced(**s).ok());
  }
  std::error_code ec;
  std::filesystem::copy(dir.path, crashed.path, ec);
  ASSERT_FALSE(ec) << ec.message();
  auto copy = Store::Open({.path = crashed.path.string()});
  ASSERT_TRUE(copy.ok());
  std::string v;
  ASSERT_TRUE(*(*copy)->Get("acknowledged", &v));
  EXPECT_EQ(v, "v");
}

TEST(DeferredSyncTest, OutsideADeferredScopeAWriteWaitsForItsSync) {
  TempDir dir;
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  {
    DeferredSyncScope scope;
    {
      WriteBatch b;
      b.Put("x", "1");
      ASSERT_TRUE((*s)->Write(b).ok());
    }
    EXPECT_TRUE(scope.wrote_unsynced());
  }
  {
    DeferredSyncScope scope;  // a new scope starts clean
    EXPECT_FALSE(scope.wrote_unsynced());
  }
  {
    CacheOnlyScope memory_only;  // reads only: the write waits for its sync
    WriteBatch b;
    b.Put("a", "1");
    ASSERT_TRUE((*s)->Write(b).ok());
    EXPECT_FALSE(memory_only.missed());
  }
  WriteBatch b;
  b.Put("b", "2");
  ASSERT_TRUE((*s)->Write(b).ok());
  std::string v;
  EXPECT_TRUE(*(*s)->Get("a", &v));
  EXPECT_TRUE(*(*s)->Get("b", &v));
}

TEST(DeferredSyncTest, AfterAWriteTheScopeReadsTheDiskInsteadOfMissing) {
  TempDir dir;
  WriteFlushed(dir);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  CacheOnlyScope scope;
  DeferredSyncScope deferred;
  WriteBatch b;
  b.Put("new", "1");
  ASSERT_TRUE((*s)->Write(b).ok());
  // A call that wrote cannot run again: its reads now read the disk (cold
  // keys, which would have missed before the write).
  std::string v;
  auto r = (*s)->Get("k43", &v);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_FALSE(scope.missed());
  EXPECT_TRUE(Synced(**s).ok());
}

TEST(DeferredSyncTest, ACallThatMissedWritesNothingBeforeItRunsAgain) {
  TempDir dir;
  WriteFlushed(dir);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  {
    CacheOnlyScope memory_only;
    DeferredSyncScope deferred;
    std::string v;
    EXPECT_FALSE((*s)->Get("k7", &v).ok());  // a miss: the call will run again
    WriteBatch b;
    b.Put("written-by-the-abandoned-run", "1");
    EXPECT_FALSE((*s)->Write(b).ok());  // so it must not write now
    EXPECT_TRUE(memory_only.missed());
    EXPECT_FALSE(deferred.wrote_unsynced());
  }
  std::string v;
  EXPECT_FALSE(*(*s)->Get("written-by-the-abandoned-run", &v));
}

TEST(DeferredSyncTest, SyncAtExitWaitsOnlyWhenOutermost) {
  TempDir dir;
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  {
    DeferredSyncScope outer;  // e.g. the server's call, answered after the sync
    {
      SyncAtExit inner(**s);
      WriteBatch b;
      b.Put("a", "1");
      ASSERT_TRUE((*s)->Write(b).ok());
      EXPECT_TRUE(inner.Wait().ok());  // does not wait: the outer scope's owner does
    }
    EXPECT_TRUE(outer.wrote_unsynced());
  }
  {
    SyncAtExit alone(**s);  // e.g. a background job: waits itself
    WriteBatch b;
    b.Put("b", "2");
    ASSERT_TRUE((*s)->Write(b).ok());
    EXPECT_TRUE(alone.Wait().ok());
    EXPECT_TRUE(alone.Wait().ok());  // once
  }
  DeferredSyncScope after;  // the thread's scopes start clean again
  EXPECT_FALSE(after.wrote_unsynced());
}

TEST(DeferredSyncTest, AnAnswerRestingOnUnsyncedWritesWaitsForTheSync) {
  TempDir dir;
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  {
    DeferredSyncScope scope;
    ASSERT_TRUE((*s)->SyncBeforeAnswer().ok());
    EXPECT_TRUE(scope.wrote_unsynced());  // the answer goes out after the next sync
  }
  EXPECT_TRUE((*s)->SyncBeforeAnswer().ok());  // outside a scope: waited here
}

TEST(DeferredSyncTest, AnInMemoryStoreAcknowledgesAtOnce) {
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  DeferredSyncScope scope;
  WriteBatch b;
  b.Put("k", "v");
  ASSERT_TRUE((*s)->Write(b).ok());
  EXPECT_FALSE(scope.wrote_unsynced());  // nothing to wait for
  bool ran = false;
  (*s)->AfterSync([&ran](Status st) { ran = st.ok(); });
  EXPECT_TRUE(ran);  // on this thread, before AfterSync returned
}

// A plain RocksDB database in `dir` for a WalSyncer of its own; null if it
// does not open.
std::unique_ptr<rocksdb::DB> OpenRocksDb(const TempDir& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(o, dir.path.string(), &raw).ok()) return nullptr;
  return std::unique_ptr<rocksdb::DB>(raw);
}

// Callbacks registered while a sync runs share the next one.
TEST(WalSyncerTest, WaitersArrivingDuringASyncShareTheNextOne) {
  TempDir dir;
  std::unique_ptr<rocksdb::DB> db = OpenRocksDb(dir);
  ASSERT_NE(db, nullptr);
  {
    WalSyncer syncer(db.get());
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> first_running;
    syncer.After([&](Status) {
      first_running.set_value();
      released.wait();  // holds the syncer while the others arrive
    });
    first_running.get_future().wait();
    constexpr int kWaiters = 50;
    std::atomic<int> ok{0};
    std::vector<std::promise<void>> done(kWaiters);
    for (int i = 0; i < kWaiters; ++i) {
      syncer.After([&, i](Status st) {
        if (st.ok()) ++ok;
        done[i].set_value();
      });
    }
    release.set_value();
    for (auto& d : done) d.get_future().wait();
    EXPECT_EQ(ok.load(), kWaiters);
    EXPECT_EQ(syncer.syncs(), 2u);  // the first callback's, then one for all 50
    syncer.Stop();
    bool late = false;
    syncer.After([&late](Status st) { late = st.ok(); });  // after Stop: at once
    EXPECT_TRUE(late);
  }
  ASSERT_TRUE(db->Close().ok());
}

// Wait() syncs on the caller's thread when no sync runs; while one runs
// (it may have begun before the caller's writes) it waits for the next.
TEST(WalSyncerTest, AWaiterDuringASyncIsAnsweredByTheNextOne) {
  TempDir dir;
  std::unique_ptr<rocksdb::DB> db = OpenRocksDb(dir);
  ASSERT_NE(db, nullptr);
  {
    WalSyncer syncer(db.get());
    EXPECT_TRUE(syncer.Wait().ok());  // nobody syncing: the caller's own sync
    EXPECT_EQ(syncer.syncs(), 1u);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> running;
    syncer.After([&](Status) {
      running.set_value();
      released.wait();  // the syncer's sync is not over until released
    });
    running.get_future().wait();
    std::future<Status> waiter = std::async(std::launch::async, [&] { return syncer.Wait(); });
    EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
    release.set_value();
    EXPECT_TRUE(waiter.get().ok());
    EXPECT_EQ(syncer.syncs(), 3u);  // the caller's, the held one, the waiter's
    // Many callers at once: every one answered, no more syncs than callers.
    std::vector<std::future<Status>> many;
    for (int i = 0; i < 8; ++i) {
      many.push_back(std::async(std::launch::async, [&] {
        Status last = Status::Ok();
        for (int j = 0; j < 50 && last.ok(); ++j) last = syncer.Wait();
        return last;
      }));
    }
    for (auto& f : many) EXPECT_TRUE(f.get().ok());
    EXPECT_LE(syncer.syncs(), 3u + 8 * 50);
  }
  ASSERT_TRUE(db->Close().ok());
}

}  // namespace
}  // namespace ddb
