// One function per DynamoDB operation. Each validates its request, executes
// it and writes the response object to `out`. Grouped by family in files,
// as listed below. The operations are the meaning of the API: they read and
// write the store through the on-disk format (../format/) and start the
// background jobs (../jobs/), which never include them: what a job needs
// done by the engine (the TTL sweeper's deletion) it is handed as a
// function.
#pragma once

#include <rapidjson/document.h>

#include "ddb/engine/engine_context.h"
#include "ddb/model/json_codec.h"

namespace ddb::ops {

using Request = rapidjson::Value;

// table_ops_create.cc, table_ops.cc, table_ops_update.cc, table_ops_tags.cc
// (their shared validation: table_ops_internal.h)
Status CreateTable(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeTable(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DeleteTable(EngineContext& ctx, const Request& req, JsonWriter& out);
Status UpdateTable(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ListTables(EngineContext& ctx, const Request& req, JsonWriter& out);
Status TagResource(EngineContext& ctx, const Request& req, JsonWriter& out);
Status UntagResource(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ListTagsOfResource(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeLimits(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeEndpoints(EngineContext& ctx, const Request& req, JsonWriter& out);

// item_ops.cc
Status PutItem(EngineContext& ctx, const Request& req, JsonWriter& out);
Status GetItem(EngineContext& ctx, const Request& req, JsonWriter& out);
Status UpdateItem(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DeleteItem(EngineContext& ctx, const Request& req, JsonWriter& out);

// query_scan.cc
Status Query(EngineContext& ctx, const Request& req, JsonWriter& out);
Status Scan(EngineContext& ctx, const Request& req, JsonWriter& out);

// batch_ops.cc
Status BatchGetItem(EngineContext& ctx, const Request& req, JsonWriter& out);
Status BatchWriteItem(EngineContext& ctx, const Request& req, JsonWriter& out);

// transact_ops.cc
Status TransactWriteItems(EngineContext& ctx, const Request& req, JsonWriter& out);
Status TransactGetItems(EngineContext& ctx, const Request& req, JsonWriter& out);

// partiql_ops.cc: PartiQL statements, translated into the operations above
Status ExecuteStatement(EngineContext& ctx, const Request& req, JsonWriter& out);
Status BatchExecuteStatement(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ExecuteTransaction(EngineContext& ctx, const Request& req, JsonWriter& out);

// ttl.cc
Status UpdateTimeToLive(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeTimeToLive(EngineContext& ctx, const Request& req, JsonWriter& out);

// backup.cc
Status CreateBackup(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeBackup(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ListBackups(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DeleteBackup(EngineContext& ctx, const Request& req, JsonWriter& out);
Status RestoreTableFromBackup(EngineContext& ctx, const Request& req, JsonWriter& out);

// pitr.cc
Status UpdateContinuousBackups(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeContinuousBackups(EngineContext& ctx, const Request& req, JsonWriter& out);
Status RestoreTableToPointInTime(EngineContext& ctx, const Request& req, JsonWriter& out);

// export_ops.cc: exports to the folder standing in for S3 (export_root.h)
Status ExportTableToPointInTime(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeExport(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ListExports(EngineContext& ctx, const Request& req, JsonWriter& out);

// import_ops.cc: imports from the folder standing in for S3 (import_reader.h)
Status ImportTable(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeImport(EngineContext& ctx, const Request& req, JsonWriter& out);
Status ListImports(EngineContext& ctx, const Request& req, JsonWriter& out);

// stream_ops.cc: DynamoDB Streams (DynamoDBStreams_20120810, Engine::ExecuteStreams)
Status ListStreams(EngineContext& ctx, const Request& req, JsonWriter& out);
Status DescribeStream(EngineContext& ctx, const Request& req, JsonWriter& out);
Status GetShardIterator(EngineContext& ctx, const Request& req, JsonWriter& out);
Status GetRecords(EngineContext& ctx, const Request& req, JsonWriter& out);

}  // namespace ddb::ops
