// Reads that must not touch the disk (CacheOnlyScope), and storage errors
// that must not tell a client where the data lives.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ddb/storage/store.h"
#include "temp_dir.h"

namespace ddb {
namespace {

namespace fs = std::filesystem;

using storage_test::TempDir;

// Writes `n` keys of 1 KiB values and closes the store with them flushed to
// table files, so a reopened store has none of them in memory.
void WriteFlushed(const std::string& dir, int n) {
  auto s = Store::Open({.path = dir});
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  for (int i = 0; i < n; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "k%06d", i);
    b.Put(key, std::string(1024, static_cast<char>('a' + i % 26)));
  }
  ASSERT_TRUE((*s)->Write(b).ok());
  (*s)->Flush();
}

TEST(CacheOnlyTest, ColdGetMissesThenWarmGetHits) {
  TempDir dir;
  WriteFlushed(dir.path.string(), 100);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  std::string v;
  {
    CacheOnlyScope scope;
    auto r = (*s)->Get("k000042", &v);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(scope.missed());
  }
  auto r = (*s)->Get("k000042", &v);  // outside a scope: reads the disk
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_EQ(v, std::string(1024, 'a' + 42 % 26));
  {
    CacheOnlyScope scope;
    auto warm = (*s)->Get("k000042", &v);  // now in the block cache
    ASSERT_TRUE(warm.ok());
    EXPECT_TRUE(*warm);
    EXPECT_FALSE(scope.missed());
  }
}

TEST(CacheOnlyTest, ColdCursorMisses) {
  TempDir dir;
  WriteFlushed(dir.path.string(), 100);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  CacheOnlyScope scope;
  auto c = (*s)->NewCursor("k", "l");
  c->SeekToStart();
  EXPECT_FALSE(c->Valid());
  EXPECT_TRUE(scope.missed());
  EXPECT_FALSE(c->status().ok());
}

TEST(CacheOnlyTest, MemtableReadsNeverMiss) {
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  b.Put("a", "1");
  ASSERT_TRUE((*s)->Write(b).ok());
  CacheOnlyScope scope;
  std::string v;
  auto r = (*s)->Get("a", &v);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  auto none = (*s)->Get("b", &v);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  auto c = (*s)->NewCursor("", "z");
  c->SeekToStart();
  EXPECT_TRUE(c->Valid());
  EXPECT_FALSE(scope.missed());
}

// RocksDB 7.8's reverse iteration on the cache-only tier can end early with
// an OK status, so a reverse cursor never reads from memory only: it misses
// even when every block it needs is cached, and reads the disk outside a
// scope.
TEST(CacheOnlyTest, ReverseCursorAlwaysMissesOnADiskStore) {
  TempDir dir;
  WriteFlushed(dir.path.string(), 100);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  b.Put("k000100", "in the memtable");
  ASSERT_TRUE((*s)->Write(b).ok());
  {
    CacheOnlyScope scope;
    auto c = (*s)->NewCursor("k000100", "k000101", /*reverse=*/true);
    c->SeekToStart();
    EXPECT_FALSE(c->Valid());
    EXPECT_TRUE(scope.missed());
    EXPECT_FALSE(c->status().ok());
  }
  auto c = (*s)->NewCursor("k", "l", /*reverse=*/true);
  int n = 0;
  std::string last = "l";
  for (c->SeekToStart(); c->Valid(); c->Next(), ++n) {
    EXPECT_LT(std::string(c->key()), last);
    last = std::string(c->key());
  }
  ASSERT_TRUE(c->status().ok());
  EXPECT_EQ(n, 101);
}

// An in-memory store has no disk to wait for: no read misses, forward or
// reverse, even of keys flushed out of the memtable.
TEST(CacheOnlyTest, InMemoryStoreNeverMisses) {
  auto s = Store::Open({.in_memory = true, .cache_bytes = 64 << 10});
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 2000; ++i) {
    WriteBatch b;
    char key[16];
    std::snprintf(key, sizeof key, "k%06d", i);
    b.Put(key, std::string(1024, 'v'));
    ASSERT_TRUE((*s)->Write(b).ok());
  }
  (*s)->Flush();
  CacheOnlyScope scope;
  for (bool reverse : {false, true}) {
    auto c = (*s)->NewCursor("k", "l", reverse);
    int n = 0;
    for (c->SeekToStart(); c->Valid(); c->Next()) ++n;
    ASSERT_TRUE(c->status().ok());
    EXPECT_EQ(n, 2000) << reverse;
  }
  std::string v;
  auto r = (*s)->Get("k000007", &v);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_FALSE(scope.missed());
}

TEST(CacheOnlyTest, NestedScopesShareTheMissAndAFreshScopeResetsIt) {
  TempDir dir;
  WriteFlushed(dir.path.string(), 10);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  std::string v;
  {
    CacheOnlyScope outer;
    {
      CacheOnlyScope inner;
      EXPECT_FALSE((*s)->Get("k000001", &v).ok());
    }
    EXPECT_TRUE(outer.missed());
  }
  CacheOnlyScope fresh;
  EXPECT_FALSE(fresh.missed());
}

// A corrupted table file makes reads fail; the error a client would see is
// DynamoDB's generic one, without the file's path.
TEST(StorageErrorTest, MessageDoesNotNameFiles) {
  TempDir dir;
  WriteFlushed(dir.path.string(), 200);
  bool corrupted = false;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    if (e.path().extension() != ".sst") continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(64);
    std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    corrupted = true;
  }
  ASSERT_TRUE(corrupted);
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok());
  std::string v;
  auto r = (*s)->Get("k000000", &v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "InternalServerError");
  EXPECT_EQ(r.error().message, "Internal server error");
  EXPECT_EQ(r.error().message.find(dir.path.string()), std::string::npos);
  auto c = (*s)->NewCursor("k", "l");
  c->SeekToStart();
  while (c->Valid()) c->Next();
  ASSERT_FALSE(c->status().ok());
  EXPECT_EQ(c->status().error().message, "Internal server error");
}

}  // namespace
}  // namespace ddb
