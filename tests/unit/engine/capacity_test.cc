// Capacity arithmetic: the cost of a write on the table and on each index
// (DynamoDB's index-write rules), item-collection deltas, and the
// ConsumedCapacity JSON for TOTAL and INDEXES.
#include "ddb/engine/capacity.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ddb/format/index_keys.h"

namespace ddb {
namespace {

// pk/sk table; GSI "all" on g (ALL), GSI "keys" on g (KEYS_ONLY), LSI "lsi"
// on pk/l (INCLUDE x).
TableInfo Table() {
  TableInfo t;
  t.name = "t";
  t.id = 7;
  t.key.hash = {"pk", AttrType::kS};
  t.key.range = KeyAttr{"sk", AttrType::kS};
  IndexInfo all;
  all.name = "all";
  all.key.hash = {"g", AttrType::kS};
  all.id = 8;
  IndexInfo keys = all;
  keys.name = "keys";
  keys.projection_type = "KEYS_ONLY";
  keys.id = 9;
  t.gsis = {all, keys};
  IndexInfo lsi;
  lsi.name = "lsi";
  lsi.key.hash = {"pk", AttrType::kS};
  lsi.key.range = KeyAttr{"l", AttrType::kS};
  lsi.projection_type = "INCLUDE";
  lsi.non_key_attributes = {"x"};
  lsi.id = 10;
  t.lsis = {lsi};
  return t;
}

Item Make(std::initializer_list<std::pair<const char*, std::string>> attrs) {
  Item it;
  for (const auto& [k, v] : attrs) it.emplace(k, AttributeValue::S(v));
  return it;
}

WriteCharge Charge(const TableInfo& t, const Item* before, const Item* after) {
  return ChargeForWrite(t, before, before ? ItemSize(*before) : 0, after,
                        after ? ItemSize(*after) : 0);
}

TEST(CapacityTest, InsertWithoutIndexKeysCostsTheTableOnly) {
  TableInfo t = Table();
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"d", "x"}});
  WriteCharge c = Charge(t, nullptr, &a);
  EXPECT_EQ(c.units.table, 1);
  EXPECT_TRUE(c.units.gsis.empty());
  EXPECT_TRUE(c.units.lsis.empty());
  EXPECT_EQ(c.units.Total(), 1);
  EXPECT_EQ(c.collection_delta, static_cast<int64_t>(ItemSize(a)));
}

TEST(CapacityTest, InsertIntoEveryIndexCostsOneWriteEach) {
  TableInfo t = Table();
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}, {"l", "L"}, {"x", "X"}});
  WriteCharge c = Charge(t, nullptr, &a);
  EXPECT_EQ(c.units.table, 1);
  EXPECT_EQ(c.units.gsis.at("all"), 1);
  EXPECT_EQ(c.units.gsis.at("keys"), 1);
  EXPECT_EQ(c.units.lsis.at("lsi"), 1);
  EXPECT_EQ(c.units.Total(), 4);
  // The collection grows by the item and its LSI entry (keys, l and x).
  Item entry = ProjectForIndex(t, t.lsis[0], a);
  EXPECT_EQ(c.collection_delta, static_cast<int64_t>(ItemSize(a) + ItemSize(entry)));
}

TEST(CapacityTest, IndexEntriesAreChargedByTheirProjectedSize) {
  TableInfo t = Table();
  // 3,000 bytes of d: the table and the ALL index cost 3 units, the
  // KEYS_ONLY index 1.
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}, {"d", std::string(3000, 'x')}});
  WriteCharge c = Charge(t, nullptr, &a);
  EXPECT_EQ(c.units.table, 3);
  EXPECT_EQ(c.units.gsis.at("all"), 3);
  EXPECT_EQ(c.units.gsis.at("keys"), 1);
}

TEST(CapacityTest, ChangingAnIndexKeyCostsADeleteAndAPut) {
  TableInfo t = Table();
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G1"}});
  Item b = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G2"}});
  WriteCharge c = Charge(t, &a, &b);
  EXPECT_EQ(c.units.table, 1);
  EXPECT_EQ(c.units.gsis.at("all"), 2);
  EXPECT_EQ(c.units.gsis.at("keys"), 2);
  EXPECT_EQ(c.units.Total(), 5);
}

TEST(CapacityTest, ChangingOnlyNonProjectedAttributesSkipsTheIndex) {
  TableInfo t = Table();
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}, {"d", "1"}});
  Item b = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}, {"d", "2"}});
  WriteCharge c = Charge(t, &a, &b);
  EXPECT_EQ(c.units.gsis.at("all"), 1);       // d is projected into ALL
  EXPECT_EQ(c.units.gsis.count("keys"), 0u);  // but not into KEYS_ONLY
  EXPECT_EQ(c.units.Total(), 2);
}

TEST(CapacityTest, RemovingAnIndexKeyCostsOneDelete) {
  TableInfo t = Table();
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}});
  Item b = Make({{"pk", "p"}, {"sk", "s"}});
  WriteCharge c = Charge(t, &a, &b);
  EXPECT_EQ(c.units.gsis.at("all"), 1);
  EXPECT_EQ(c.units.gsis.at("keys"), 1);
  // Deleting the item: same.
  WriteCharge d = Charge(t, &a, nullptr);
  EXPECT_EQ(d.units.table, 1);
  EXPECT_EQ(d.units.Total(), 3);
  EXPECT_EQ(d.collection_delta, -static_cast<int64_t>(ItemSize(a)));
}

TEST(CapacityTest, DeletingAMissingItemCostsOneUnit) {
  TableInfo t = Table();
  WriteCharge c = Charge(t, nullptr, nullptr);
  EXPECT_EQ(c.units.table, 1);
  EXPECT_EQ(c.units.Total(), 1);
  EXPECT_EQ(c.collection_delta, 0);
}

TEST(CapacityTest, DeletingGsiIsNotCharged) {
  TableInfo t = Table();
  t.gsis[0].status = "DELETING";
  Item a = Make({{"pk", "p"}, {"sk", "s"}, {"g", "G"}});
  WriteCharge c = Charge(t, nullptr, &a);
  EXPECT_EQ(c.units.gsis.count("all"), 0u);
  EXPECT_EQ(c.units.gsis.at("keys"), 1);
}

std::string Json(CapacityMode mode, const Consumed& c, bool read) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  WriteCapacityObject(mode, "t", c, read, w);
  return b.GetString();
}

TEST(CapacityTest, TotalJson) {
  Consumed c;
  c.table = 1;
  c.gsis["g"] = 2;
  EXPECT_EQ(Json(CapacityMode::kTotal, c, false),
            R"({"TableName":"t","CapacityUnits":3.0,"WriteCapacityUnits":3.0})");
}

TEST(CapacityTest, IndexesJson) {
  Consumed c;
  c.table = 1;
  c.gsis["g"] = 2;
  c.lsis["l"] = 0.5;
  EXPECT_EQ(Json(CapacityMode::kIndexes, c, true),
            R"({"TableName":"t","CapacityUnits":3.5,"ReadCapacityUnits":3.5,)"
            R"("Table":{"ReadCapacityUnits":1.0,"CapacityUnits":1.0},)"
            R"("LocalSecondaryIndexes":{"l":{"ReadCapacityUnits":0.5,"CapacityUnits":0.5}},)"
            R"("GlobalSecondaryIndexes":{"g":{"ReadCapacityUnits":2.0,"CapacityUnits":2.0}}})");
}

TEST(CapacityTest, ByTableSumsAndScales) {
  CapacityByTable by;
  Consumed a;
  a.table = 1;
  a.gsis["g"] = 1;
  Consumed b = a;
  b.Scale(2);
  by.Add("x", a);
  by.Add("x", b);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  by.Write(CapacityMode::kTotal, false, w);
  w.EndObject();
  EXPECT_EQ(
      std::string(buf.GetString()),
      R"({"ConsumedCapacity":[{"TableName":"x","CapacityUnits":6.0,"WriteCapacityUnits":6.0}]})");
}

}  // namespace
}  // namespace ddb
