// What the endpoint tells the audit log about a request
// (server/request_audit.h): the claimed key id, the operation, the
// resources, the outcome - and which operations are recorded at all.
#include "server/request_audit.h"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "server/permissions.h"

namespace server {
namespace {

namespace http = boost::beast::http;

net::HttpRequest Post(std::string target = "/") {
  net::HttpRequest r{http::verb::post, target, 11};
  r.set(http::field::host, "localhost:8000");
  return r;
}

rapidjson::Document Json(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  return d;
}

TEST(RequestAudit, ClaimedAccessKeyIdFromHeaderOrPresignedQuery) {
  net::HttpRequest r = Post();
  EXPECT_EQ(ClaimedAccessKeyId(r), "");
  r.set(http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDADMIN/20261205/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abcdef");
  EXPECT_EQ(ClaimedAccessKeyId(r), "AKIDADMIN");
  r.set(http::field::authorization, "Bearer whatever");
  EXPECT_EQ(ClaimedAccessKeyId(r), "");

  net::HttpRequest p = Post(
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDPRESIGNED%2F20261205%2Fus-east-1"
      "%2Fdynamodb%2Faws4_request&X-Amz-Signature=00");
  EXPECT_EQ(ClaimedAccessKeyId(p), "AKIDPRESIGNED");
  EXPECT_EQ(ClaimedAccessKeyId(Post("/?NotX-Amz-Credential=AKID%2Fx")), "");
}

TEST(RequestAudit, EventNeverCarriesTheSignatureOrBody) {
  net::HttpRequest r = Post();
  r.set(http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDADMIN/20261205/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host, Signature=SECRETSIGNATURE");
  r.set("X-Amz-Security-Token", "SESSIONTOKEN");
  r.set("X-Amz-Target", "DynamoDB_20120810.PutItem");
  r.set(http::field::user_agent, "Boto3/1.26");
  r.body() = R"({"TableName":"t","Item":{"pk":{"S":"ITEMVALUE"}}})";
  net::AuditEvent e = DenialFor(r, net::kDynamoDbEventSource, AuditOperationName(r), "127.0.0.1",
                                "REQ", "AccessDeniedException");
  const std::string line = net::FormatAuditEvent(e, std::chrono::system_clock::now());
  EXPECT_NE(line.find("\"eventName\":\"PutItem\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"accessKeyId\":\"AKIDADMIN\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"outcome\":\"denied\""), std::string::npos) << line;
  for (const char* secret : {"SECRETSIGNATURE", "SESSIONTOKEN", "ITEMVALUE"}) {
    EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
  }
}

TEST(RequestAudit, OperationNameFromTargetElseMethod) {
  net::HttpRequest r = Post();
  EXPECT_EQ(AuditOperationName(r), "POST");
  r.set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminCreateUser");
  EXPECT_EQ(AuditOperationName(r), "AdminCreateUser");
}

TEST(RequestAudit, AuditedOperationsAreTheAdminGroup) {
  const rapidjson::Document empty = Json("{}");
  for (const char* op : {"GetItem",
                         "BatchGetItem",
                         "Query",
                         "Scan",
                         "TransactGetItems",
                         "DescribeTable",
                         "ListTables",
                         "DescribeTimeToLive",
                         "DescribeContinuousBackups",
                         "DescribeBackup",
                         "ListBackups",
                         "ListTagsOfResource",
                         "DescribeLimits",
                         "DescribeEndpoints",
                         "PutItem",
                         "UpdateItem",
                         "DeleteItem",
                         "BatchWriteItem",
                         "TransactWriteItems",
                         "CreateTable",
                         "UpdateTable",
                         "DeleteTable",
                         "CreateBackup",
                         "DeleteBackup",
                         "RestoreTableFromBackup",
                         "RestoreTableToPointInTime",
                         "UpdateTimeToLive",
                         "UpdateContinuousBackups",
                         "TagResource",
                         "UntagResource"}) {
    const bool admin = RequiredAccess(op, false, empty).front().group == ActionGroup::kAdmin;
    EXPECT_EQ(IsAuditedOperation(op, false), admin) << op;
  }
  EXPECT_TRUE(IsAuditedOperation("ExportTableToPointInTime", false));
  EXPECT_TRUE(IsAuditedOperation("ImportTable", false));
  EXPECT_FALSE(IsAuditedOperation("GetRecords", true));
  EXPECT_FALSE(IsAuditedOperation("CreateTable", true));
}

TEST(RequestAudit, ResourcesAreTheTablesAndBackupWithoutRepeatsAndBounded) {
  AccessPolicy access(AccessOptions{});
  auto restore = Json(
      R"({"TargetTableName":"new","BackupArn":"arn:aws:dynamodb:us-east-1:000000000000:table/old/backup/01"})");
  EXPECT_EQ(
      ResourcesOf(access, "RestoreTableFromBackup", false, restore),
      (std::vector<std::string>{"arn:aws:dynamodb:us-east-1:000000000000:table/new",
                                "arn:aws:dynamodb:us-east-1:000000000000:table/old",
                                "arn:aws:dynamodb:us-east-1:000000000000:table/old/backup/01"}));
  auto list = Json("{}");
  EXPECT_TRUE(ResourcesOf(access, "ListTables", false, list).empty());

  std::string many = R"({"RequestItems":{)";
  for (int i = 0; i < 1000; ++i) {
    many += (i ? "," : "") + std::string("\"t") + std::to_string(i) + "\":[]";
  }
  many += "}}";
  auto batch = Json(many.c_str());
  EXPECT_EQ(ResourcesOf(access, "BatchWriteItem", false, batch).size(), net::kAuditMaxResources);
}

TEST(RequestAudit, OutcomeFromStatusAndErrorBody) {
  net::AuditEvent e;
  SetOutcome(e, 200, "{}");
  EXPECT_EQ(e.outcome, net::AuditOutcome::kSuccess);
  SetOutcome(
      e, 400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceInUseException","message":"x"})");
  EXPECT_EQ(e.outcome, net::AuditOutcome::kError);
  EXPECT_EQ(e.error_code, "ResourceInUseException");
  SetOutcome(e, 400, R"({"__type":"NotAuthorizedException","message":"x"})");
  EXPECT_EQ(e.error_code, "NotAuthorizedException");
  SetOutcome(e, 500, "not json");
  EXPECT_EQ(e.error_code, "");
}

TEST(RequestAudit, AdmissionRefusalReason) {
  AccessPolicy access(AccessOptions{});
  net::HttpRequest r = Post();
  r.set(http::field::host, "evil.example");
  EXPECT_EQ(AdmissionRefusalReason(access, r), "Host not allowed");
  r.set(http::field::host, "localhost");
  r.set(http::field::origin, "http://evil.example");
  EXPECT_EQ(AdmissionRefusalReason(access, r), "Origin not allowed");
}

}  // namespace
}  // namespace server
