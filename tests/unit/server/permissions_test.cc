// Permission matching: glob patterns, groups, and the tables each operation
// names (server/permissions.h).
#include "server/permissions.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace server {
namespace {

rapidjson::Document Json(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  return d;
}

Grant G(uint8_t groups, std::vector<std::string> patterns) {
  return Grant{groups, std::move(patterns)};
}

constexpr uint8_t kRead = static_cast<uint8_t>(ActionGroup::kRead);
constexpr uint8_t kWrite = static_cast<uint8_t>(ActionGroup::kWrite);

TEST(GlobMatch, Patterns) {
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("cruddur-*", "cruddur-messages"));
  EXPECT_TRUE(GlobMatch("cruddur-*", "cruddur-"));
  EXPECT_FALSE(GlobMatch("cruddur-*", "cruddur"));
  EXPECT_FALSE(GlobMatch("cruddur-*", "xcruddur-messages"));
  EXPECT_TRUE(GlobMatch("*-messages", "cruddur-messages"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("cruddur-messages", "cruddur-messages"));
  EXPECT_FALSE(GlobMatch("cruddur-messages", "cruddur-messages2"));
  EXPECT_FALSE(GlobMatch("cruddur-*", "*"));  // the "no table named" sentinel
}

TEST(GroupNames, ParseAndName) {
  EXPECT_EQ(ParseGroupName("read"), kRead);
  EXPECT_EQ(ParseGroupName("userpool-admin"), static_cast<uint8_t>(ActionGroup::kUserPoolAdmin));
  EXPECT_EQ(ParseGroupName("*"), kAllGroups);
  EXPECT_FALSE(ParseGroupName("Read").has_value());
  EXPECT_FALSE(ParseGroupName("wirte").has_value());
  EXPECT_EQ(GroupName(ActionGroup::kStreams), "streams");
}

TEST(Allows, GroupsAndPatterns) {
  std::vector<Grant> grants = {G(kRead, {"cruddur-*"}), G(kWrite, {"cruddur-messages"})};
  EXPECT_TRUE(Allows(grants, ActionGroup::kRead, "cruddur-users"));
  EXPECT_TRUE(Allows(grants, ActionGroup::kWrite, "cruddur-messages"));
  EXPECT_FALSE(Allows(grants, ActionGroup::kWrite, "cruddur-users"));
  EXPECT_FALSE(Allows(grants, ActionGroup::kRead, "other"));
  EXPECT_FALSE(Allows(grants, ActionGroup::kAdmin, "cruddur-messages"));
  EXPECT_TRUE(Allows(grants, ActionGroup::kRead, ""));  // ListTables
  EXPECT_FALSE(Allows(grants, ActionGroup::kStreams, ""));
  EXPECT_FALSE(Allows({}, ActionGroup::kRead, ""));
}

std::vector<std::pair<ActionGroup, std::string>> Needs(const char* op, const char* body,
                                                       bool streams = false) {
  auto doc = Json(body);
  std::vector<std::pair<ActionGroup, std::string>> out;
  for (const Need& n : RequiredAccess(op, streams, doc)) out.emplace_back(n.group, n.table);
  return out;
}

using P = std::pair<ActionGroup, std::string>;

TEST(RequiredAccess, ItemOperations) {
  EXPECT_EQ(Needs("PutItem", R"({"TableName":"t"})"), (std::vector<P>{{ActionGroup::kWrite, "t"}}));
  EXPECT_EQ(Needs("GetItem", R"({"TableName":"t"})"), (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("Query", R"({"TableName":"arn:aws:dynamodb:us-east-1:1:table/t"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  // No table named: checked as "*", which only a grant on every table has.
  EXPECT_EQ(Needs("PutItem", R"({})"), (std::vector<P>{{ActionGroup::kWrite, "*"}}));
}

TEST(RequiredAccess, BatchesAndTransactionsNameEveryTable) {
  EXPECT_EQ(Needs("BatchWriteItem", R"({"RequestItems":{"a":[],"b":[]}})"),
            (std::vector<P>{{ActionGroup::kWrite, "a"}, {ActionGroup::kWrite, "b"}}));
  EXPECT_EQ(Needs("BatchGetItem", R"({"RequestItems":{"a":{}}})"),
            (std::vector<P>{{ActionGroup::kRead, "a"}}));
  EXPECT_EQ(
      Needs("TransactWriteItems",
            R"({"TransactItems":[{"Put":{"TableName":"a"}},{"ConditionCheck":{"TableName":"b"}},
                      {"Delete":{"TableName":"c"}}]})"),
      (std::vector<P>{
          {ActionGroup::kWrite, "a"}, {ActionGroup::kRead, "b"}, {ActionGroup::kWrite, "c"}}));
  EXPECT_EQ(Needs("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"a"}}]})"),
            (std::vector<P>{{ActionGroup::kRead, "a"}}));
}

TEST(RequiredAccess, ControlPlane) {
  EXPECT_EQ(Needs("UpdateTimeToLive", R"({"TableName":"t"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "t"}}));
  EXPECT_EQ(Needs("TagResource", R"({"ResourceArn":"arn:aws:dynamodb:r:1:table/t"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "t"}}));
  EXPECT_EQ(
      Needs("RestoreTableFromBackup",
            R"({"TargetTableName":"new","BackupArn":"arn:aws:dynamodb:r:1:table/old/backup/x"})"),
      (std::vector<P>{{ActionGroup::kAdmin, "new"}, {ActionGroup::kAdmin, "old"}}));
  EXPECT_EQ(Needs("RestoreTableToPointInTime",
                  R"({"TargetTableName":"new","SourceTableArn":"arn:aws:dynamodb:r:1:table/old"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "new"}, {ActionGroup::kAdmin, "old"}}));
  EXPECT_EQ(Needs("ListTables", R"({})"), (std::vector<P>{{ActionGroup::kRead, ""}}));
  EXPECT_EQ(Needs("ListBackups", R"({"TableName":"t"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  // Unknown operations need admin everywhere.
  EXPECT_EQ(Needs("SomeFutureOperation", R"({})"), (std::vector<P>{{ActionGroup::kAdmin, "*"}}));
}

TEST(RequiredAccess, ExportsAreOnTheirTable) {
  EXPECT_EQ(Needs("ExportTableToPointInTime",
                  R"({"TableArn":"arn:aws:dynamodb:r:1:table/t","S3Bucket":"b"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "t"}}));
  // No TableArn: checked as "*" (the engine then refuses the request).
  EXPECT_EQ(Needs("ExportTableToPointInTime", R"({"S3Bucket":"b"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "*"}}));
  EXPECT_EQ(Needs("DescribeExport",
                  R"({"ExportArn":"arn:aws:dynamodb:r:1:table/t/export/01234567890123-abcdef01"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("ListExports", R"({"TableArn":"arn:aws:dynamodb:r:1:table/t"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("ListExports", R"({})"), (std::vector<P>{{ActionGroup::kRead, ""}}));
  EXPECT_TRUE(IsControlPlaneOperation("ExportTableToPointInTime"));
  EXPECT_FALSE(IsControlPlaneOperation("DescribeExport"));
}

TEST(RequiredAccess, ImportsAreOnTheNewTable) {
  EXPECT_EQ(Needs("ImportTable", R"({"TableCreationParameters":{"TableName":"new"}})"),
            (std::vector<P>{{ActionGroup::kAdmin, "new"}}));
  // No table name: checked as "*" (the engine then refuses the request).
  EXPECT_EQ(Needs("ImportTable", R"({"InputFormat":"CSV"})"),
            (std::vector<P>{{ActionGroup::kAdmin, "*"}}));
  EXPECT_EQ(Needs("DescribeImport",
                  R"({"ImportArn":"arn:aws:dynamodb:r:1:table/t/import/01234567890123-abcdef01"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("ListImports", R"({"TableArn":"arn:aws:dynamodb:r:1:table/t"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("ListImports", R"({})"), (std::vector<P>{{ActionGroup::kRead, ""}}));
  EXPECT_TRUE(IsControlPlaneOperation("ImportTable"));
  EXPECT_FALSE(IsControlPlaneOperation("DescribeImport"));
}

TEST(RequiredAccess, PartiqlStatementsNeedWhatTheyDo) {
  EXPECT_EQ(Needs("ExecuteStatement", R"({"Statement":"SELECT * FROM \"t\" WHERE a = ?"})"),
            (std::vector<P>{{ActionGroup::kRead, "t"}}));
  EXPECT_EQ(Needs("ExecuteStatement", R"({"Statement":"INSERT INTO t VALUE {'a': 1}"})"),
            (std::vector<P>{{ActionGroup::kWrite, "t"}}));
  EXPECT_EQ(Needs("ExecuteStatement", R"({"Statement":"not a statement"})"),
            (std::vector<P>{{ActionGroup::kWrite, "*"}}));
  EXPECT_EQ(Needs("ExecuteStatement", R"({})"), (std::vector<P>{{ActionGroup::kWrite, "*"}}));
  EXPECT_EQ(Needs("BatchExecuteStatement",
                  R"({"Statements":[{"Statement":"UPDATE a SET x = 1 WHERE k = 1"},)"
                  R"({"Statement":"DELETE FROM b WHERE k = 1"}]})"),
            (std::vector<P>{{ActionGroup::kWrite, "a"}, {ActionGroup::kWrite, "b"}}));
  EXPECT_EQ(Needs("ExecuteTransaction",
                  R"j({"TransactStatements":[{"Statement":"EXISTS(SELECT * FROM a WHERE k = 1)"},)j"
                  R"j({"Statement":"DELETE FROM b WHERE k = 1"}]})j"),
            (std::vector<P>{{ActionGroup::kRead, "a"}, {ActionGroup::kWrite, "b"}}));
}

TEST(RequiredAccess, Streams) {
  const char* arn =
      "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000";
  std::string body = std::string(R"({"StreamArn":")") + arn + R"("})";
  EXPECT_EQ(Needs("DescribeStream", body.c_str(), true),
            (std::vector<P>{{ActionGroup::kStreams, "t"}}));
  std::string it = std::string(R"({"ShardIterator":")") + arn + R"(|1|2|3|abcd"})";
  EXPECT_EQ(Needs("GetRecords", it.c_str(), true), (std::vector<P>{{ActionGroup::kStreams, "t"}}));
  EXPECT_EQ(Needs("ListStreams", "{}", true), (std::vector<P>{{ActionGroup::kStreams, ""}}));
  // A DynamoDB operation name under the Streams target is not the same action.
  EXPECT_EQ(Needs("PutItem", R"({"TableName":"t"})", true),
            (std::vector<P>{{ActionGroup::kAdmin, "*"}}));
}

TEST(TableOfArn, Forms) {
  EXPECT_EQ(TableOfArn("arn:aws:dynamodb:us-east-1:1:table/t"), "t");
  EXPECT_EQ(TableOfArn("arn:aws:dynamodb:us-east-1:1:table/t/stream/x"), "t");
  EXPECT_EQ(TableOfArn("arn:aws:dynamodb:us-east-1:1:global-table/t"), "");
  EXPECT_EQ(TableOfArn("nonsense"), "");
}

}  // namespace
}  // namespace server
