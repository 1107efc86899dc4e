// Engine: the meaning of each DynamoDB API call, over the store. Knows
// nothing of HTTP: it takes an operation name and the parsed JSON request
// and writes the JSON response body, or returns an Error to send.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/engine/engine_options.h"
#include "ddb/model/json_codec.h"

namespace ddb {

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

  // Runs `done` once every write completed so far is in the synced log
  // (Store::AfterSync), at once for a store that does not sync: how a write
  // made inside a deferred ddb::CacheOnlyScope (storage/store.h) is
  // acknowledged. `done` runs on another thread and must be quick.
  void AfterSync(std::function<void(Status)> done);

  // Clean shutdown: waits for the calls in flight, stops the background
  // jobs, saves the tables' counters for the next start (so it need not
  // recount) and flushes to disk. Calls after it answer ServiceUnavailable.
  // Idempotent.
  void Close();

 private:
  using Op = Status (*)(EngineContext&, const rapidjson::Value&, JsonWriter&);
  Engine() = default;
  // Runs one operation unless closed, and waits for its writes' sync when
  // the caller is outside the server's DeferredSyncScope.
  Status Run(Op op, const rapidjson::Value& request, JsonWriter& out);
  std::unique_ptr<EngineContext> ctx_;
  // Execute holds it shared; Close takes it to set closed_.
  std::shared_mutex close_mu_;
  bool closed_ = false;
};

}  // namespace ddb
