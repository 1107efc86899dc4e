#include "ddb/engine/engine.h"

#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ddb/common/clock.h"
#include "ddb/engine/engine_context.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/import_records.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/ttl.h"
#include "ddb/format/keys.h"
#include "ddb/jobs/index_backfill.h"
#include "ddb/jobs/log_trim.h"
#include "ddb/jobs/ttl_sweeper.h"
#include "ddb/storage/store.h"

namespace ddb {
namespace {

// A call after Close.
Error Closed() { return Error{ErrorCode::kServiceUnavailable, "The server is shutting down"}; }

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
      {"ExecuteStatement", &ops::ExecuteStatement},
      {"BatchExecuteStatement", &ops::BatchExecuteStatement},
      {"ExecuteTransaction", &ops::ExecuteTransaction},
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
      {"ExportTableToPointInTime", &ops::ExportTableToPointInTime},
      {"DescribeExport", &ops::DescribeExport},
      {"ListExports", &ops::ListExports},
      {"ImportTable", &ops::ImportTable},
      {"DescribeImport", &ops::DescribeImport},
      {"ListImports", &ops::ListImports},
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

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  StoreOptions store_options = options.store;
  store_options.ascending_prefix = keys::AscendingPrefix;
  ASSIGN_OR_RETURN(auto store, Store::Open(store_options));
  std::unique_ptr<Engine> e(new Engine());
  e->ctx_ = std::make_unique<EngineContext>(options, std::move(store));
  EngineContext& ctx = *e->ctx_;
  RETURN_IF_ERROR(ctx.catalog.Load());
  RETURN_IF_ERROR(ctx.transactions.OpenTokens(ctx.store.get()));
  ResumeIndexBackfills(ctx.Jobs());
  StreamOptions stream_options;
  stream_options.retention_seconds = options.stream_retention_seconds;
  stream_options.shard_seconds = options.stream_shard_seconds;
  stream_options.iterator_seconds = options.stream_iterator_seconds;
  ctx.streams = std::make_shared<StreamLog>(ctx.store.get(), &ctx.catalog, stream_options);
  RETURN_IF_ERROR(ctx.streams->Open());
  StartStreamTrim(ctx.background, *ctx.streams);
  ctx.pitr = std::make_shared<PitrLog>(ctx.store.get(), &ctx.catalog);
  RETURN_IF_ERROR(ctx.pitr->Open());
  StartPitrTrim(ctx.background, *ctx.pitr);
  // Exports a stop or crash interrupted are not resumed (export_records.h).
  RETURN_IF_ERROR(exports::FailInterruptedExports(*ctx.store, NowEpochSeconds()));
  // So are imports; their unfinished tables are dropped (import_records.h).
  RETURN_IF_ERROR(imports::FailInterruptedImports(ctx, NowEpochSeconds()));
  EngineContext* c = &ctx;
  StartTtlSweeper(
      ctx.Jobs(), options.ttl_sweep_seconds,
      [c](const std::string& table_name, uint64_t table_id, const std::string& key, double now) {
        return DeleteExpiredItem(*c, table_name, table_id, key, now);
      });
  return e;
}

Engine::~Engine() { Close(); }

bool Engine::Supports(std::string_view operation) { return OpTable().count(operation) > 0; }

Status Engine::Execute(std::string_view operation, const rapidjson::Value& request,
                       JsonWriter& out) {
  auto it = OpTable().find(operation);
  if (it == OpTable().end()) return Error{ErrorCode::kUnknownOperation, ""};
  if (!request.IsObject()) return Serialization("Request body must be a JSON object");
  return Run(it->second, request, out);
}

bool Engine::SupportsStreams(std::string_view operation) {
  return StreamsOpTable().count(operation) > 0;
}

Status Engine::ExecuteStreams(std::string_view operation, const rapidjson::Value& request,
                              JsonWriter& out) {
  auto it = StreamsOpTable().find(operation);
  if (it == StreamsOpTable().end()) return Error{ErrorCode::kUnknownOperation, ""};
  if (!request.IsObject()) return Serialization("Request body must be a JSON object");
  return Run(it->second, request, out);
}

Status Engine::Run(Op op, const rapidjson::Value& request, JsonWriter& out) {
  std::shared_lock lock(close_mu_);
  if (closed_) return Closed();
  // A caller outside the server's scopes (the cruddur API's in-process
  // calls) is answered after the sync, with no item lock held across it.
  SyncAtExit synced(*ctx_->store);
  Status done = op(*ctx_, request, out);
  RETURN_IF_ERROR(synced.Wait());
  return done;
}

void Engine::AfterSync(std::function<void(Status)> done) {
  if (!ctx_ || !ctx_->store) return done(Status::Ok());
  ctx_->store->AfterSync(std::move(done));
}

void Engine::Close() {
  {
    std::unique_lock lock(close_mu_);  // waits for the calls in flight
    if (closed_) return;
    closed_ = true;
  }
  if (!ctx_) return;
  ctx_->background.Stop();
  if (!ctx_->store) return;
  // Nothing writes any more: the next start can take the counters as they
  // are instead of recounting every item.
  if (Status saved = ctx_->catalog.SaveStats(); !saved.ok()) {
    std::fprintf(stderr, "ddb: counters not saved (the next start recounts): %s\n",
                 saved.error().message.c_str());
  }
  ctx_->store->Flush();
}

}  // namespace ddb
