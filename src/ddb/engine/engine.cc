#include "ddb/engine/engine.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/index_backfill.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/pitr_log.h"
#include "ddb/engine/stream.h"
#include "ddb/engine/ttl.h"

namespace ddb {
namespace {

using OpFn = Status (*)(EngineContext&, const rapidjson::Value&, JsonWriter&);

const std::unordered_map<std::string_view, OpFn>& OpTable() {
  static const std::unordered_map<std::string_view, OpFn> table = {
      {"CreateTable", &ops::CreateTable},
      {"DescribeTable", &ops::DescribeTable},
      {"DeleteTable", &ops::DeleteTable},
      {"UpdateTable", &ops::UpdateTable},
      {"ListTables", &ops::ListTables},
      {"TagResource", &ops::TagResource},
      {"UntagResource", &ops::UntagResource},
      {"ListTagsOfResource", &ops::ListTagsOfResource},
      {"DescribeLimits", &ops::DescribeLimits},
      {"DescribeEndpoints", &ops::DescribeEndpoints},
      {"PutItem", &ops::PutItem},
      {"GetItem", &ops::GetItem},
      {"UpdateItem", &ops::UpdateItem},
      {"DeleteItem", &ops::DeleteItem},
      {"Query", &ops::Query},
      {"Scan", &ops::Scan},
      {"BatchGetItem", &ops::BatchGetItem},
      {"BatchWriteItem", &ops::BatchWriteItem},
      {"TransactWriteItems", &ops::TransactWriteItems},
      {"TransactGetItems", &ops::TransactGetItems},
      {"UpdateTimeToLive", &ops::UpdateTimeToLive},
      {"DescribeTimeToLive", &ops::DescribeTimeToLive},
      {"CreateBackup", &ops::CreateBackup},
      {"DescribeBackup", &ops::DescribeBackup},
      {"ListBackups", &ops::ListBackups},
      {"DeleteBackup", &ops::DeleteBackup},
      {"RestoreTableFromBackup", &ops::RestoreTableFromBackup},
      {"UpdateContinuousBackups", &ops::UpdateContinuousBackups},
      {"DescribeContinuousBackups", &ops::DescribeContinuousBackups},
      {"RestoreTableToPointInTime", &ops::RestoreTableToPointInTime},
  };
  return table;
}

const std::unordered_map<std::string_view, OpFn>& StreamsOpTable() {
  static const std::unordered_map<std::string_view, OpFn> table = {
      {"ListStreams", &ops::ListStreams},
      {"DescribeStream", &ops::DescribeStream},
      {"GetShardIterator", &ops::GetShardIterator},
      {"GetRecords", &ops::GetRecords},
  };
  return table;
}

}  // namespace

size_t KeyLocks::StripeOf(std::string_view storage_key) const {
  return std::hash<std::string_view>{}(storage_key) % stripes_.size();
}

std::mutex& KeyLocks::For(std::string_view storage_key) { return stripes_[StripeOf(storage_key)]; }

KeyLocks::MultiLock::MultiLock(KeyLocks& locks, const std::vector<std::string>& storage_keys) {
  std::vector<size_t> stripes;
  stripes.reserve(storage_keys.size());
  for (const auto& k : storage_keys) stripes.push_back(locks.StripeOf(k));
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  for (size_t s : stripes) {
    locks.stripes_[s].lock();
    held_.push_back(&locks.stripes_[s]);
  }
}

KeyLocks::MultiLock::~MultiLock() {
  for (auto it = held_.rbegin(); it != held_.rend(); ++it) (*it)->unlock();
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  DDB_ASSIGN_OR_RETURN(auto store, Store::Open(options.store));
  std::unique_ptr<Engine> e(new Engine());
  e->ctx_ = std::make_unique<EngineContext>(options, std::move(store));
  DDB_RETURN_IF_ERROR(e->ctx_->catalog.Load());
  ResumeIndexBackfills(*e->ctx_);
  StreamOptions stream_options;
  stream_options.retention_seconds = options.stream_retention_seconds;
  stream_options.shard_seconds = options.stream_shard_seconds;
  stream_options.iterator_seconds = options.stream_iterator_seconds;
  DDB_RETURN_IF_ERROR(OpenStreams(*e->ctx_, stream_options));
  DDB_RETURN_IF_ERROR(OpenPitrLog(*e->ctx_));
  StartTtlSweeper(*e->ctx_);
  return e;
}

Engine::~Engine() { Close(); }

bool Engine::Supports(std::string_view operation) { return OpTable().count(operation) > 0; }

Status Engine::Execute(std::string_view operation, const rapidjson::Value& request,
                       JsonWriter& out) {
  auto it = OpTable().find(operation);
  if (it == OpTable().end()) return Error{"UnknownOperationException", ""};
  if (!request.IsObject()) return Serialization("Request body must be a JSON object");
  return it->second(*ctx_, request, out);
}

bool Engine::SupportsStreams(std::string_view operation) {
  return StreamsOpTable().count(operation) > 0;
}

Status Engine::ExecuteStreams(std::string_view operation, const rapidjson::Value& request,
                              JsonWriter& out) {
  auto it = StreamsOpTable().find(operation);
  if (it == StreamsOpTable().end()) return Error{"UnknownOperationException", ""};
  if (!request.IsObject()) return Serialization("Request body must be a JSON object");
  return it->second(*ctx_, request, out);
}

void Engine::Close() {
  if (ctx_) ctx_->background.Stop();
  if (ctx_ && ctx_->store) ctx_->store->Flush();
}

}  // namespace ddb
