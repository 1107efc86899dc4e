// The store's table files: new ones have partitioned index and filter blocks
// (store.cc), and data folders written before that change, whose files have
// one index and one filter block each, open and read as before, also once
// both kinds of file hold the same keys.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ddb/storage/store.h"
#include "temp_dir.h"

namespace ddb {
namespace {

using storage_test::TempDir;

std::string Key(int i) {
  char buf[16];
  snprintf(buf, sizeof buf, "k%06d", i);
  return buf;
}

// Opens `dir` with the table options of releases before partitioning (one
// index and one full filter block a file); null if it does not open.
std::unique_ptr<rocksdb::DB> OpenAsBefore(const TempDir& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::BlockBasedTableOptions table;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  o.compression = rocksdb::kNoCompression;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(o, dir.path.string(), &raw).ok()) return nullptr;
  return std::unique_ptr<rocksdb::DB>(raw);
}

// index_partitions of each table file in `dir`, read with the old options
// (a reader of any options reads both kinds).
std::vector<uint64_t> IndexPartitions(const TempDir& dir) {
  std::vector<uint64_t> out;
  auto db = OpenAsBefore(dir);
  if (!db) return out;
  rocksdb::TablePropertiesCollection props;
  if (!db->GetPropertiesOfAllTables(&props).ok()) return out;
  for (const auto& [file, p] : props) out.push_back(p->index_partitions);
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectAllKeys(Store& s, int n) {
  std::string v;
  for (int i = 0; i < n; ++i) {
    auto found = s.Get(Key(i), &v);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(*found) << Key(i);
    ASSERT_EQ(v, "v" + Key(i));
  }
  std::string absent;
  auto found = s.Get("k999999x", &absent);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(*found);
  int seen = 0;
  auto c = s.NewCursor("k", "l", false);
  for (c->SeekToStart(); c->Valid(); c->Next()) {
    ASSERT_EQ(c->key(), Key(seen));
    ++seen;
  }
  EXPECT_TRUE(c->status().ok());
  EXPECT_EQ(seen, n);
}

TEST(TableFormatTest, FoldersOfEarlierReleasesOpenAndNewFilesArePartitioned) {
  TempDir dir;
  {
    auto db = OpenAsBefore(dir);
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 2000; i += 2) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), Key(i), "v" + Key(i)).ok());
    }
    ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  }
  EXPECT_EQ(IndexPartitions(dir), std::vector<uint64_t>{0});
  {
    auto s = Store::Open({.path = dir.path.string()});
    ASSERT_TRUE(s.ok()) << s.error().message;
    WriteBatch b;
    for (int i = 1; i < 2000; i += 2) b.Put(Key(i), "v" + Key(i));
    ASSERT_TRUE((*s)->Write(b).ok());
    (*s)->Flush();
    ExpectAllKeys(**s, 2000);  // one file of each kind
  }
  std::vector<uint64_t> parts = IndexPartitions(dir);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], 0u);
  EXPECT_GE(parts[1], 1u);  // the store's own file
  auto s = Store::Open({.path = dir.path.string()});
  ASSERT_TRUE(s.ok()) << s.error().message;
  ExpectAllKeys(**s, 2000);
}

}  // namespace
}  // namespace ddb
