// The store's contract: atomic batches, ordered range cursors in both
// directions, persistence across reopen, nothing kept in memory mode.
#include "ddb/storage/store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace ddb {
namespace {

using storage_test::TempDir;

std::vector<std::string> Keys(Store& s, std::string lo, std::string hi, bool reverse) {
  std::vector<std::string> out;
  auto c = s.NewCursor(lo, hi, reverse);
  for (c->SeekToStart(); c->Valid(); c->Next()) out.emplace_back(c->key());
  return out;
}

TEST(StoreTest, BatchIsAtomicAndCursorIsOrderedAndBounded) {
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  for (std::string k : {"a", "b1", "b2", "b3", "c"}) b.Put(k, "v" + k);
  ASSERT_TRUE((*s)->Write(b).ok());
  EXPECT_EQ(Keys(**s, "b", "c", false), (std::vector<std::string>{"b1", "b2", "b3"}));
  EXPECT_EQ(Keys(**s, "b", "c", true), (std::vector<std::string>{"b3", "b2", "b1"}));
  std::string v;
  ASSERT_TRUE(*(*s)->Get("b2", &v));
  EXPECT_EQ(v, "vb2");
  EXPECT_FALSE(*(*s)->Get("zz", &v));
}

TEST(StoreTest, SeekHonoursDirection) {
  auto s = Store::Open({.in_memory = true});
  WriteBatch b;
  for (std::string k : {"k1", "k3", "k5"}) b.Put(k, "");
  ASSERT_TRUE((*s)->Write(b).ok());
  auto fwd = (*s)->NewCursor("k", "l", false);
  fwd->Seek("k2");
  ASSERT_TRUE(fwd->Valid());
  EXPECT_EQ(fwd->key(), "k3");
  auto rev = (*s)->NewCursor("k", "l", true);
  rev->Seek("k4");
  ASSERT_TRUE(rev->Valid());
  EXPECT_EQ(rev->key(), "k3");
}

TEST(StoreTest, DeleteRangeRemovesOnlyTheRange) {
  auto s = Store::Open({.in_memory = true});
  WriteBatch b;
  for (std::string k : {"a", "b1", "b2", "c"}) b.Put(k, "");
  ASSERT_TRUE((*s)->Write(b).ok());
  WriteBatch d;
  d.DeleteRange("b", "c");
  ASSERT_TRUE((*s)->Write(d).ok());
  EXPECT_EQ(Keys(**s, "", "z", false), (std::vector<std::string>{"a", "c"}));
}

// Keys "p<letter>..." have their first two bytes as prefix; others none.
size_t TwoBytePrefix(std::string_view key) { return key.size() > 2 && key[0] == 'p' ? 2 : 0; }

TEST(StoreTest, InsertHintsKeepOrderWhateverTheWriteOrder) {
  // With an ascending_prefix, RocksDB starts inserts from the last insert of
  // the same prefix: writes in any order, interleaved across prefixes and
  // with keys outside them, and overwrites still read back in key order.
  auto s = Store::Open({.in_memory = true, .ascending_prefix = TwoBytePrefix});
  ASSERT_TRUE(s.ok());
  std::vector<std::string> want;
  auto key = [](char p, int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "p%c%04d", p, i);
    return std::string(buf);
  };
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i) {
      WriteBatch b;
      b.Put(key('a', i), "a" + std::to_string(round));               // ascending
      b.Put(key('b', 199 - i), "b" + std::to_string(round));         // descending
      b.Put(key('c', (i * 73) % 200), "c" + std::to_string(round));  // scattered
      b.Put("q" + std::to_string(i), "none");                        // no prefix
      ASSERT_TRUE((*s)->Write(b).ok());
    }
  }
  for (char p : {'a', 'b', 'c'}) {
    for (int i = 0; i < 200; ++i) want.push_back(key(p, i));
  }
  EXPECT_EQ(Keys(**s, "p", "q", false), want);
  std::vector<std::string> reversed(want.rbegin(), want.rend());
  EXPECT_EQ(Keys(**s, "p", "q", true), reversed);
  EXPECT_EQ(Keys(**s, "q", "r", false).size(), 200u);
  std::string v;
  ASSERT_TRUE(*(*s)->Get(key('c', 17), &v));
  EXPECT_EQ(v, "c2");  // the last round's value

  // A range deletion from outside every prefix works among hinted keys; one
  // from a key with a prefix is refused whole (its hint would be shared
  // with the memtable's point keys: StoreOptions::ascending_prefix).
  WriteBatch refused;
  refused.Put("q-new", "");
  refused.DeleteRange(key('a', 0), key('a', 100));
  EXPECT_FALSE((*s)->Write(refused).ok());
  EXPECT_FALSE(*(*s)->Get("q-new", &v));
  EXPECT_EQ(Keys(**s, "pa", "pb", false).size(), 200u);
  WriteBatch range;
  range.DeleteRange("pa", "pb");
  ASSERT_TRUE((*s)->Write(range).ok());
  EXPECT_TRUE(Keys(**s, "pa", "pb", false).empty());
  WriteBatch more;
  for (int i = 0; i < 50; ++i) more.Put(key('a', 300 + i), "");
  ASSERT_TRUE((*s)->Write(more).ok());
  EXPECT_EQ(Keys(**s, "pa", "pb", false).size(), 50u);
  EXPECT_EQ(Keys(**s, "pb", "pc", false).size(), 200u);
}

TEST(StoreTest, DurableStoreSurvivesReopen) {
  TempDir tmp;
  const std::string dir = tmp.path.string();
  {
    auto s = Store::Open({.path = dir});
    ASSERT_TRUE(s.ok()) << s.error().message;
    WriteBatch b;
    b.Put("key", "value");
    ASSERT_TRUE((*s)->Write(b).ok());
  }
  {
    auto s = Store::Open({.path = dir});
    ASSERT_TRUE(s.ok());
    std::string v;
    ASSERT_TRUE(*(*s)->Get("key", &v));
    EXPECT_EQ(v, "value");
  }
}

TEST(StoreTest, SecondOpenOfSameDirectoryFailsWithError) {
  TempDir tmp;
  const std::string dir = tmp.path.string();
  auto a = Store::Open({.path = dir});
  ASSERT_TRUE(a.ok());
  auto b = Store::Open({.path = dir});
  EXPECT_FALSE(b.ok());
  a = Store::Open({.in_memory = true});
}

}  // namespace
}  // namespace ddb
