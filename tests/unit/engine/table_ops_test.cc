// The table operations through the engine: DynamoDB's validation messages,
// the descriptions returned, throughput and billing changes, tags, listing.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

constexpr const char* kInvalid = "One or more parameter values were invalid: ";

class TableOpsTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    UseFakeClock();
    OpenEngine();
  }

  std::string Validation(const std::string& msg) { return "ERROR ValidationException: " + msg; }

  void CreateSimple(const std::string& name, const std::string& extra = "") {
    Ok("CreateTable", R"({"TableName":")" + name + R"(",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
        "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5})" +
                          extra + "}");
  }
};

// A CreateTable request with key "pk" (S) and the given extra members.
std::string Create(const std::string& members) {
  return R"({"TableName":"tb1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)" + members +
         "}";
}

const char* kPk = R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}])";

TEST_F(TableOpsTest, CreateTableReturnsAnActiveDescription) {
  auto d = Ok("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST")"));
  const auto& t = d["TableDescription"];
  EXPECT_STREQ(t["TableName"].GetString(), "tb1");
  EXPECT_STREQ(t["TableStatus"].GetString(), "ACTIVE");
  EXPECT_EQ(t["CreationDateTime"].GetDouble(), 1700000000.0);
  EXPECT_STREQ(t["TableArn"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/tb1");
  EXPECT_EQ(t["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 0);
  EXPECT_STREQ(t["BillingModeSummary"]["BillingMode"].GetString(), "PAY_PER_REQUEST");
  EXPECT_EQ(t["ItemCount"].GetInt64(), 0);
  auto again = Ok("DescribeTable", R"({"TableName":"tb1"})");
  EXPECT_STREQ(again["Table"]["TableId"].GetString(), t["TableId"].GetString());
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST")")),
            "ERROR ResourceInUseException: Table already exists: tb1");
}

TEST_F(TableOpsTest, CreateTableShapeErrorsAreCollected) {
  EXPECT_EQ(Call("CreateTable", R"({"TableName":"abc;"})"),
            Validation("3 validation errors detected: "
                       "Value null at 'attributeDefinitions' failed to satisfy constraint: Member "
                       "must not be null; "
                       "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must "
                       "satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                       "Value null at 'keySchema' failed to satisfy constraint: Member must not "
                       "be null"));
  EXPECT_EQ(Call("CreateTable", R"({"TableName":"ab","AttributeDefinitions":[],"KeySchema":[],
                 "ProvisionedThroughput":{"ReadCapacityUnits":0}})"),
            Validation("4 validation errors detected: "
                       "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have "
                       "length greater than or equal to 3; "
                       "Value null at 'provisionedThroughput.writeCapacityUnits' failed to "
                       "satisfy constraint: Member must not be null; "
                       "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy "
                       "constraint: Member must have value greater than or equal to 1; "
                       "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have "
                       "length greater than or equal to 1"));
  EXPECT_EQ(Call("CreateTable",
                 Create(R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"SS"}],
                        "BillingMode":"PAY_PER_REQUEST")")),
            Validation("1 validation error detected: Value 'SS' at "
                       "'attributeDefinitions.1.member.attributeType' failed to satisfy "
                       "constraint: Member must satisfy enum value set: [B, N, S]"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"pay_per_request")")),
            Validation("1 validation error detected: Value 'pay_per_request' at 'billingMode' "
                       "failed to satisfy constraint: Member must satisfy enum value set: "
                       "[PROVISIONED, PAY_PER_REQUEST]"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":5)")),
            "ERROR SerializationException: NUMBER_VALUE cannot be converted to String");
}

TEST_F(TableOpsTest, CreateTableBillingRules) {
  EXPECT_EQ(Call("CreateTable", Create(kPk)),
            Validation(std::string(kInvalid) +
                       "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                       "BillingMode is PROVISIONED"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
                 "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})")),
            Validation(std::string(kInvalid) +
                       "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                       "BillingMode is PAY_PER_REQUEST"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,
                 "ProvisionedThroughput":{"ReadCapacityUnits":1000000000001,"WriteCapacityUnits":1})")),
            Validation("Given value 1000000000001 for ReadCapacityUnits is out of bounds"));
}

TEST_F(TableOpsTest, CreateTableKeySchemaRules) {
  const std::string pt =
      R"("ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})";
  auto req = [&](const std::string& defs, const std::string& key) {
    return R"({"TableName":"abc","AttributeDefinitions":)" + defs + R"(,"KeySchema":)" + key + "," +
           pt + "}";
  };
  const std::string ab =
      R"([{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}])";
  EXPECT_EQ(Call("CreateTable", req(R"([{"AttributeName":"b","AttributeType":"S"}])",
                                    R"([{"AttributeName":"a","KeyType":"HASH"}])")),
            Validation(std::string(kInvalid) +
                       "Some index key attributes are not defined in AttributeDefinitions. Keys: "
                       "[a], AttributeDefinitions: [b]"));
  EXPECT_EQ(Call("CreateTable", req(R"([{"AttributeName":"a","AttributeType":"S"}])",
                                    R"([{"AttributeName":"a","KeyType":"HASH"},
                                        {"AttributeName":"b","KeyType":"RANGE"}])")),
            Validation("Invalid KeySchema: Some index key attribute have no definition"));
  EXPECT_EQ(Call("CreateTable", req(ab, R"([{"AttributeName":"a","KeyType":"HASH"},
                                            {"AttributeName":"a","KeyType":"RANGE"}])")),
            Validation("Both the Hash Key and the Range Key element in the KeySchema have the same "
                       "name"));
  EXPECT_EQ(Call("CreateTable", req(ab, R"([{"AttributeName":"a","KeyType":"RANGE"},
                                            {"AttributeName":"b","KeyType":"HASH"}])")),
            Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
  EXPECT_EQ(Call("CreateTable", req(ab, R"([{"AttributeName":"a","KeyType":"HASH"},
                                            {"AttributeName":"b","KeyType":"HASH"}])")),
            Validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"));
  EXPECT_EQ(Call("CreateTable", req(ab, R"([{"AttributeName":"a","KeyType":"HASH"}])")),
            Validation(std::string(kInvalid) +
                       "Number of attributes in KeySchema does not exactly match number of "
                       "attributes defined in AttributeDefinitions"));
  EXPECT_EQ(Call("CreateTable", req(R"([{"AttributeName":"a","AttributeType":"S"},
                                        {"AttributeName":"a","AttributeType":"N"}])",
                                    R"([{"AttributeName":"a","KeyType":"HASH"}])")),
            Validation("Attribute Name is duplicated: a"));
}

TEST_F(TableOpsTest, CreateTableIndexRules) {
  const std::string head = R"({"TableName":"abc","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},
                              {"AttributeName":"b","AttributeType":"S"},
                              {"AttributeName":"c","AttributeType":"N"}],)";
  const std::string range_key =
      R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"RANGE"}],)";
  EXPECT_EQ(Call("CreateTable", head + R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],
      "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},
        {"AttributeName":"c","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]})"),
            Validation(std::string(kInvalid) +
                       "Table KeySchema does not have a range key, which is required when "
                       "specifying a LocalSecondaryIndex"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"b","KeyType":"HASH"},
        {"AttributeName":"c","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]})"),
            Validation(std::string(kInvalid) +
                       "Index KeySchema does not have the same leading hash key as table KeySchema "
                       "for index: lsi. index hash key: b, table hash key: a"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"INCLUDE"}}]})"),
            Validation(std::string(kInvalid) +
                       "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL","NonKeyAttributes":["x"]}}]})"),
            Validation(std::string(kInvalid) +
                       "ProjectionType is ALL, but NonKeyAttributes is specified"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL"},
        "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]})"),
            Validation(std::string(kInvalid) +
                       "ProvisionedThroughput should not be specified for index: gsi when "
                       "BillingMode is PAY_PER_REQUEST"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "GlobalSecondaryIndexes":[
        {"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}},
        {"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})"),
            Validation(std::string(kInvalid) + "Duplicate index name: gsi"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"(
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"b","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"}}]})"),
            Validation(std::string(kInvalid) +
                       "Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], "
                       "keys used: [a, b]"));
  EXPECT_EQ(Call("CreateTable", head + range_key + R"("GlobalSecondaryIndexes":[]})"),
            Validation(std::string(kInvalid) + "List of GlobalSecondaryIndexes is empty"));
  EXPECT_EQ(
      Call("CreateTable", R"({"TableName":"abc","AttributeDefinitions":[
        {"AttributeName":"a","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL"}}]})"),
      Validation(std::string(kInvalid) + "ProvisionedThroughput is not specified for index: gsi"));

  // A valid table with both kinds of index is described with them.
  auto d = Ok("CreateTable", head + range_key + R"(
      "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},
        {"AttributeName":"c","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x","y"]}}]})");
  const auto& t = d["TableDescription"];
  EXPECT_STREQ(t["GlobalSecondaryIndexes"][0]["IndexStatus"].GetString(), "ACTIVE");
  EXPECT_EQ(t["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(),
            0);
  EXPECT_STREQ(t["LocalSecondaryIndexes"][0]["KeySchema"][1]["AttributeName"].GetString(), "c");
}

TEST_F(TableOpsTest, CreateTableTagsStreamsAndClass) {
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
                 "Tags":[{"Key":"aws:x","Value":"1"}])")),
            Validation("Tag Key cannot be prefixed with aws:, Key: aws:x"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
                 "Tags":[{"Key":"k"}])")),
            Validation("The Tag Value provided is invalid, Value: null"));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
                 "TableClass":"COLD")")),
            Validation("Invalid table-class parameter provided. Please try again with a valid "
                       "table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS]."));
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
                 "StreamSpecification":{"StreamEnabled":true})")),
            Validation(std::string(kInvalid) +
                       "Table is being created with a stream enabled, UpdateViewType is required"));
  auto d = Ok("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST",
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
      "Tags":[{"Key":"env","Value":"dev"}],"DeletionProtectionEnabled":true)"));
  const auto& t = d["TableDescription"];
  EXPECT_STREQ(t["LatestStreamLabel"].GetString(), "2023-11-14T22:13:20.000");
  EXPECT_TRUE(t["DeletionProtectionEnabled"].GetBool());
  auto tags = Ok("ListTagsOfResource",
                 R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tb1"})");
  ASSERT_EQ(tags["Tags"].Size(), 1u);
  EXPECT_STREQ(tags["Tags"][0]["Value"].GetString(), "dev");
}

TEST_F(TableOpsTest, DescribeAndDeleteTable) {
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"nope"})"),
            "ERROR ResourceNotFoundException: Requested resource not found: Table: nope not found");
  // The control-plane wording (dynalite's tests, checked against DynamoDB).
  for (const char* op : {"DescribeTable", "DeleteTable", "CreateTable", "UpdateTable",
                         "DescribeTimeToLive", "UpdateTimeToLive"}) {
    EXPECT_EQ(Call(op, R"({})"), Validation("The parameter 'TableName' is required but was not "
                                            "present in the request"))
        << op;
    EXPECT_EQ(Call(op, R"({"TableName":null})"),
              Validation("The parameter 'TableName' is required but was not present in the "
                         "request"))
        << op;
  }
  // The data plane keeps the constraint list.
  EXPECT_EQ(Call("GetItem", R"({"Key":{}})"),
            Validation("1 validation error detected: Value null at 'tableName' failed to satisfy "
                       "constraint: Member must not be null"));
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":""})"),
            Validation("2 validation errors detected: Value '' at 'tableName' failed to satisfy "
                       "constraint: Member must have length greater than or equal to 3; Value '' "
                       "at 'tableName' failed to satisfy constraint: Member must satisfy regular "
                       "expression pattern: [a-zA-Z0-9_.-]+"));
  CreateSimple("tb1", R"(,"DeletionProtectionEnabled":true)");
  // A table ARN names the table too.
  auto d =
      Ok("DescribeTable", R"({"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/tb1"})");
  EXPECT_STREQ(d["Table"]["TableName"].GetString(), "tb1");
  EXPECT_EQ(Call("DeleteTable", R"({"TableName":"tb1"})"),
            Validation("Resource cannot be deleted as it is currently protected against deletion. "
                       "Disable deletion protection first."));
  Ok("UpdateTable", R"({"TableName":"tb1","DeletionProtectionEnabled":false})");
  auto del = Ok("DeleteTable", R"({"TableName":"tb1"})");
  EXPECT_STREQ(del["TableDescription"]["TableStatus"].GetString(), "DELETING");
  EXPECT_FALSE(del["TableDescription"].HasMember("KeySchema"));
  EXPECT_EQ(Call("DeleteTable", R"({"TableName":"tb1"})"),
            "ERROR ResourceNotFoundException: Requested resource not found: Table: tb1 not found");
  // The name is free again.
  CreateSimple("tb1");
}

TEST_F(TableOpsTest, ListTablesPaginates) {
  for (const char* n : {"tb3", "tb1", "tb5", "tb2", "tb4"}) CreateSimple(n);
  auto p1 = Ok("ListTables", R"({"Limit":2})");
  ASSERT_EQ(p1["TableNames"].Size(), 2u);
  EXPECT_STREQ(p1["TableNames"][0].GetString(), "tb1");
  EXPECT_STREQ(p1["LastEvaluatedTableName"].GetString(), "tb2");
  auto p2 = Ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"tb2"})");
  EXPECT_STREQ(p2["TableNames"][0].GetString(), "tb3");
  auto p3 = Ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"tb4"})");
  ASSERT_EQ(p3["TableNames"].Size(), 1u);
  EXPECT_FALSE(p3.HasMember("LastEvaluatedTableName"));
  auto all = Ok("ListTables", R"({})");
  EXPECT_EQ(all["TableNames"].Size(), 5u);
  EXPECT_FALSE(all.HasMember("LastEvaluatedTableName"));
  EXPECT_EQ(Call("ListTables", R"({"Limit":0})"),
            Validation("1 validation error detected: Value '0' at 'limit' failed to satisfy "
                       "constraint: Member must have value greater than or equal to 1"));
  EXPECT_EQ(Call("ListTables", R"({"Limit":101})"),
            Validation("1 validation error detected: Value '101' at 'limit' failed to satisfy "
                       "constraint: Member must have value less than or equal to 100"));
}

TEST_F(TableOpsTest, UpdateTableThroughputAndBilling) {
  CreateSimple("tb1");
  EXPECT_EQ(Call("UpdateTable", R"({"TableName":"tb1"})"),
            Validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                       "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
                       "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                       "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or "
                       "TableClass is required"));
  EXPECT_EQ(Call("UpdateTable", R"({"TableName":"zz9","BillingMode":"PAY_PER_REQUEST"})"),
            "ERROR ResourceNotFoundException: Requested resource not found: Table: zz9 not found");
  EXPECT_EQ(
      Call(
          "UpdateTable",
          R"({"TableName":"tb1","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})"),
      Validation("The provisioned throughput for the table will not change. The requested value "
                 "equals the current value. Current ReadCapacityUnits provisioned for the table: "
                 "5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for "
                 "the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB "
                 "Developer Guide for current limits and how to request higher limits."));
  g_now += 10;
  auto up = Ok(
      "UpdateTable",
      R"({"TableName":"tb1","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":5}})");
  EXPECT_EQ(up["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 10);
  EXPECT_EQ(up["TableDescription"]["ProvisionedThroughput"]["LastIncreaseDateTime"].GetDouble(),
            1700000010.0);
  auto down = Ok(
      "UpdateTable",
      R"({"TableName":"tb1","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":1}})");
  EXPECT_EQ(down["TableDescription"]["ProvisionedThroughput"]["NumberOfDecreasesToday"].GetInt64(),
            1);

  auto ppr = Ok("UpdateTable", R"({"TableName":"tb1","BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_STREQ(ppr["TableDescription"]["BillingModeSummary"]["BillingMode"].GetString(),
               "PAY_PER_REQUEST");
  EXPECT_EQ(ppr["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"].GetInt64(), 0);
  EXPECT_EQ(
      Call(
          "UpdateTable",
          R"({"TableName":"tb1","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})"),
      Validation(std::string(kInvalid) +
                 "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                 "BillingMode is PAY_PER_REQUEST"));
  EXPECT_EQ(Call("UpdateTable", R"({"TableName":"tb1","BillingMode":"PROVISIONED"})"),
            Validation(std::string(kInvalid) +
                       "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"));
  auto back = Ok("UpdateTable", R"({"TableName":"tb1","BillingMode":"PROVISIONED",
      "ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}})");
  EXPECT_EQ(back["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"].GetInt64(), 4);
  EXPECT_EQ(
      Call("UpdateTable", R"({"TableName":"tb1","BillingMode":"PAY_PER_REQUEST",
                 "DeletionProtectionEnabled":true})"),
      Validation(std::string(kInvalid) +
                 "DeletionProtection modification must be the only operation in the request"));
  EXPECT_EQ(
      Call(
          "UpdateTable",
          R"({"TableName":"tb1","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1}})"),
      Validation("1 validation error detected: Value '0' at "
                 "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member "
                 "must have value greater than or equal to 1"));
}

TEST_F(TableOpsTest, UpdateTableIndexesAndStreams) {
  Ok("CreateTable", R"({"TableName":"tb1","AttributeDefinitions":[
        {"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL"},
        "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]})");
  auto u = Ok("UpdateTable", R"({"TableName":"tb1","GlobalSecondaryIndexUpdates":[
      {"Update":{"IndexName":"gsi","ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}]})");
  EXPECT_EQ(u["TableDescription"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
             ["ReadCapacityUnits"]
                 .GetInt64(),
            2);
  EXPECT_EQ(
      Call("UpdateTable", R"({"TableName":"tb1","GlobalSecondaryIndexUpdates":[
      {"Update":{"IndexName":"nope","ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}]})"),
      "ERROR ResourceNotFoundException: Requested resource not found: Index nope for table tb1");
  EXPECT_EQ(
      Call("UpdateTable", R"({"TableName":"tb1","GlobalSecondaryIndexUpdates":[{}]})"),
      Validation(std::string(kInvalid) +
                 "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                 "GlobalSecondaryIndexUpdate.Delete must not be null"));
  Ok("UpdateTable",
     R"({"TableName":"tb1","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})");
  EXPECT_EQ(
      Call(
          "UpdateTable",
          R"({"TableName":"tb1","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})"),
      Validation("Table already has an enabled stream: TableName: tb1"));
  auto off =
      Ok("UpdateTable", R"({"TableName":"tb1","StreamSpecification":{"StreamEnabled":false}})");
  EXPECT_FALSE(off["TableDescription"].HasMember("StreamSpecification"));
  EXPECT_EQ(
      Call("UpdateTable", R"({"TableName":"tb1","StreamSpecification":{"StreamEnabled":false}})"),
      Validation("Table has no stream to disable: TableName: tb1"));
}

TEST_F(TableOpsTest, Tags) {
  CreateSimple("tb1");
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/tb1";
  std::string tags;
  for (int i = 0; i < 12; ++i) {
    tags += std::string(i ? "," : "") + R"({"Key":"k)" + std::to_string(i) + R"(","Value":"v"})";
  }
  Ok("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[)" + tags + "]}");
  auto p1 = Ok("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})");
  EXPECT_EQ(p1["Tags"].Size(), 10u);
  ASSERT_TRUE(p1.HasMember("NextToken"));
  auto p2 = Ok("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"(","NextToken":")" +
                                         p1["NextToken"].GetString() + R"("})");
  EXPECT_EQ(p2["Tags"].Size(), 2u);
  EXPECT_FALSE(p2.HasMember("NextToken"));
  Ok("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":["k0","k1","absent"]})");
  EXPECT_EQ(Ok("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})")["Tags"].Size(), 10u);
  EXPECT_EQ(Call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[]})"),
            Validation("Atleast one Tag needs to be provided as Input."));
  EXPECT_EQ(Call("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":[]})"),
            Validation("Atleast one Tag Key needs to be provided as Input."));
  EXPECT_EQ(Call("ListTagsOfResource", R"({"ResourceArn":"tb1"})"),
            Validation(std::string(kInvalid) + "ARNs must start with 'arn:': tb1"));
  EXPECT_EQ(Call("ListTagsOfResource",
                 R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/zz9"})"),
            "ERROR ResourceNotFoundException: Requested resource not found: ResourcArn: "
            "arn:aws:dynamodb:us-east-1:000000000000:table/zz9 not found");
  // Another account's or region's table: AccessDeniedException, whether or
  // not a table of that name exists here.
  for (const char* other : {"arn:aws:dynamodb:us-east-1:111111111111:table/tb1",
                            "arn:aws:dynamodb:eu-west-1:000000000000:table/tb1"}) {
    const std::string denied =
        "ERROR AccessDeniedException: User: arn:aws:iam::000000000000:root "
        "is not authorized to perform: dynamodb:";
    const std::string tail = std::string(" on resource: ") + other +
                             " because no resource-based policy allows the dynamodb:";
    EXPECT_EQ(Call("ListTagsOfResource", std::string(R"({"ResourceArn":")") + other + R"("})"),
              denied + "ListTagsOfResource" + tail + "ListTagsOfResource action");
    EXPECT_EQ(Call("TagResource", std::string(R"({"ResourceArn":")") + other +
                                      R"(","Tags":[{"Key":"k","Value":"v"}]})"),
              denied + "TagResource" + tail + "TagResource action");
    EXPECT_EQ(
        Call("UntagResource", std::string(R"({"ResourceArn":")") + other + R"(","TagKeys":["k"]})"),
        denied + "UntagResource" + tail + "UntagResource action");
  }
  EXPECT_EQ(Call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"(/index/i1"})"),
            Validation(std::string(kInvalid) +
                       "Invalid resource arn provided, only table or stream is accepted. Provided "
                       "resource arn: " +
                       arn + "/index/i1"));
  EXPECT_EQ(Call("ListTagsOfResource", R"({})"),
            Validation("1 validation error detected: Value null at 'resourceArn' failed to "
                       "satisfy constraint: Member must not be null"));
  std::string many;
  for (int i = 0; i < 41; ++i) {
    many += std::string(i ? "," : "") + R"({"Key":"m)" + std::to_string(i) + R"(","Value":"v"})";
  }
  EXPECT_EQ(Call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[)" + many + "]}"),
            Validation("Number of Tags exceed the current limit for the provided ResourceArn"));
}

TEST_F(TableOpsTest, TheTableQuotaRefusesAnotherTableUntilOneIsDeleted) {
  engine_.reset();
  EngineOptions o = testing::InMemoryOptions();
  o.max_tables = 3;
  OpenEngine(o);
  for (const char* name : {"tb1", "tb2", "tb3"}) CreateSimple(name);
  const std::string fourth = R"({"TableName":"tb4",)" + std::string(kPk) +
                             R"(,"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
                             R"("BillingMode":"PAY_PER_REQUEST"})";
  EXPECT_EQ(Call("CreateTable", fourth),
            "ERROR LimitExceededException: Subscriber limit exceeded: There is a limit of 3 "
            "tables per subscriber");
  // An existing name is still that error first.
  EXPECT_EQ(Call("CreateTable", Create(std::string(kPk) + R"(,"BillingMode":"PAY_PER_REQUEST")"))
                .rfind("ERROR ResourceInUseException", 0),
            0u);
  EXPECT_EQ(Ok("ListTables", "{}")["TableNames"].Size(), 3u);
  Ok("DeleteTable", R"({"TableName":"tb2"})");
  Ok("CreateTable", fourth);
}

TEST_F(TableOpsTest, LimitsAndEndpoints) {
  auto l = Ok("DescribeLimits", "{}");
  EXPECT_EQ(l["AccountMaxReadCapacityUnits"].GetInt64(), 80000);
  EXPECT_EQ(l["TableMaxWriteCapacityUnits"].GetInt64(), 40000);
  auto e = Ok("DescribeEndpoints", "{}");
  EXPECT_STREQ(e["Endpoints"][0]["Address"].GetString(), "dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(e["Endpoints"][0]["CachePeriodInMinutes"].GetInt64(), 1440);
}

}  // namespace
}  // namespace ddb
