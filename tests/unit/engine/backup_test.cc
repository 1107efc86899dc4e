// Backups and point-in-time recovery in process, with an injected clock:
// ARNs and creation times, ListBackups time ranges, restore contents, the
// catalog persistence of the TTL/PITR/restore fields, the PITR window.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ddb/engine/engine.h"
#include "ddb/format/table_info.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class BackupTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    UseFakeClock();
    ASSERT_NO_FATAL_FAILURE(OpenEngine());
    std::string r = Call("CreateTable", R"({"TableName":"src",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
    ASSERT_EQ(r.find("ERROR"), std::string::npos) << r;
    for (int i = 0; i < 10; ++i) {
      ASSERT_EQ(Call("PutItem",
                     R"({"TableName":"src","Item":{"pk":{"S":"k)" + std::to_string(i) + R"("}}})"),
                "{}");
    }
  }
};

TEST_F(BackupTest, CreateListRestore) {
  auto b1 = Doc("CreateBackup", R"({"TableName":"src","BackupName":"one"})");
  ASSERT_TRUE(b1.HasMember("BackupDetails"));
  std::string arn1 = b1["BackupDetails"]["BackupArn"].GetString();
  EXPECT_EQ(
      arn1.rfind("arn:aws:dynamodb:us-east-1:000000000000:table/src/backup/01700000000000-", 0), 0u)
      << arn1;
  EXPECT_EQ(b1["BackupDetails"]["BackupCreationDateTime"].GetDouble(), 1'700'000'000.0);
  EXPECT_EQ(b1["BackupDetails"]["BackupSizeBytes"].GetInt64(), 10 * 4);  // "pk" + "kN"

  // Changes after the backup are not in it.
  ASSERT_EQ(Call("DeleteItem", R"({"TableName":"src","Key":{"pk":{"S":"k0"}}})"), "{}");
  g_now = g_now + 100;
  auto b2 = Doc("CreateBackup", R"({"TableName":"src","BackupName":"two"})");
  std::string arn2 = b2["BackupDetails"]["BackupArn"].GetString();

  auto list = Doc("ListBackups", R"({"TimeRangeLowerBound":1700000050})");
  ASSERT_EQ(list["BackupSummaries"].Size(), 1u);
  EXPECT_EQ(std::string(list["BackupSummaries"][0]["BackupArn"].GetString()), arn2);
  list = Doc("ListBackups", R"({"TimeRangeUpperBound":1700000100})");  // exclusive
  ASSERT_EQ(list["BackupSummaries"].Size(), 1u);
  EXPECT_EQ(std::string(list["BackupSummaries"][0]["BackupArn"].GetString()), arn1);

  auto restored =
      Doc("RestoreTableFromBackup", R"({"TargetTableName":"copy","BackupArn":")" + arn1 + R"("})");
  ASSERT_TRUE(restored.HasMember("TableDescription"));
  EXPECT_EQ(std::string(restored["TableDescription"]["TableStatus"].GetString()), "ACTIVE");
  EXPECT_EQ(restored["TableDescription"]["ItemCount"].GetInt(), 10);
  EXPECT_EQ(restored["TableDescription"]["RestoreSummary"]["RestoreDateTime"].GetDouble(),
            1'700'000'100.0);
  auto got = Doc("GetItem", R"({"TableName":"copy","Key":{"pk":{"S":"k0"}}})");
  EXPECT_TRUE(got.HasMember("Item"));
  EXPECT_EQ(
      Call("RestoreTableFromBackup", R"({"TargetTableName":"copy","BackupArn":")" + arn2 + R"("})"),
      "ERROR TableAlreadyExistsException: Table already exists: copy");
}

TEST_F(BackupTest, PointInTimeWindow) {
  EXPECT_EQ(
      Call("RestoreTableToPointInTime",
           R"({"SourceTableName":"src","TargetTableName":"pitr","UseLatestRestorableTime":true})"),
      "ERROR PointInTimeRecoveryUnavailableException: Point in time recovery is not enabled "
      "for table 'src'");
  auto on = Doc(
      "UpdateContinuousBackups",
      R"({"TableName":"src","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})");
  const auto& p = on["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
  EXPECT_EQ(p["EarliestRestorableDateTime"].GetDouble(), 1'700'000'000.0);
  EXPECT_EQ(p["RecoveryPeriodInDays"].GetInt(), 35);
  g_now = g_now + 40.0 * 86400;  // the window slides: 35 days back from now
  auto d = Doc("DescribeContinuousBackups", R"({"TableName":"src"})");
  EXPECT_EQ(d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
             ["EarliestRestorableDateTime"]
                 .GetDouble(),
            g_now.load() - 35.0 * 86400);
  // Before the window: refused (pitr_test.cc covers restores inside it).
  std::string r = Call("RestoreTableToPointInTime",
                       R"({"SourceTableName":"src","TargetTableName":"pitr","RestoreDateTime":)" +
                           std::to_string(static_cast<long long>(g_now.load()) - 36 * 86400) + "}");
  EXPECT_EQ(r,
            "ERROR InvalidRestoreTimeException: RestoreDateTime must be between "
            "EarliestRestorableDateTime and LatestRestorableDateTime.");
  auto ok =
      Doc("RestoreTableToPointInTime",
          R"({"SourceTableName":"src","TargetTableName":"pitr","UseLatestRestorableTime":true})");
  EXPECT_EQ(ok["TableDescription"]["ItemCount"].GetInt(), 10);
}

TEST(TableInfoPersistenceTest, TtlPitrAndRestoreFieldsRoundTrip) {
  TableInfo t;
  t.name = "x";
  t.key.hash = {"pk", AttrType::kS};
  t.ttl_enabled = true;
  t.ttl_attribute = "exp";
  t.ttl_modified_time = 12.5;
  t.pitr_enabled = true;
  t.pitr_enabled_time = 99.25;
  t.pitr_recovery_days = 7;
  t.restore_source_backup_arn = "arn:b";
  t.restore_source_table_arn = "arn:t";
  t.restore_time = 5;
  auto back = ParseTableInfo(SerializeTableInfo(t));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->ttl_enabled);
  EXPECT_EQ(back->ttl_attribute, "exp");
  EXPECT_EQ(back->ttl_modified_time, 12.5);
  EXPECT_TRUE(back->pitr_enabled);
  EXPECT_EQ(back->pitr_enabled_time, 99.25);
  EXPECT_EQ(back->pitr_recovery_days, 7);
  EXPECT_EQ(back->restore_source_backup_arn, "arn:b");
  EXPECT_EQ(back->restore_source_table_arn, "arn:t");
  EXPECT_EQ(back->restore_time, 5);
}

}  // namespace
}  // namespace ddb
