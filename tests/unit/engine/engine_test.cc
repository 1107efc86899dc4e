// The engine end to end, in process: requests in, responses out, over an
// in-memory store. Pins the behaviour the wire tests cannot reach cheaply:
// exact per-item serialization under concurrency and index exactness.
#include "ddb/engine/engine.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>
#include <vector>

#include "engine_test_util.h"

namespace ddb {
namespace {

class EngineTest : public testing::EngineFixture {
 protected:
  void SetUp() override { OpenEngine(); }

  void CreateMessagesTable() {
    std::string r = Call("CreateTable", R"({
      "TableName": "msgs",
      "AttributeDefinitions": [{"AttributeName":"pk","AttributeType":"S"},
                               {"AttributeName":"sk","AttributeType":"S"},
                               {"AttributeName":"g","AttributeType":"S"}],
      "KeySchema": [{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes": [{"IndexName":"g-sk","KeySchema":[
          {"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
          "Projection":{"ProjectionType":"ALL"}}],
      "BillingMode": "PAY_PER_REQUEST"})");
    ASSERT_EQ(r.find("ERROR"), std::string::npos) << r;
  }
};

TEST_F(EngineTest, ConcurrentConditionalIncrementsEndAtExactlyN) {
  ASSERT_EQ(
      Call(
          "CreateTable",
          R"({"TableName":"ctr","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})")
          .find("ERROR"),
      std::string::npos);
  ASSERT_EQ(Call("PutItem", R"({"TableName":"ctr","Item":{"id":{"S":"x"},"n":{"N":"0"}}})"), "{}");
  constexpr int kThreads = 8, kPerThread = 100;
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread;) {
        // Read, then write conditionally on the value read: lost updates
        // would show up as a final count below N.
        auto got = Doc("GetItem", R"({"TableName":"ctr","Key":{"id":{"S":"x"}}})");
        std::string n = got["Item"]["n"]["N"].GetString();
        std::string next = std::to_string(std::stoi(n) + 1);
        std::string r = Call("UpdateItem", R"({"TableName":"ctr","Key":{"id":{"S":"x"}},
            "UpdateExpression":"SET n = :next","ConditionExpression":"n = :cur",
            "ExpressionAttributeValues":{":next":{"N":")" +
                                               next + R"("},":cur":{"N":")" + n + R"("}}})");
        if (r.find("ConditionalCheckFailed") == std::string::npos) {
          ASSERT_EQ(r, "{}");
          ++i;
          ++done;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto got = Doc("GetItem", R"({"TableName":"ctr","Key":{"id":{"S":"x"}}})");
  EXPECT_STREQ(got["Item"]["n"]["N"].GetString(), std::to_string(kThreads * kPerThread).c_str());
}

TEST_F(EngineTest, GlobalIndexFollowsInsertUpdateAndDelete) {
  CreateMessagesTable();
  ASSERT_EQ(Call("PutItem",
                 R"({"TableName":"msgs","Item":{"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"G1"}}})"),
            "{}");
  ASSERT_EQ(Call("PutItem",
                 R"({"TableName":"msgs","Item":{"pk":{"S":"b"},"sk":{"S":"2"},"g":{"S":"G1"}}})"),
            "{}");
  // Sparse: no g, no entry.
  ASSERT_EQ(Call("PutItem", R"({"TableName":"msgs","Item":{"pk":{"S":"c"},"sk":{"S":"3"}}})"),
            "{}");
  auto q = [&](const std::string& g) {
    return Doc("Query", R"({"TableName":"msgs","IndexName":"g-sk",
        "KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":")" +
                            g + R"("}}})");
  };
  EXPECT_EQ(q("G1")["Count"].GetInt(), 2);
  auto d = Doc("DescribeTable", R"({"TableName":"msgs"})");
  const auto& gsi = d["Table"]["GlobalSecondaryIndexes"][0];
  EXPECT_EQ(gsi["ItemCount"].GetInt(), 2);
  EXPECT_GT(gsi["IndexSizeBytes"].GetInt(), 0);
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt(), 3);
  // Moving an item to another index partition removes the old entry.
  ASSERT_EQ(Call("UpdateItem", R"({"TableName":"msgs","Key":{"pk":{"S":"a"},"sk":{"S":"1"}},
      "UpdateExpression":"SET g = :g","ExpressionAttributeValues":{":g":{"S":"G2"}}})"),
            "{}");
  EXPECT_EQ(q("G1")["Count"].GetInt(), 1);
  EXPECT_EQ(q("G2")["Count"].GetInt(), 1);
  // Removing the index key removes the entry.
  ASSERT_EQ(Call("UpdateItem", R"({"TableName":"msgs","Key":{"pk":{"S":"a"},"sk":{"S":"1"}},
      "UpdateExpression":"REMOVE g"})"),
            "{}");
  EXPECT_EQ(q("G2")["Count"].GetInt(), 0);
  ASSERT_EQ(Call("DeleteItem", R"({"TableName":"msgs","Key":{"pk":{"S":"b"},"sk":{"S":"2"}}})"),
            "{}");
  EXPECT_EQ(q("G1")["Count"].GetInt(), 0);
}

TEST_F(EngineTest, IndexQueryOrdersBySortKeyAndPaginatesWithIndexAndTableKeys) {
  CreateMessagesTable();
  // Sort keys that are prefixes of each other must still order correctly
  // when the base key follows them in the index entry.
  for (std::string sk : {"a", "ab", "a\\u0000", "b", "aa"}) {
    ASSERT_EQ(Call("PutItem", R"({"TableName":"msgs","Item":{"pk":{"S":"p)" + sk +
                                  R"("},"sk":{"S":")" + sk + R"("},"g":{"S":"G"}}})"),
              "{}");
  }
  std::vector<std::string> seen;
  std::string start;
  for (int page = 0; page < 10; ++page) {
    std::string req = R"({"TableName":"msgs","IndexName":"g-sk","Limit":2,
        "KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"G"}})" +
                      (start.empty() ? "" : ",\"ExclusiveStartKey\":" + start) + "}";
    auto d = Doc("Query", req);
    for (auto& it : d["Items"].GetArray())
      seen.emplace_back(it["sk"]["S"].GetString(), it["sk"]["S"].GetStringLength());
    if (!d.HasMember("LastEvaluatedKey")) break;
    const auto& lek = d["LastEvaluatedKey"];
    ASSERT_TRUE(lek.HasMember("g") && lek.HasMember("pk") && lek.HasMember("sk"));
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    lek.Accept(w);
    start = b.GetString();
  }
  std::vector<std::string> want = {"a", std::string("a\0", 2), "aa", "ab", "b"};
  EXPECT_EQ(seen, want);
}

TEST_F(EngineTest, NumericSortKeysOrderNumerically) {
  ASSERT_EQ(
      Call(
          "CreateTable",
          R"({"TableName":"num","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"s","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"s","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})")
          .find("ERROR"),
      std::string::npos);
  for (std::string n : {"10", "-5", "2.5", "0", "-0.001", "1e3", "9"}) {
    ASSERT_EQ(
        Call("PutItem", R"({"TableName":"num","Item":{"p":{"S":"x"},"s":{"N":")" + n + R"("}}})"),
        "{}");
  }
  auto d = Doc("Query", R"({"TableName":"num","KeyConditionExpression":"p = :p AND s > :z",
      "ExpressionAttributeValues":{":p":{"S":"x"},":z":{"N":"-1"}}})");
  std::vector<std::string> got;
  for (auto& it : d["Items"].GetArray()) got.push_back(it["s"]["N"].GetString());
  EXPECT_EQ(got, (std::vector<std::string>{"-0.001", "0", "2.5", "9", "10", "1000"}));
}

}  // namespace
}  // namespace ddb
