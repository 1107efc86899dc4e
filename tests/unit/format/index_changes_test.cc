// AddIndexChanges: the batch operations and statistics that keep secondary
// indexes exact across a write. An index projecting ALL reuses the write's
// stored form of the new item and its sizes; the entries and statistics must
// be the same as when everything is projected and encoded again.
#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include <string>
#include <utility>
#include <vector>

#include "ddb/format/index_keys.h"
#include "ddb/format/stored_item.h"
#include "ddb/model/attribute_value.h"

namespace ddb {
namespace {

// A table keyed on pk with two GSIs on g: one projecting ALL, one KEYS_ONLY.
TableInfo Table() {
  TableInfo t;
  t.name = "t";
  t.id = 3;
  t.key.hash = {"pk", AttrType::kS};
  IndexInfo all;
  all.name = "all";
  all.id = 4;
  all.key.hash = {"g", AttrType::kS};
  all.projection_type = "ALL";
  t.gsis.push_back(all);
  IndexInfo keys = all;
  keys.name = "keys";
  keys.id = 5;
  keys.projection_type = "KEYS_ONLY";
  t.gsis.push_back(keys);
  return t;
}

struct Op {
  bool put;
  std::string key, value;
  bool operator==(const Op&) const = default;
};

// The batch's operations, in order.
std::vector<Op> OpsOf(WriteBatch& batch) {
  struct Collect : rocksdb::WriteBatch::Handler {
    std::vector<Op> ops;
    void Put(const rocksdb::Slice& k, const rocksdb::Slice& v) override {
      ops.push_back({true, k.ToString(), v.ToString()});
    }
    void Delete(const rocksdb::Slice& k) override { ops.push_back({false, k.ToString(), ""}); }
  } collect;
  EXPECT_TRUE(batch.rep()->Iterate(&collect).ok());
  return collect.ops;
}

struct Changes {
  std::vector<Op> ops;
  std::vector<IndexDelta> deltas;
};

// The changes from `before` to `after` (either may be null), with the new
// item's stored form given to AddIndexChanges or not.
Changes ChangesOf(const Item* before, const Item* after, bool give_stored) {
  const TableInfo table = Table();
  ItemTransition t;
  std::string stored;
  if (before) t = {before, ItemSize(*before)};
  if (after) {
    t.new_item = after;
    t.new_size = ItemSize(*after);
    stored = EncodeStoredItem(*after, t.new_size);
    if (give_stored) t.new_stored = &stored;
  }
  WriteBatch batch;
  Changes c;
  AddIndexChanges(table, t, batch, &c.deltas);
  c.ops = OpsOf(batch);
  return c;
}

const Item kOld{{"pk", AttributeValue::S("p1")},
                {"g", AttributeValue::S("g1")},
                {"data", AttributeValue::S("short")}};
const Item kNew{{"pk", AttributeValue::S("p1")},
                {"g", AttributeValue::S("g1")},
                {"data", AttributeValue::S("a longer value")}};
const Item kMoved{{"pk", AttributeValue::S("p1")},
                  {"g", AttributeValue::S("g2")},
                  {"data", AttributeValue::S("short")}};

TEST(IndexChangesTest, AnAllIndexStoresTheWritesOwnFormOfTheItem) {
  Changes c = ChangesOf(&kOld, &kNew, true);
  const size_t size = ItemSize(kNew);
  // Same index keys: no delete, one put into each index.
  ASSERT_EQ(c.ops.size(), 2u);
  EXPECT_TRUE(c.ops[0].put);
  EXPECT_EQ(c.ops[0].value, EncodeStoredItem(kNew, size));
  Item keys_only{{"pk", AttributeValue::S("p1")}, {"g", AttributeValue::S("g1")}};
  EXPECT_EQ(c.ops[1].value, EncodeStoredItem(keys_only, ItemSize(keys_only)));
  // The ALL index grows by the item's growth; the keys-only one not at all.
  ASSERT_EQ(c.deltas.size(), 1u);
  EXPECT_EQ(c.deltas[0], (IndexDelta{4, 0, static_cast<int64_t>(size - ItemSize(kOld))}));
}

TEST(IndexChangesTest, TheSharedFormChangesNothingOfTheOutcome) {
  const std::vector<std::pair<const Item*, const Item*>> writes = {
      {nullptr, &kNew}, {&kOld, &kNew}, {&kOld, &kMoved}, {&kOld, nullptr}};
  for (const auto& [before, after] : writes) {
    Changes shared = ChangesOf(before, after, true);
    Changes own = ChangesOf(before, after, false);
    EXPECT_EQ(shared.ops, own.ops);
    EXPECT_EQ(shared.deltas, own.deltas);
  }
}

TEST(IndexChangesTest, AMovedEntryIsDeletedAndCounted) {
  Changes c = ChangesOf(&kOld, &kMoved, true);
  // Each index: delete the g1 entry, put the g2 one.
  ASSERT_EQ(c.ops.size(), 4u);
  EXPECT_FALSE(c.ops[0].put);
  EXPECT_TRUE(c.ops[1].put);
  EXPECT_NE(c.ops[0].key, c.ops[1].key);
  // Same sizes, same counts: the statistics do not move.
  EXPECT_TRUE(c.deltas.empty());

  Changes gone = ChangesOf(&kOld, nullptr, true);
  ASSERT_EQ(gone.ops.size(), 2u);
  EXPECT_FALSE(gone.ops[0].put);
  ASSERT_EQ(gone.deltas.size(), 2u);
  EXPECT_EQ(gone.deltas[0], (IndexDelta{4, -1, -static_cast<int64_t>(ItemSize(kOld))}));
}

}  // namespace
}  // namespace ddb
