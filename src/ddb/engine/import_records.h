// The durable record of a table import (ImportTable, DescribeImport,
// ListImports: import_ops.cc), kept in the store next to the export records
// so that DescribeImport and ListImports answer after a restart:
//   "\x08" "i" <import arn>  ->  SerializeImport's JSON
// (job_records.h: the kind "i" beside the exports' "e").
// An import is written IN_PROGRESS when it is accepted and rewritten
// COMPLETED or FAILED by its job (import_job.h). A record still IN_PROGRESS
// when the engine opens belongs to an import a stop or crash interrupted:
// FailInterruptedImports turns it FAILED and drops the half-filled table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/engine/engine_context.h"
#include "ddb/model/json_codec.h"
#include "ddb/storage/store.h"

namespace ddb::imports {

struct ImportRecord {
  std::string arn;                     // <table arn>/import/<import id>
  std::string import_id;               // <14-digit ms>-<8 hex>
  uint64_t seq = 0;                    // creation order (an engine id)
  std::string status = "IN_PROGRESS";  // IN_PROGRESS, COMPLETED, FAILED
  std::string table_arn, table_id, table_name;
  uint64_t table_uid = 0;               // the catalog id of the table the import created
  double start_time = 0, end_time = 0;  // end_time 0: not ended
  std::string client_token;
  // S3BucketSource ("" = absent).
  std::string bucket, bucket_owner, prefix;
  std::string format;       // DYNAMODB_JSON, ION or CSV
  std::string compression;  // GZIP or NONE ("" = not given: NONE)
  // The request's InputFormatOptions and TableCreationParameters as JSON
  // text, echoed by the descriptions ("" = absent).
  std::string format_options_json, creation_params_json;
  // Progress, then the totals.
  int64_t processed_items = 0, imported_items = 0, error_count = 0, processed_bytes = 0;
  // Once FAILED.
  std::string failure_code, failure_message;
};

std::string SerializeImport(const ImportRecord& r);
// InternalServerError "corrupt import record" if malformed.
Result<ImportRecord> ParseImport(std::string_view json);

// Writes `r` (durably).
Status SaveImport(Store& store, const ImportRecord& r);
// The import `arn`, or nullopt.
Result<std::optional<ImportRecord>> LoadImport(const Store& store, std::string_view arn);
// Every import, in creation order.
Result<std::vector<ImportRecord>> LoadImports(const Store& store);

// Marks every IN_PROGRESS import FAILED (FailureCode "ImportInterrupted")
// and drops its table if that table is still the one the import created and
// still CREATING (DynamoDB documents no restart under an import; an
// unfinished table is not left behind). Called when the engine opens, after
// the catalog is loaded and before any import can start.
Status FailInterruptedImports(EngineContext& ctx, double now);

// The CloudWatch log group DynamoDB names in its descriptions
// ("/aws-dynamodb/imports"); this server logs to its stderr instead.
std::string LogGroupArn(const EngineContext& ctx);

// Writes the ImportTableDescription object of `r`.
void WriteImportDescription(const ImportRecord& r, std::string_view log_group, JsonWriter& w);
// Writes the ImportSummary object of `r` (ListImports).
void WriteImportSummary(const ImportRecord& r, std::string_view log_group, JsonWriter& w);

}  // namespace ddb::imports
