// Read-triggered compaction (tombstone_compactor.h): a key range whose keys
// are deleted and never written again (an inbox item moved to a newer sort
// key on every message) must not stay slow to read. A cursor that steps over
// many tombstones has its range compacted, after which reads of the range
// step over (almost) none; data is unchanged throughout.
#include <gtest/gtest.h>

#include <cstdio>

#include "ddb/storage/store.h"
#include "temp_dir.h"

namespace ddb {
namespace {

constexpr int kMoves = 5000;

using storage_test::TempDir;

std::string Key(int i) {
  char b[32];
  std::snprintf(b, sizeof b, "p/%08d", i);
  return b;
}

// The item at p/<i-1> moves to p/<i>, kMoves times (one atomic batch each),
// between two partitions that are never deleted from.
void MoveOneKey(Store& s, int moves = kMoves) {
  WriteBatch init;
  init.Put("o/1", "before");
  init.Put(Key(0), "v0");
  init.Put("q/1", "after");
  ASSERT_TRUE(s.Write(init).ok());
  for (int i = 1; i <= moves; ++i) {
    WriteBatch b;
    b.Delete(Key(i - 1));
    b.Put(Key(i), "v" + std::to_string(i));
    ASSERT_TRUE(s.Write(b).ok());
  }
}

struct Read {
  std::vector<std::string> keys;
  uint64_t tombstones = 0;
};

// Reads the whole "p/" partition, as a Query with a Limit larger than what
// is live does.
Read ReadPartition(Store& s, bool reverse) {
  Read r;
  auto c = s.NewCursor("p/", "p0", reverse);
  for (c->SeekToStart(); c->Valid(); c->Next()) r.keys.emplace_back(c->key());
  EXPECT_TRUE(c->status().ok());
  r.tombstones = c->tombstones_skipped();
  return r;
}

TEST(TombstoneCompactionTest, ReadingPastManyTombstonesCompactsThemAway) {
  TempDir tmp;
  const std::string dir = tmp.path.string();
  {
    auto s = Store::Open({.path = dir});
    ASSERT_TRUE(s.ok()) << s.error().message;
    MoveOneKey(**s);
    // The first read pays for every deleted key (the reason for all this)...
    Read first = ReadPartition(**s, /*reverse=*/true);
    EXPECT_EQ(first.keys, std::vector<std::string>{Key(kMoves)});
    EXPECT_GE(first.tombstones, uint64_t{kMoves});
    (*s)->WaitForCompactions();
    EXPECT_EQ((*s)->CompactionsRun(), 1u);
    // ...and, once its range is compacted, reads in either direction don't.
    for (bool reverse : {true, false}) {
      Read again = ReadPartition(**s, reverse);
      EXPECT_EQ(again.keys, std::vector<std::string>{Key(kMoves)});
      EXPECT_LT(again.tombstones, 10u) << (reverse ? "reverse" : "forward");
    }
    // A clean range is not compacted again.
    (*s)->WaitForCompactions();
    EXPECT_EQ((*s)->CompactionsRun(), 1u);
    std::string v;
    ASSERT_TRUE(*(*s)->Get(Key(kMoves), &v));
    EXPECT_EQ(v, "v" + std::to_string(kMoves));
    EXPECT_FALSE(*(*s)->Get(Key(kMoves - 1), &v));
  }
  {  // The compaction changed nothing that a reader can see, on disk too.
    auto s = Store::Open({.path = dir});
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto c = (*s)->NewCursor("", "z");
    std::vector<std::string> keys;
    for (c->SeekToStart(); c->Valid(); c->Next()) keys.emplace_back(c->key());
    EXPECT_EQ(keys, (std::vector<std::string>{"o/1", Key(kMoves), "q/1"}));
    EXPECT_LT(c->tombstones_skipped(), 10u);
  }
}

TEST(TombstoneCompactionTest, ForwardReadsTriggerToo) {
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  MoveOneKey(**s);
  EXPECT_GE(ReadPartition(**s, /*reverse=*/false).tombstones, uint64_t{kMoves});
  (*s)->WaitForCompactions();
  EXPECT_EQ((*s)->CompactionsRun(), 1u);
  EXPECT_LT(ReadPartition(**s, /*reverse=*/false).tombstones, 10u);
}

TEST(TombstoneCompactionTest, SeekedReadsReportTheRangeTheyWalked) {
  // A Query with a sort key condition seeks into the partition.
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  MoveOneKey(**s);
  {
    auto c = (*s)->NewCursor("p/", "p0", /*reverse=*/true);
    c->Seek(Key(kMoves - 1));  // <= the one before the live key: none
    EXPECT_FALSE(c->Valid());
    EXPECT_GE(c->tombstones_skipped(), uint64_t{kMoves - 1});
  }
  (*s)->WaitForCompactions();
  EXPECT_EQ((*s)->CompactionsRun(), 1u);
  EXPECT_LT(ReadPartition(**s, /*reverse=*/true).tombstones, 10u);
}

TEST(TombstoneCompactionTest, FewTombstonesAreLeftAlone) {
  auto s = Store::Open({.in_memory = true});
  ASSERT_TRUE(s.ok());
  MoveOneKey(**s, 100);  // below the default threshold (128)
  EXPECT_EQ(ReadPartition(**s, true).tombstones, 100u);
  (*s)->WaitForCompactions();
  EXPECT_EQ((*s)->CompactionsRun(), 0u);
}

TEST(TombstoneCompactionTest, ThresholdZeroTurnsItOff) {
  auto s = Store::Open({.in_memory = true, .compact_after_tombstones = 0});
  ASSERT_TRUE(s.ok());
  MoveOneKey(**s);
  EXPECT_GE(ReadPartition(**s, true).tombstones, uint64_t{kMoves});
  (*s)->WaitForCompactions();
  EXPECT_EQ((*s)->CompactionsRun(), 0u);
  EXPECT_GE(ReadPartition(**s, true).tombstones, uint64_t{kMoves});
}

TEST(TombstoneCompactionTest, StaleReportsAreProbedNotCompacted) {
  // Two reads that both saw the tombstones: the second report arrives after
  // the first compaction and finds the range clean.
  auto s = Store::Open({.in_memory = true, .compact_inline = true});
  ASSERT_TRUE(s.ok());
  MoveOneKey(**s);
  auto a = (*s)->NewCursor("p/", "p0");
  auto b = (*s)->NewCursor("p/", "p0");
  for (auto* c : {a.get(), b.get()}) {
    for (c->SeekToStart(); c->Valid(); c->Next()) {
    }
    EXPECT_GE(c->tombstones_skipped(), uint64_t{kMoves});
  }
  a.reset();  // compacts inline
  EXPECT_EQ((*s)->CompactionsRun(), 1u);
  b.reset();
  EXPECT_EQ((*s)->CompactionsRun(), 1u);
  EXPECT_LT(ReadPartition(**s, true).tombstones, 10u);
}

TEST(TombstoneCompactionTest, StoreClosesWithACompactionPending) {
  for (int round = 0; round < 3; ++round) {
    auto s = Store::Open({.in_memory = true});
    ASSERT_TRUE(s.ok());
    MoveOneKey(**s);
    EXPECT_GE(ReadPartition(**s, true).tombstones, uint64_t{kMoves});
    // Destroyed at once: the compaction is canceled or finishes first.
  }
}

}  // namespace
}  // namespace ddb
