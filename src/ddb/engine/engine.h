// Engine: the meaning of each DynamoDB API call, over the store. Knows
// nothing of HTTP: it takes an operation name and the parsed JSON request
// and writes the JSON response body, or returns an Error to send.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/model/json_codec.h"
#include "ddb/storage/store.h"

namespace ddb {

struct EngineOptions {
  StoreOptions store;
  // Region and account used in ARNs.
  std::string region = "us-east-1";
  std::string account = "000000000000";
  // Throttle PROVISIONED tables at their provisioned throughput (with
  // DynamoDB's 300-second burst credit). Off: DynamoDB Local's behaviour,
  // throughput settings are recorded but never enforced.
  bool throttling = true;
  // The item-collection size limit of tables with local secondary indexes
  // (DynamoDB: 10 GB). Lowered only by tests.
  int64_t item_collection_limit_bytes = int64_t{10} << 30;
  // Time to live: how often the background sweeper deletes expired items
  // (seconds; an expired item is gone within about one period). 0 or less:
  // no sweeper.
  double ttl_sweep_seconds = 60;
  // Point-in-time recovery: the recovery period reported for tables (days).
  int64_t pitr_recovery_days = 35;
  // DynamoDB Streams (stream.h): how long records are kept (DynamoDB: 24
  // hours) and how often a stream's shard rolls over to a new one (DynamoDB:
  // about every 4 hours). Lowered only by tests.
  double stream_retention_seconds = 24 * 3600;
  double stream_shard_seconds = 4 * 3600;
  // How long a shard iterator stays usable after it is issued (DynamoDB: 15
  // minutes; then GetRecords fails with ExpiredIteratorException). Lowered
  // only by tests.
  double stream_iterator_seconds = 15 * 60;
};

class EngineContext;

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();

  // True if `operation` (e.g. "PutItem") is a DynamoDB_20120810 operation
  // this engine implements.
  static bool Supports(std::string_view operation);

  // Executes `operation` with `request` (a JSON object). On success the
  // response object is written to `out` and OK is returned; otherwise `out`
  // is untouched-in-meaning (the caller discards it) and the Error is
  // returned. Thread-safe.
  Status Execute(std::string_view operation, const rapidjson::Value& request, JsonWriter& out);

  // The same for DynamoDB Streams (X-Amz-Target DynamoDBStreams_20120810.*):
  // ListStreams, DescribeStream, GetShardIterator, GetRecords.
  static bool SupportsStreams(std::string_view operation);
  Status ExecuteStreams(std::string_view operation, const rapidjson::Value& request,
                        JsonWriter& out);

  // Flushes to disk (clean shutdown).
  void Close();

 private:
  Engine() = default;
  std::unique_ptr<EngineContext> ctx_;
};

}  // namespace ddb
