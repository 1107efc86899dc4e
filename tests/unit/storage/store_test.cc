// The store's contract: atomic batches, ordered range cursors in both
// directions, persistence across reopen, nothing kept in memory mode.
#include "ddb/storage/store.h"

#include <gtest/gtest.h>

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
