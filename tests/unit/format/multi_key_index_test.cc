// Multi-attribute GSI keys in the on-disk format: the catalog form keeps
// them (and parses catalogs written before they existed), one-attribute
// keys encode exactly as before, and multi-attribute entries are sparse,
// grouped by every partition-key attribute and ordered by the sort-key
// attributes left to right.
#include <gtest/gtest.h>

#include "ddb/format/index_keys.h"
#include "ddb/format/item_key.h"
#include "ddb/format/keys.h"
#include "ddb/format/table_info.h"

namespace ddb {
namespace {

AttributeValue S(const std::string& s) {
  AttributeValue v;
  v.type = AttrType::kS;
  v.scalar = s;
  return v;
}
AttributeValue N(const std::string& s) {
  AttributeValue v;
  v.type = AttrType::kN;
  v.scalar = s;
  return v;
}

TableInfo MultiTable() {
  TableInfo t;
  t.name = "t";
  t.id = 7;
  t.key.hash = {"pk", AttrType::kS};
  IndexInfo g;
  g.name = "g";
  g.id = 9;
  g.key.hash = {"tenant", AttrType::kS};
  g.key.more_hash = {{"region", AttrType::kS}};
  g.key.range = KeyAttr{"round", AttrType::kN};
  g.key.more_range = {{"bracket", AttrType::kS}, {"match", AttrType::kS}};
  g.projection_type = "KEYS_ONLY";
  t.gsis.push_back(g);
  return t;
}

Item Match(const std::string& pk, const std::string& round, const std::string& bracket) {
  return {{"pk", S(pk)},       {"tenant", S("T")},      {"region", S("EU")},
          {"round", N(round)}, {"bracket", S(bracket)}, {"match", S("m-" + pk)},
          {"score", N("1")}};
}

TEST(MultiKeyIndexFormatTest, CatalogRoundTripKeepsEveryKeyAttributeInOrder) {
  TableInfo t = MultiTable();
  auto parsed = ParseTableInfo(SerializeTableInfo(t));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const KeySchema& k = parsed->gsis.at(0).key;
  ASSERT_TRUE(k.multi_attribute());
  std::vector<std::string> names;
  for (const KeyAttr* a : k.AllAttrs()) names.push_back(a->name);
  EXPECT_EQ(names, (std::vector<std::string>{"tenant", "region", "round", "bracket", "match"}));
  EXPECT_EQ(k.range->type, AttrType::kN);
  EXPECT_EQ(k.HashAttrs().size(), 2u);
  EXPECT_EQ(k.RangeAttrs().size(), 3u);
}

TEST(MultiKeyIndexFormatTest, OneAttributeKeysSerializeAsBefore) {
  TableInfo t = MultiTable();
  t.gsis[0].key.more_hash.clear();
  t.gsis[0].key.more_range.clear();
  std::string json = SerializeTableInfo(t);
  EXPECT_EQ(json.find("more_"), std::string::npos) << json;
}

// A catalog entry as written before multi-attribute keys (no "more_*").
TEST(MultiKeyIndexFormatTest, OldCatalogEncodingStillParses) {
  const char* old_json = R"({"name":"old","id":3,
    "key":{"hash":{"name":"pk","type":"S"},"range":{"name":"sk","type":"N"}},
    "attribute_definitions":[{"name":"pk","type":"S"},{"name":"sk","type":"N"},
                             {"name":"g","type":"S"}],
    "billing_mode":"PAY_PER_REQUEST","status":"ACTIVE",
    "gsis":[{"name":"gi","key":{"hash":{"name":"g","type":"S"}},"projection_type":"ALL",
             "non_key_attributes":[],"status":"ACTIVE","backfilling":false,"id":4}],
    "lsis":[]})";
  auto parsed = ParseTableInfo(old_json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_FALSE(parsed->key.multi_attribute());
  ASSERT_EQ(parsed->gsis.size(), 1u);
  EXPECT_FALSE(parsed->gsis[0].key.multi_attribute());
  EXPECT_EQ(parsed->gsis[0].key.AllAttrs().size(), 1u);
}

TEST(MultiKeyIndexFormatTest, CorruptMultiAttributeKeysAreRejected) {
  for (
      const char* bad : {
          R"({"name":"x","key":{"hash":{"name":"a","type":"S"},"more_hash":{}}})",
          R"({"name":"x","key":{"hash":{"name":"a","type":"S"},"more_range":[{"name":"b","type":"S"}]}})",
          R"({"name":"x","key":{"hash":{"name":"a","type":"S"},"more_hash":[{"name":"b","type":"S"},
              {"name":"c","type":"S"},{"name":"d","type":"S"},{"name":"e","type":"S"}]}})",
      }) {
    EXPECT_FALSE(ParseTableInfo(bad).ok()) << bad;
  }
}

TEST(MultiKeyIndexFormatTest, OneAttributeEntryKeyIsUnchanged) {
  TableInfo t = MultiTable();
  IndexInfo& g = t.gsis[0];
  g.key.more_hash.clear();
  g.key.more_range.clear();
  Item item = Match("p1", "3", "upper");
  auto k = IndexEntryKey(t, g, item);
  ASSERT_TRUE(k);
  std::string expected = IndexPartitionPrefix(g.id, S("T"));
  AppendDelimitedSortKey(N("3"), &expected);
  AppendPartitionKey(S("p1"), &expected);
  EXPECT_EQ(*k, expected);
  EXPECT_EQ(IndexPartitionPrefix(g.id, std::vector<AttributeValue>{S("T")}),
            IndexPartitionPrefix(g.id, S("T")));
}

TEST(MultiKeyIndexFormatTest, EntryKeyHasEveryAttributeInOrder) {
  TableInfo t = MultiTable();
  const IndexInfo& g = t.gsis[0];
  auto k = IndexEntryKey(t, g, Match("p1", "3", "upper"));
  ASSERT_TRUE(k);
  std::string expected = IndexPartitionPrefix(g.id, std::vector<AttributeValue>{S("T"), S("EU")});
  EXPECT_EQ(k->compare(0, expected.size(), expected), 0);
  AppendDelimitedSortKey(N("3"), &expected);
  AppendDelimitedSortKey(S("upper"), &expected);
  AppendDelimitedSortKey(S("m-p1"), &expected);
  AppendPartitionKey(S("p1"), &expected);
  EXPECT_EQ(*k, expected);
}

TEST(MultiKeyIndexFormatTest, ItemMissingAnyKeyAttributeHasNoEntry) {
  TableInfo t = MultiTable();
  for (const char* missing : {"tenant", "region", "round", "bracket", "match"}) {
    Item item = Match("p1", "3", "upper");
    item.erase(missing);
    EXPECT_FALSE(IndexEntryKey(t, t.gsis[0], item)) << missing;
  }
  Item wrong_type = Match("p1", "3", "upper");
  wrong_type["bracket"] = N("1");
  EXPECT_FALSE(IndexEntryKey(t, t.gsis[0], wrong_type));
}

TEST(MultiKeyIndexFormatTest, EntriesOrderBySortAttributesLeftToRight) {
  TableInfo t = MultiTable();
  // round 2 < round 10 (numeric) whatever the bracket; then by bracket.
  auto a = IndexEntryKey(t, t.gsis[0], Match("p1", "2", "zzz"));
  auto b = IndexEntryKey(t, t.gsis[0], Match("p2", "10", "aaa"));
  auto c = IndexEntryKey(t, t.gsis[0], Match("p3", "10", "aab"));
  auto d = IndexEntryKey(t, t.gsis[0], Match("p4", "10", "aa"));
  ASSERT_TRUE(a && b && c && d);
  EXPECT_LT(*a, *b);
  EXPECT_LT(*d, *b);  // a prefix sorts first
  EXPECT_LT(*b, *c);
}

TEST(MultiKeyIndexFormatTest, ProjectionAndKeyItemKeepEveryKeyAttribute) {
  TableInfo t = MultiTable();
  Item item = Match("p1", "3", "upper");
  Item projected = ProjectForIndex(t, t.gsis[0], item);
  EXPECT_EQ(projected.size(), 6u);  // every key attribute, not "score"
  EXPECT_EQ(projected.count("score"), 0u);
  Item keys = KeyItem(t.gsis[0].key, item);
  EXPECT_EQ(keys.size(), 5u);
}

}  // namespace
}  // namespace ddb
