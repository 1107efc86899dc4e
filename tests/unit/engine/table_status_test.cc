// Tables that are not ACTIVE (format/catalog.h: Catalog::Get, IsServing,
// CheckChangeable): a CREATING table, as an import or a restore leaves it
// while it fills, is described and listed, answers every data-plane call as
// if it did not exist, and refuses DeleteTable and UpdateTable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ddb/engine/engine.h"
#include "ddb/format/catalog.h"
#include "ddb/storage/store.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

namespace fs = std::filesystem;

constexpr char kNotFound[] = "ERROR ResourceNotFoundException: Requested resource not found";

class TableStatusTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("table_status_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    PlantTables();
    EngineOptions o = testing::InMemoryOptions();
    o.store.in_memory = false;
    o.store.path = dir_.string();
    o.store.sync = false;
    o.ttl_sweep_seconds = 0;
    OpenEngine(o);
  }
  void TearDown() override {
    EngineFixture::TearDown();
    fs::remove_all(dir_);
  }

  // "busy" CREATING (with one item already written, as a half-done import
  // has) and "live" ACTIVE, both keyed by pk (S).
  void PlantTables() {
    StoreOptions so;
    so.path = dir_.string();
    so.sync = false;
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok());
    Catalog catalog(store->get());
    ASSERT_TRUE(catalog.Load().ok());
    for (const char* name : {"busy", "live"}) {
      TableInfo info;
      info.name = name;
      info.key.hash = {"pk", AttrType::kS};
      info.attribute_definitions = {{"pk", AttrType::kS}};
      info.billing_mode = "PAY_PER_REQUEST";
      info.status = std::string(name) == "busy" ? "CREATING" : "ACTIVE";
      info.region = "us-east-1";
      info.account = "000000000000";
      ASSERT_TRUE(catalog.Create(info).ok());
    }
  }

  fs::path dir_;
};

TEST_F(TableStatusTest, ServingStatuses) {
  EXPECT_TRUE(IsServing("ACTIVE"));
  EXPECT_TRUE(IsServing("UPDATING"));
  EXPECT_FALSE(IsServing("CREATING"));
  EXPECT_FALSE(IsServing("DELETING"));
}

TEST_F(TableStatusTest, ControlPlaneSeesACreatingTable) {
  auto d = Doc("DescribeTable", R"({"TableName":"busy"})");
  EXPECT_STREQ(d["Table"]["TableStatus"].GetString(), "CREATING");
  auto l = Doc("ListTables", "{}");
  ASSERT_EQ(l["TableNames"].Size(), 2u);
  EXPECT_STREQ(l["TableNames"][0].GetString(), "busy");
}

TEST_F(TableStatusTest, DataPlaneCallsAnswerResourceNotFound) {
  const std::string key = R"("Key":{"pk":{"S":"a"}})";
  const std::string item = R"({"pk":{"S":"a"}})";
  const std::pair<const char*, std::string> calls[] = {
      {"GetItem", R"({"TableName":"busy",)" + key + "}"},
      {"PutItem", R"({"TableName":"busy","Item":)" + item + "}"},
      {"UpdateItem",
       R"({"TableName":"busy",)" + key +
           R"(,"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})"},
      {"DeleteItem", R"({"TableName":"busy",)" + key + "}"},
      {"Query", R"({"TableName":"busy","KeyConditionExpression":"pk = :p",)"
                R"("ExpressionAttributeValues":{":p":{"S":"a"}}})"},
      {"Scan", R"({"TableName":"busy"})"},
      {"BatchGetItem", R"({"RequestItems":{"live":{"Keys":[{"pk":{"S":"a"}}]},)"
                       R"("busy":{"Keys":[{"pk":{"S":"a"}}]}}})"},
      {"BatchWriteItem", R"({"RequestItems":{"live":[{"PutRequest":{"Item":)" + item +
                             R"(}}],"busy":[{"PutRequest":{"Item":)" + item + "}}]}}"},
      {"TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"live",)" + key +
                               R"(}},{"Get":{"TableName":"busy",)" + key + "}}]}"},
      {"TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"live","Item":)" + item +
                                 R"(}},{"ConditionCheck":{"TableName":"busy",)" + key +
                                 R"x(,"ConditionExpression":"attribute_exists(pk)"}}]})x"},
      {"ExecuteStatement", R"({"Statement":"SELECT * FROM \"busy\""})"},
      {"ExecuteStatement", R"({"Statement":"INSERT INTO \"busy\" VALUE {'pk':'b'}"})"},
  };
  for (const auto& [op, json] : calls) {
    EXPECT_EQ(Call(op, json), kNotFound) << op << " " << json;
  }
  // Nothing was written to the ACTIVE table by the refused batches.
  EXPECT_EQ(Call("GetItem", R"({"TableName":"live",)" + key + "}"), "{}");
  // A statement of a batch fails alone, as for a table that does not exist.
  const std::string batch =
      R"({"Statements":[{"Statement":"SELECT * FROM \"busy\" WHERE pk = 'a'"}]})";
  std::string absent =
      Call("BatchExecuteStatement", R"({"Statements":[{"Statement":)"
                                    R"("SELECT * FROM \"nope\" WHERE pk = 'a'"}]})");
  std::string busy = Call("BatchExecuteStatement", batch);
  EXPECT_EQ(busy.rfind("ERROR", 0), std::string::npos) << busy;
  EXPECT_EQ(busy.find("ResourceNotFound") != std::string::npos,
            absent.find("ResourceNotFound") != std::string::npos)
      << busy << "\n"
      << absent;
}

TEST_F(TableStatusTest, DeleteAndUpdateTableAnswerResourceInUse) {
  const std::string in_use =
      "ERROR ResourceInUseException: Attempt to change a resource which is still in use: Table is "
      "being created: busy";
  EXPECT_EQ(Call("DeleteTable", R"({"TableName":"busy"})"), in_use);
  EXPECT_EQ(Call("UpdateTable", R"({"TableName":"busy","DeletionProtectionEnabled":true})"),
            in_use);
  EXPECT_EQ(Call("UpdateTable", R"({"TableName":"busy","StreamSpecification":)"
                                R"({"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})"),
            in_use);
  auto d = Doc("DescribeTable", R"({"TableName":"busy"})");
  EXPECT_STREQ(d["Table"]["TableStatus"].GetString(), "CREATING");
  // An ACTIVE table is not affected.
  EXPECT_EQ(Call("DeleteTable", R"({"TableName":"live"})").rfind("ERROR", 0), std::string::npos);
}

// The table-level control calls on a CREATING table (the comments at each
// call in the engine name the evidence): UpdateTimeToLive is refused as
// UpdateTable is; the tag calls do not find the ARN; the backup and PITR
// calls answer "Table not found"; DescribeTimeToLive answers.
TEST_F(TableStatusTest, TableLevelCallsOnACreatingTable) {
  const std::string in_use =
      "ERROR ResourceInUseException: Attempt to change a resource which is still in use: Table is "
      "being created: busy";
  EXPECT_EQ(Call("UpdateTimeToLive", R"({"TableName":"busy","TimeToLiveSpecification":)"
                                     R"({"AttributeName":"ttl","Enabled":true}})"),
            in_use);
  auto ttl = Doc("DescribeTimeToLive", R"({"TableName":"busy"})");
  EXPECT_STREQ(ttl["TimeToLiveDescription"]["TimeToLiveStatus"].GetString(), "DISABLED");

  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/busy";
  const std::string arn_not_found =
      "ERROR ResourceNotFoundException: Requested resource not found: ResourcArn: " + arn +
      " not found";
  EXPECT_EQ(
      Call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k","Value":"v"}]})"),
      arn_not_found);
  EXPECT_EQ(Call("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":["k"]})"),
            arn_not_found);
  EXPECT_EQ(Call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})"), arn_not_found);

  const std::string table_not_found = "ERROR TableNotFoundException: Table not found: busy";
  EXPECT_EQ(Call("CreateBackup", R"({"TableName":"busy","BackupName":"bk1"})"), table_not_found);
  EXPECT_EQ(Call("DescribeContinuousBackups", R"({"TableName":"busy"})"), table_not_found);
  EXPECT_EQ(
      Call("UpdateContinuousBackups", R"({"TableName":"busy","PointInTimeRecoverySpecification":)"
                                      R"({"PointInTimeRecoveryEnabled":true}})"),
      table_not_found);

  // The same calls on the ACTIVE table succeed.
  Ok("UpdateTimeToLive", R"({"TableName":"live","TimeToLiveSpecification":)"
                         R"({"AttributeName":"ttl","Enabled":true}})");
  const std::string live = "arn:aws:dynamodb:us-east-1:000000000000:table/live";
  Ok("TagResource", R"({"ResourceArn":")" + live + R"(","Tags":[{"Key":"k","Value":"v"}]})");
  auto tags = Doc("ListTagsOfResource", R"({"ResourceArn":")" + live + R"("})");
  EXPECT_EQ(tags["Tags"].Size(), 1u);
  Ok("CreateBackup", R"({"TableName":"live","BackupName":"bk1"})");
  Ok("UpdateContinuousBackups", R"({"TableName":"live","PointInTimeRecoverySpecification":)"
                                R"({"PointInTimeRecoveryEnabled":true}})");
}

}  // namespace
}  // namespace ddb
