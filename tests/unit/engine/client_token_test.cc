// TransactWriteItems' ClientRequestToken (engine/transactions.h): a replay
// within ten minutes succeeds without running again and reports read
// capacity, other parameters are a mismatch, a cancelled transaction leaves
// no token, the token survives closing and reopening the engine (its record
// is in the transaction's batch), and an expired one is forgotten and its
// record deleted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ddb/engine/engine.h"
#include "ddb/format/keys.h"
#include "ddb/storage/store.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class ClientTokenTest : public testing::EngineFixture {
 protected:
  void SetUp() override { UseFakeClock(); }
  void TearDown() override {
    EngineFixture::TearDown();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // An engine over a directory that outlives it (reopened by Reopen).
  void OpenDurable() {
    if (dir_.empty()) {
      dir_ = std::filesystem::path(::testing::TempDir()) /
             ("client_token_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
    }
    EngineOptions o;
    o.store.path = dir_.string();
    o.store.sync = false;
    o.ttl_sweep_seconds = 0;
    OpenEngine(o);
  }
  void Reopen() {
    engine_.reset();
    OpenDurable();
  }
  // Token records in the (closed) store.
  size_t TokenRecords() {
    EXPECT_FALSE(engine_) << "close the engine first";
    StoreOptions so;
    so.path = dir_.string();
    auto s = Store::Open(so);
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return 0;
    const std::string prefix = keys::ClientTokenPrefix();
    auto cur = (*s)->NewCursor(prefix, keys::PrefixEnd(prefix));
    size_t n = 0;
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) ++n;
    return n;
  }

  void CreateTable() {
    Ok("CreateTable", R"({"TableName":"txn",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST"})");
    Ok("PutItem", R"({"TableName":"txn","Item":{"pk":{"S":"n"},"c":{"N":"0"}}})");
  }
  // ADD c :by to item "n", under `token`.
  std::string Increment(const std::string& token, int by = 1, const std::string& extra = "") {
    return Call("TransactWriteItems",
                R"({"TransactItems":[{"Update":{"TableName":"txn","Key":{"pk":{"S":"n"}},
                    "UpdateExpression":"ADD c :by",
                    "ExpressionAttributeValues":{":by":{"N":")" +
                    std::to_string(by) + R"("}}}}],"ClientRequestToken":")" + token + "\"" + extra +
                    "}");
  }
  std::string Counter() {
    auto d = Doc("GetItem", R"({"TableName":"txn","Key":{"pk":{"S":"n"}}})");
    return d["Item"]["c"]["N"].GetString();
  }

  std::filesystem::path dir_;
};

TEST_F(ClientTokenTest, ReplayDoesNotRunAgainAndReportsReadCapacity) {
  OpenEngine();
  CreateTable();
  EXPECT_EQ(Increment("t1", 1, R"(,"ReturnConsumedCapacity":"TOTAL")"),
            R"({"ConsumedCapacity":[{"TableName":"txn","CapacityUnits":2.0,)"
            R"("WriteCapacityUnits":2.0}]})");
  EXPECT_EQ(Increment("t1", 1, R"(,"ReturnConsumedCapacity":"TOTAL")"),
            R"({"ConsumedCapacity":[{"TableName":"txn","CapacityUnits":1.0,)"
            R"("ReadCapacityUnits":1.0}]})");
  EXPECT_EQ(Increment("t1"), "{}");
  EXPECT_EQ(Counter(), "1");
  EXPECT_EQ(Increment("t1", 2),
            "ERROR IdempotentParameterMismatchException: The request uses the same client token "
            "as a previous, but non-identical request.");
  EXPECT_EQ(Counter(), "1");
}

TEST_F(ClientTokenTest, CancelledTransactionLeavesNoToken) {
  OpenEngine();
  CreateTable();
  // A Put of "new" on the condition that it has a "gate".
  const std::string checked =
      "{\"TransactItems\":[{\"Put\":{\"TableName\":\"txn\",\"Item\":{\"pk\":{\"S\":\"new\"}},"
      "\"ConditionExpression\":\"attribute_exists(gate)\"}}],\"ClientRequestToken\":\"t2\"}";
  EXPECT_EQ(Call("TransactWriteItems", checked).rfind("ERROR TransactionCanceledException", 0), 0u);
  // The same parameters run anew; other parameters are no mismatch either.
  Ok("PutItem", R"({"TableName":"txn","Item":{"pk":{"S":"new"},"gate":{"BOOL":true}}})");
  Ok("TransactWriteItems", checked);
  EXPECT_EQ(Call("GetItem", R"({"TableName":"txn","Key":{"pk":{"S":"new"}}})"),
            R"({"Item":{"pk":{"S":"new"}}})");
  EXPECT_EQ(Increment("t3"), "{}");
  EXPECT_EQ(Call("TransactWriteItems", checked), "{}");  // t2 is now remembered: a replay
}

TEST_F(ClientTokenTest, TokenSurvivesReopening) {
  OpenDurable();
  CreateTable();
  EXPECT_EQ(Increment("durable"), "{}");
  Reopen();
  EXPECT_EQ(Increment("durable"), "{}");
  EXPECT_EQ(Counter(), "1");
  EXPECT_EQ(Increment("durable", 5).rfind("ERROR IdempotentParameterMismatchException", 0), 0u);
  g_now = g_now + 9 * 60;  // still within ten minutes of the commit
  Reopen();
  EXPECT_EQ(Increment("durable"), "{}");
  EXPECT_EQ(Counter(), "1");
}

TEST_F(ClientTokenTest, ExpiredTokenRunsAgainAndItsRecordIsDeleted) {
  OpenDurable();
  CreateTable();
  EXPECT_EQ(Increment("old"), "{}");
  EXPECT_EQ(Increment("other"), "{}");
  engine_.reset();
  EXPECT_EQ(TokenRecords(), 2u);
  g_now = g_now + 10 * 60;  // ten minutes after: a new request
  OpenDurable();
  EXPECT_EQ(Increment("old", 7), "{}");
  EXPECT_EQ(Counter(), "9");
  engine_.reset();
  EXPECT_EQ(TokenRecords(), 1u);  // "other" dropped at the start, "old" written again
  OpenDurable();
  EXPECT_EQ(Increment("old", 7), "{}");  // the new use is remembered
  EXPECT_EQ(Counter(), "9");
  // In a running engine: an expired token is forgotten, and its record is
  // deleted by a later claim (at most once a minute).
  g_now = g_now + 11 * 60;
  EXPECT_EQ(Increment("late"), "{}");
  EXPECT_EQ(Counter(), "10");
  engine_.reset();
  EXPECT_EQ(TokenRecords(), 1u);  // only "late"
}

}  // namespace
}  // namespace ddb
