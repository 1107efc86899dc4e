// TableInfo: the catalog form round-trips every field. (The description:
// engine/table_description_test.cc.)
#include "ddb/format/table_info.h"

#include <gtest/gtest.h>

#include "sample_table_info.h"

namespace ddb {
namespace {

using testing::SampleTable;

void ExpectSameKey(const KeySchema& a, const KeySchema& b) {
  EXPECT_EQ(a.hash.name, b.hash.name);
  EXPECT_EQ(a.hash.type, b.hash.type);
  ASSERT_EQ(a.range.has_value(), b.range.has_value());
  if (a.range) {
    EXPECT_EQ(a.range->name, b.range->name);
    EXPECT_EQ(a.range->type, b.range->type);
  }
}

void ExpectSameThroughput(const Throughput& a, const Throughput& b) {
  EXPECT_EQ(a.read, b.read);
  EXPECT_EQ(a.write, b.write);
  EXPECT_EQ(a.last_increase, b.last_increase);
  EXPECT_EQ(a.last_decrease, b.last_decrease);
  EXPECT_EQ(a.decreases_today, b.decreases_today);
}

void ExpectSameIndex(const IndexInfo& a, const IndexInfo& b) {
  EXPECT_EQ(a.name, b.name);
  ExpectSameKey(a.key, b.key);
  EXPECT_EQ(a.projection_type, b.projection_type);
  EXPECT_EQ(a.non_key_attributes, b.non_key_attributes);
  ExpectSameThroughput(a.throughput, b.throughput);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.backfilling, b.backfilling);
  EXPECT_EQ(a.id, b.id);
}

TEST(TableInfoTest, SerializeParseRoundTripKeepsEveryField) {
  TableInfo t = SampleTable();
  auto parsed = ParseTableInfo(SerializeTableInfo(t));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const TableInfo& p = *parsed;
  EXPECT_EQ(p.name, t.name);
  EXPECT_EQ(p.id, t.id);
  ExpectSameKey(p.key, t.key);
  ASSERT_EQ(p.attribute_definitions.size(), 3u);
  EXPECT_EQ(p.attribute_definitions[2].name, "g");
  EXPECT_EQ(p.attribute_definitions[2].type, AttrType::kB);
  EXPECT_EQ(p.billing_mode, t.billing_mode);
  ExpectSameThroughput(p.throughput, t.throughput);
  EXPECT_EQ(p.creation_time, t.creation_time);
  EXPECT_EQ(p.status, t.status);
  ASSERT_EQ(p.gsis.size(), 1u);
  ExpectSameIndex(p.gsis[0], t.gsis[0]);
  ASSERT_EQ(p.lsis.size(), 1u);
  ExpectSameIndex(p.lsis[0], t.lsis[0]);
  EXPECT_EQ(p.tags, t.tags);
  EXPECT_EQ(p.table_class, t.table_class);
  EXPECT_EQ(p.deletion_protection, t.deletion_protection);
  EXPECT_EQ(p.stream_enabled, t.stream_enabled);
  EXPECT_EQ(p.stream_view_type, t.stream_view_type);
  EXPECT_EQ(p.stream_label, t.stream_label);
  EXPECT_EQ(p.region, t.region);
  EXPECT_EQ(p.account, t.account);
  // Serializing again gives the same text: nothing is lost or reordered.
  EXPECT_EQ(SerializeTableInfo(p), SerializeTableInfo(t));
}

TEST(TableInfoTest, RoundTripOfAMinimalTable) {
  TableInfo t;
  t.name = "abc";
  t.id = 1;
  t.key.hash = {"id", AttrType::kN};
  t.attribute_definitions = {{"id", AttrType::kN}};
  auto parsed = ParseTableInfo(SerializeTableInfo(t));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_FALSE(parsed->key.range.has_value());
  EXPECT_TRUE(parsed->gsis.empty());
  EXPECT_TRUE(parsed->tags.empty());
  EXPECT_EQ(SerializeTableInfo(*parsed), SerializeTableInfo(t));
}

TEST(TableInfoTest, ParseRejectsCorruptText) {
  for (const char* bad : {"", "[]", "{\"name\":1}", "{\"name\":\"t\",\"id\":1}",
                          R"({"name":"t","id":1,"key":{"hash":{"name":"k","type":"BOOL"}}})"}) {
    auto r = ParseTableInfo(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().Name(), "InternalServerError");
  }
}

TEST(TableInfoTest, ArnAndFindIndex) {
  TableInfo t = SampleTable();
  EXPECT_EQ(t.Arn(), "arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2");
  bool global = false;
  ASSERT_NE(t.FindIndex("by-g", &global), nullptr);
  EXPECT_TRUE(global);
  ASSERT_NE(t.FindIndex("by-sk2", &global), nullptr);
  EXPECT_FALSE(global);
  EXPECT_EQ(t.FindIndex("nope", &global), nullptr);
}

}  // namespace
}  // namespace ddb
