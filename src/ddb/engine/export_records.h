// The durable record of a table export (ExportTableToPointInTime,
// DescribeExport, ListExports: export_ops.cc), kept in the store so that
// DescribeExport and ListExports answer after a restart:
//   "\x08" "e" <export arn>  ->  SerializeExport's JSON   (job_records.h)
// An export is written IN_PROGRESS when it is accepted and rewritten
// COMPLETED or FAILED by its job (export_job.h). A record still IN_PROGRESS
// when the engine opens belongs to an export a stop or crash interrupted:
// FailInterruptedExports turns it FAILED (exports are not resumed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/model/json_codec.h"
#include "ddb/storage/store.h"

namespace ddb::exports {

struct ExportRecord {
  std::string arn;                     // <table arn>/export/<export id>
  std::string export_id;               // <14-digit ms>-<8 hex>
  uint64_t seq = 0;                    // creation order (an engine id)
  std::string status = "IN_PROGRESS";  // IN_PROGRESS, COMPLETED, FAILED
  std::string table_arn, table_id, table_name;
  // export_time: FULL_EXPORT's ExportTime (0 for an incremental export).
  double export_time = 0, start_time = 0, end_time = 0;  // end_time 0: not ended
  std::string client_token;
  // The request's S3 members ("" = absent).
  std::string bucket, bucket_owner, prefix, sse_algorithm, kms_key_id;
  std::string format = "DYNAMODB_JSON";
  std::string type = "FULL_EXPORT";  // or INCREMENTAL_EXPORT
  // INCREMENTAL_EXPORT only (IncrementalExportSpecification): the changes
  // in [export_from_time, export_to_time) and the view type (NEW_IMAGE or
  // NEW_AND_OLD_IMAGES). Stored only when set (job_records.h's optional
  // fields), so records of full exports are as they always were.
  double export_from_time = 0, export_to_time = 0;
  std::string view_type;
  // Once COMPLETED.
  int64_t item_count = 0, billed_size_bytes = 0;
  std::string manifest;  // the S3 key of manifest-summary.json
  // Once FAILED.
  std::string failure_code, failure_message;
};

std::string SerializeExport(const ExportRecord& r);
// InternalServerError "corrupt export record" if malformed.
Result<ExportRecord> ParseExport(std::string_view json);

std::string ExportKey(std::string_view arn);
// Writes `r` (durably).
Status SaveExport(Store& store, const ExportRecord& r);
// The export `arn`, or nullopt.
Result<std::optional<ExportRecord>> LoadExport(const Store& store, std::string_view arn);
// Every export, in creation order.
Result<std::vector<ExportRecord>> LoadExports(const Store& store);

// The failure of an export a server stop interrupted (our own code: AWS
// never restarts under an export).
inline constexpr char kInterruptedCode[] = "ExportInterrupted";
inline constexpr char kInterruptedMessage[] =
    "The export was interrupted by a server stop before it completed; request a new export";

// Marks every IN_PROGRESS export FAILED (kInterruptedCode): called when the
// engine opens, before any export can start.
Status FailInterruptedExports(Store& store, double now);

// Writes the ExportDescription object of `r`.
void WriteExportDescription(const ExportRecord& r, JsonWriter& w);

}  // namespace ddb::exports
