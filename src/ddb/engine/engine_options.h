// EngineOptions: how Engine::Open (engine.h) sets the engine up. Kept apart
// from engine.h so that the engine's internals (engine_context.h) see the
// options without the public entry point.
#pragma once

#include <cstdint>
#include <string>

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
  // DynamoDB Streams (format/stream_log.h): how long records are kept (DynamoDB: 24
  // hours) and how often a stream's shard rolls over to a new one (DynamoDB:
  // about every 4 hours). Lowered only by tests.
  double stream_retention_seconds = 24 * 3600;
  double stream_shard_seconds = 4 * 3600;
  // How long a shard iterator stays usable after it is issued (DynamoDB: 15
  // minutes; then GetRecords fails with ExpiredIteratorException). Lowered
  // only by tests.
  double stream_iterator_seconds = 15 * 60;
  // The folder standing in for Amazon S3 in ExportTableToPointInTime
  // (engine/export_root.h): bucket B, prefix P is <export_root>/B/P. "" (the
  // default): none, and exports answer a ValidationException.
  // ddb-server's --export-root defaults to <db-path>/exports (none with
  // --in-memory).
  std::string export_root;
  // Exports and imports running at once, past which ExportTableToPointInTime
  // and ImportTable answer LimitExceededException (DynamoDB's quotas: 300
  // exports, 50 imports). Each runs on a thread of its own. Lowered only by
  // tests.
  int max_running_exports = 300;
  int max_running_imports = 50;
  // Tables that may exist at once (DynamoDB's default quota per account and
  // region: 2,500); CreateTable, the restores and ImportTable answer
  // LimitExceededException past it. Each table costs the engine memory
  // (~2 KB) whatever it holds. ddb-server's --max-tables.
  size_t max_tables = 2500;
};

}  // namespace ddb
