// The TableDescription of a table has DynamoDB's shape. (The catalog form:
// format/table_info_test.cc.)
#include "ddb/engine/table_description.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <cctype>
#include <string_view>

#include "../format/sample_table_info.h"
#include "ddb/common/clock.h"

namespace ddb {
namespace {

using testing::SampleTable;

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

rapidjson::Document Describe(const TableInfo& t, TableStats stats = {}) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  WriteTableDescription(t, stats, w);
  rapidjson::Document d;
  d.Parse(buf.GetString());
  EXPECT_FALSE(d.HasParseError()) << buf.GetString();
  return d;
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
