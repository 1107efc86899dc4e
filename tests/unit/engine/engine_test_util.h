// Test support for the engine's unit tests: an engine over an in-memory
// store, requests given as JSON text and responses returned as text
// ("ERROR <type>: <message>" for an error) or as parsed documents, the
// engine's clock under the test's control, and the DynamoDB Streams calls
// the stream tests share.
//
//   namespace ddb {
//   namespace {
//   using testing::g_now;  // ddb::testing
//   class MyTest : public testing::EngineFixture {
//    protected:
//     void SetUp() override {
//       UseFakeClock();  // only if the test moves the clock (g_now)
//       EngineOptions o = testing::InMemoryOptions();
//       o.ttl_sweep_seconds = 0.05;  // what this test needs
//       OpenEngine(o);  // default: testing::InMemoryOptions()
//     }
//   };
//
// Inside namespace ddb, `testing::` names this namespace: GoogleTest's is
// `::testing::`.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "ddb/common/clock.h"
#include "ddb/engine/engine.h"
#include "ddb/model/json_codec.h"

namespace ddb::testing {

// Where the fake clock starts: 2023-11-14T22:13:20Z.
inline constexpr double kClockStart = 1'700'000'000.0;

// The fake clock's time (seconds since the epoch); tests move it by
// assigning to it. One for the whole test binary: fixtures set it in SetUp.
inline std::atomic<double> g_now{kClockStart};
inline double FakeNow() { return g_now.load(); }

// Engine options over an in-memory store, the rest as EngineOptions has them.
inline EngineOptions InMemoryOptions() {
  EngineOptions o;
  o.store.in_memory = true;
  return o;
}

// Which API an operation belongs to.
enum class Api { kDynamoDb, kStreams };

// Runs `op` on `engine` with the JSON request `json`: the response JSON, or
// "ERROR <type>: <message>".
inline std::string Execute(Engine& engine, const std::string& op, const std::string& json,
                           Api api = Api::kDynamoDb) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  Status st = api == Api::kStreams ? engine.ExecuteStreams(op, doc, w) : engine.Execute(op, doc, w);
  if (!st.ok()) return "ERROR " + st.error().Name() + ": " + st.error().message;
  return buf.GetString();
}

// A response parsed, expected to be a JSON object.
inline rapidjson::Document ParseObject(const std::string& response) {
  rapidjson::Document d;
  d.Parse(response.c_str());
  EXPECT_TRUE(!d.HasParseError() && d.IsObject()) << response;
  return d;
}

// The base of the engine test fixtures: `engine_` and the calls on it.
class EngineFixture : public ::testing::Test {
 protected:
  // Closes the engine first (its background threads read the clock), then
  // gives the engine back its real clock. A fixture's own TearDown calls it.
  void TearDown() override {
    engine_.reset();
    if (fake_clock_) SetClockForTesting(nullptr);
  }

  // Puts the engine's clock under the test's control: it reads `g_now`,
  // which starts at `start`.
  void UseFakeClock(double start = kClockStart) {
    g_now = start;
    SetClockForTesting(&FakeNow);
    fake_clock_ = true;
  }

  // Opens `engine_` with `options` (a fatal failure if it cannot be opened).
  void OpenEngine(const EngineOptions& options = InMemoryOptions()) {
    auto e = Engine::Open(options);
    ASSERT_TRUE(e.ok()) << e.error().message;
    engine_ = std::move(e).value();
  }

  // Runs a DynamoDB operation: the response JSON, or "ERROR <type>: <message>".
  std::string Call(const std::string& op, const std::string& json) {
    return Execute(*engine_, op, json);
  }
  // The same for a DynamoDB Streams operation.
  std::string CallStreams(const std::string& op, const std::string& json) {
    return Execute(*engine_, op, json, Api::kStreams);
  }

  // The response parsed (expected to be a JSON object, not an error).
  rapidjson::Document Doc(const std::string& op, const std::string& json) {
    return ParseObject(Call(op, json));
  }
  rapidjson::Document StreamsDoc(const std::string& op, const std::string& json) {
    return ParseObject(CallStreams(op, json));
  }

  // Runs a DynamoDB operation that must succeed: its response parsed, or an
  // empty object after the failure is reported.
  rapidjson::Document Ok(const std::string& op, const std::string& json) {
    std::string out = Call(op, json);
    bool error = out.rfind("ERROR", 0) == 0;
    EXPECT_FALSE(error) << op << ": " << out;
    rapidjson::Document d;
    d.Parse(error ? "{}" : out.c_str());
    return d;
  }

  // ---- DynamoDB Streams

  // Creates table `table` (pk S hash, on demand) with a stream of `view`
  // (e.g. "KEYS_ONLY"); returns the stream's ARN.
  std::string CreateTableWithStream(const std::string& table, const std::string& view) {
    std::string r = Call("CreateTable", R"({"TableName":")" + table + R"(",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST",
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":")" +
                                            view + R"("}})");
    rapidjson::Document d;
    d.Parse(r.c_str());
    EXPECT_TRUE(d.IsObject() && d.HasMember("TableDescription")) << r;
    return d["TableDescription"]["LatestStreamArn"].GetString();
  }

  // The ids of the stream's shards, as DescribeStream lists them.
  std::vector<std::string> ShardIds(const std::string& arn) {
    auto d = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
    std::vector<std::string> ids;
    for (auto& s : d["StreamDescription"]["Shards"].GetArray())
      ids.push_back(s["ShardId"].GetString());
    return ids;
  }

  // A shard iterator of `type` ("TRIM_HORIZON", "AT_SEQUENCE_NUMBER" with
  // `seq`, ...), or "" after a reported failure.
  std::string ShardIterator(const std::string& arn, const std::string& shard,
                            const std::string& type, const std::string& seq = "") {
    std::string req = R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard +
                      R"(","ShardIteratorType":")" + type + "\"";
    if (!seq.empty()) req += R"(,"SequenceNumber":")" + seq + "\"";
    auto d = StreamsDoc("GetShardIterator", req + "}");
    bool has_iterator = d.IsObject() && d.HasMember("ShardIterator");
    EXPECT_TRUE(has_iterator);
    return has_iterator ? d["ShardIterator"].GetString() : "";
  }

  std::unique_ptr<Engine> engine_;

 private:
  bool fake_clock_ = false;
};

}  // namespace ddb::testing
