// DynamoDB's validation phases for the item operations: the per-operation
// member passes (validation_items.h) and the Constraints collector.
#include "ddb/engine/validation.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "ddb/engine/validation_items.h"

namespace ddb {
namespace {

rapidjson::Document Parse(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

// "<ErrorName>: <message>", or "OK".
std::string Describe(const Status& st) {
  return st.ok() ? "OK" : st.error().Name() + ": " + st.error().message;
}

TEST(ValidationTest, ConstraintsCountsAndJoinsEntries) {
  Constraints c;
  EXPECT_EQ(Describe(c.ToStatus()), "OK");
  c.Null("key");
  EXPECT_EQ(Describe(c.ToStatus()),
            "ValidationException: 1 validation error detected: Value null at 'key' failed to "
            "satisfy constraint: Member must not be null");
  c.Null("tableName");
  EXPECT_EQ(Describe(c.ToStatus()),
            "ValidationException: 2 validation errors detected: Value null at 'key' failed to "
            "satisfy constraint: Member must not be null; Value null at 'tableName' failed to "
            "satisfy constraint: Member must not be null");
}

TEST(ValidationTest, ConstraintsKeepsAtMostTen) {
  Constraints c;
  for (int i = 0; i < 12; ++i) c.Null("m" + std::to_string(i));
  EXPECT_EQ(Describe(c.ToStatus()).rfind("ValidationException: 10 validation errors detected: ", 0),
            0u);
}

TEST(ValidationTest, GetItemReportsEveryViolation) {
  auto req = Parse(R"({"TableName":"ab","ReturnConsumedCapacity":"hi"})");
  EXPECT_EQ(Describe(ValidateGetItemMembers(req)),
            "ValidationException: 3 validation errors detected: Value 'hi' at "
            "'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum "
            "value set: [INDEXES, TOTAL, NONE]; Value 'ab' at 'tableName' failed to satisfy "
            "constraint: Member must have length greater than or equal to 3; Value null at 'key' "
            "failed to satisfy constraint: Member must not be null");
}

TEST(ValidationTest, SerializationErrorWinsOverConstraints) {
  auto req = Parse(R"({"ReturnValues":"bad","Key":[]})");
  EXPECT_EQ(Describe(ValidateDeleteItemMembers(req)),
            "SerializationException: Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>");
}

TEST(ValidationTest, TableArnIsValidatedByItsName) {
  auto ok = Parse(R"({"TableName":"arn:aws:dynamodb:us-east-1:123456789012:table/abc","Key":{}})");
  EXPECT_EQ(Describe(ValidateGetItemMembers(ok)), "OK");
  auto bad = Parse(R"({"TableName":"arn:aws:dynamodb:us-east-1:123456789012:table/a","Key":{}})");
  EXPECT_EQ(Describe(ValidateGetItemMembers(bad)),
            "ValidationException: 1 validation error detected: Value 'a' at 'tableName' failed "
            "to satisfy constraint: Member must have length greater than or equal to 3");
}

TEST(ValidationTest, ScanRangesAndQueryLimit) {
  auto scan = Parse(R"({"TableName":"abc","Segment":1000000,"TotalSegments":1000001})");
  EXPECT_EQ(Describe(ValidateScanMembers(scan)),
            "ValidationException: 2 validation errors detected: Value '1000000' at 'segment' "
            "failed to satisfy constraint: Member must have value less than or equal to 999999; "
            "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have "
            "value less than or equal to 1000000");
  auto query = Parse(R"({"TableName":"abc","Limit":0})");
  EXPECT_EQ(Describe(ValidateQueryMembers(query)),
            "ValidationException: 1 validation error detected: Value '0' at 'limit' failed to "
            "satisfy constraint: Member must have value greater than or equal to 1");
}

TEST(ValidationTest, BatchWriteRequestsNeedTheirItemAndKey) {
  auto req = Parse(R"({"RequestItems":{"abc":[{"PutRequest":{},"DeleteRequest":{}}]}})");
  EXPECT_EQ(Describe(ValidateBatchWriteItemMembers(req)),
            "ValidationException: 2 validation errors detected: Value null at "
            "'requestItems.abc.member.1.member.deleteRequest.key' failed to satisfy constraint: "
            "Member must not be null; Value null at "
            "'requestItems.abc.member.1.member.putRequest.item' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(ValidationTest, TransactGetNeedsGet) {
  auto req = Parse(R"({"TransactItems":[{}]})");
  EXPECT_EQ(Describe(ValidateTransactGetItemsMembers(req)),
            "ValidationException: 1 validation error detected: Value null at "
            "'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
}

}  // namespace
}  // namespace ddb
