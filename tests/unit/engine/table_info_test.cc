// TableInfo: the catalog form round-trips every field, and the description
// has DynamoDB's TableDescription shape.
#include "ddb/engine/table_info.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cctype>
#include <string_view>

#include "ddb/engine/clock.h"

namespace ddb {
namespace {

double FixedNow() { return 1700000000.5; }

// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lower-case hex.
bool IsUuidV4(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    if (!dash && std::isupper(static_cast<unsigned char>(s[i]))) return false;
  }
  return s[14] == '4' && std::string_view("89ab").find(s[19]) != std::string_view::npos;
}

class FixedClock {
 public:
  FixedClock() { SetClockForTesting(&FixedNow); }
  ~FixedClock() { SetClockForTesting(nullptr); }
};

TableInfo SampleTable() {
  TableInfo t;
  t.name = "orders.v2";
  t.id = 42;
  t.key.hash = {"pk", AttrType::kS};
  t.key.range = KeyAttr{"sk", AttrType::kN};
  t.attribute_definitions = {{"pk", AttrType::kS}, {"sk", AttrType::kN}, {"g", AttrType::kB}};
  t.billing_mode = "PROVISIONED";
  t.throughput = {5, 7, 1699999000.25, 1699999500.125, 2};
  t.creation_time = 1699990000.123;
  t.status = "ACTIVE";
  IndexInfo gsi;
  gsi.name = "by-g";
  gsi.key.hash = {"g", AttrType::kB};
  gsi.projection_type = "INCLUDE";
  gsi.non_key_attributes = {"a", "b"};
  gsi.throughput = {3, 4, 0, 0, 0};
  gsi.status = "CREATING";
  gsi.backfilling = true;
  gsi.id = 43;
  t.gsis.push_back(gsi);
  IndexInfo lsi;
  lsi.name = "by-sk2";
  lsi.key.hash = {"pk", AttrType::kS};
  lsi.key.range = KeyAttr{"g", AttrType::kB};
  lsi.projection_type = "KEYS_ONLY";
  lsi.id = 44;
  t.lsis.push_back(lsi);
  t.tags = {{"env", "prod"}, {"team", ""}};
  t.table_class = "STANDARD_INFREQUENT_ACCESS";
  t.deletion_protection = true;
  t.stream_enabled = true;
  t.stream_view_type = "NEW_AND_OLD_IMAGES";
  t.stream_label = "2023-11-14T22:13:20.000";
  t.region = "eu-west-1";
  t.account = "123456789012";
  return t;
}

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

rapidjson::Document Describe(const TableInfo& t, TableStats stats = {}) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  WriteTableDescription(t, stats, w);
  rapidjson::Document d;
  d.Parse(buf.GetString());
  EXPECT_FALSE(d.HasParseError()) << buf.GetString();
  return d;
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
    EXPECT_EQ(r.error().type, "InternalServerError");
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

TEST(TableInfoTest, DescriptionOfAProvisionedTable) {
  FixedClock clock;
  TableInfo t = SampleTable();
  t.throughput.last_decrease = FixedNow() - 10;  // today
  auto d = Describe(t, {12, 3456});
  const auto& v = d;
  EXPECT_STREQ(v["TableName"].GetString(), "orders.v2");
  EXPECT_STREQ(v["TableStatus"].GetString(), "ACTIVE");
  EXPECT_EQ(v["CreationDateTime"].GetDouble(), 1699990000.123);
  EXPECT_EQ(v["ItemCount"].GetInt64(), 12);
  EXPECT_EQ(v["TableSizeBytes"].GetInt64(), 3456);
  EXPECT_STREQ(v["TableArn"].GetString(),
               "arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2");
  ASSERT_EQ(v["AttributeDefinitions"].Size(), 3u);
  EXPECT_STREQ(v["AttributeDefinitions"][1]["AttributeType"].GetString(), "N");
  ASSERT_EQ(v["KeySchema"].Size(), 2u);
  EXPECT_STREQ(v["KeySchema"][0]["KeyType"].GetString(), "HASH");
  EXPECT_STREQ(v["KeySchema"][1]["AttributeName"].GetString(), "sk");
  const auto& pt = v["ProvisionedThroughput"];
  EXPECT_EQ(pt["ReadCapacityUnits"].GetInt64(), 5);
  EXPECT_EQ(pt["WriteCapacityUnits"].GetInt64(), 7);
  EXPECT_EQ(pt["NumberOfDecreasesToday"].GetInt64(), 2);
  EXPECT_EQ(pt["LastIncreaseDateTime"].GetDouble(), 1699999000.25);
  // Always-PROVISIONED tables have no BillingModeSummary.
  EXPECT_FALSE(v.HasMember("BillingModeSummary"));
  std::string id = v["TableId"].GetString();
  EXPECT_TRUE(IsUuidV4(id)) << id;
  EXPECT_EQ(id, Describe(t)["TableId"].GetString());  // stable
  const auto& g = v["GlobalSecondaryIndexes"][0];
  EXPECT_STREQ(g["IndexName"].GetString(), "by-g");
  EXPECT_STREQ(g["IndexStatus"].GetString(), "CREATING");
  EXPECT_TRUE(g["Backfilling"].GetBool());
  EXPECT_STREQ(g["Projection"]["ProjectionType"].GetString(), "INCLUDE");
  EXPECT_EQ(g["Projection"]["NonKeyAttributes"].Size(), 2u);
  EXPECT_EQ(g["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 3);
  EXPECT_STREQ(g["IndexArn"].GetString(),
               "arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2/index/by-g");
  const auto& l = v["LocalSecondaryIndexes"][0];
  EXPECT_STREQ(l["IndexName"].GetString(), "by-sk2");
  EXPECT_FALSE(l.HasMember("IndexStatus"));
  EXPECT_FALSE(l.HasMember("ProvisionedThroughput"));
  EXPECT_FALSE(l["Projection"].HasMember("NonKeyAttributes"));
  EXPECT_TRUE(v["StreamSpecification"]["StreamEnabled"].GetBool());
  EXPECT_STREQ(v["StreamSpecification"]["StreamViewType"].GetString(), "NEW_AND_OLD_IMAGES");
  EXPECT_STREQ(v["LatestStreamLabel"].GetString(), "2023-11-14T22:13:20.000");
  EXPECT_STREQ(v["LatestStreamArn"].GetString(),
               "arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2/stream/"
               "2023-11-14T22:13:20.000");
  EXPECT_STREQ(v["TableClassSummary"]["TableClass"].GetString(), "STANDARD_INFREQUENT_ACCESS");
  EXPECT_TRUE(v["DeletionProtectionEnabled"].GetBool());
}

TEST(TableInfoTest, DescriptionOfAnOnDemandTable) {
  FixedClock clock;
  TableInfo t;
  t.name = "ppr";
  t.id = 7;
  t.key.hash = {"id", AttrType::kS};
  t.attribute_definitions = {{"id", AttrType::kS}};
  t.billing_mode = "PAY_PER_REQUEST";
  t.creation_time = 1690000000.5;
  t.throughput.last_decrease = 1600000000;  // an earlier day: no longer counted
  t.throughput.decreases_today = 3;
  auto v = Describe(t);
  EXPECT_EQ(v["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 0);
  EXPECT_EQ(v["ProvisionedThroughput"]["WriteCapacityUnits"].GetInt64(), 0);
  EXPECT_EQ(v["ProvisionedThroughput"]["NumberOfDecreasesToday"].GetInt64(), 0);
  EXPECT_FALSE(v["ProvisionedThroughput"].HasMember("LastIncreaseDateTime"));
  EXPECT_STREQ(v["BillingModeSummary"]["BillingMode"].GetString(), "PAY_PER_REQUEST");
  EXPECT_EQ(v["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"].GetDouble(),
            v["CreationDateTime"].GetDouble());
  EXPECT_FALSE(v.HasMember("GlobalSecondaryIndexes"));
  EXPECT_FALSE(v.HasMember("LocalSecondaryIndexes"));
  EXPECT_FALSE(v.HasMember("StreamSpecification"));
  EXPECT_FALSE(v.HasMember("TableClassSummary"));
  EXPECT_FALSE(v["DeletionProtectionEnabled"].GetBool());
}

TEST(TableInfoTest, DeletingDescriptionOmitsSchemaAndIndexes) {
  TableInfo t = SampleTable();
  t.status = "DELETING";
  auto v = Describe(t, {1, 2});
  EXPECT_STREQ(v["TableStatus"].GetString(), "DELETING");
  EXPECT_TRUE(v.HasMember("TableName"));
  EXPECT_TRUE(v.HasMember("TableArn"));
  EXPECT_TRUE(v.HasMember("TableId"));
  EXPECT_TRUE(v.HasMember("ProvisionedThroughput"));
  EXPECT_EQ(v["ItemCount"].GetInt64(), 1);
  for (const char* absent : {"KeySchema", "AttributeDefinitions", "CreationDateTime",
                             "GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    EXPECT_FALSE(v.HasMember(absent)) << absent;
  }
}

}  // namespace
}  // namespace ddb
