#include "ddb/engine/export_records.h"

#include "ddb/engine/job_records.h"

namespace ddb::exports {
namespace {

using job_records::Field;
using job_records::WriteOptionalString;

constexpr Field<ExportRecord, std::string> kStrings[] = {
    {"arn", &ExportRecord::arn},
    {"export_id", &ExportRecord::export_id},
    {"status", &ExportRecord::status},
    {"table_arn", &ExportRecord::table_arn},
    {"table_id", &ExportRecord::table_id},
    {"table_name", &ExportRecord::table_name},
    {"client_token", &ExportRecord::client_token},
    {"bucket", &ExportRecord::bucket},
    {"bucket_owner", &ExportRecord::bucket_owner},
    {"prefix", &ExportRecord::prefix},
    {"sse_algorithm", &ExportRecord::sse_algorithm},
    {"kms_key_id", &ExportRecord::kms_key_id},
    {"format", &ExportRecord::format},
    {"type", &ExportRecord::type},
    {"manifest", &ExportRecord::manifest},
    {"failure_code", &ExportRecord::failure_code},
    {"failure_message", &ExportRecord::failure_message},
};
constexpr Field<ExportRecord, double> kDoubles[] = {
    {"export_time", &ExportRecord::export_time},
    {"start_time", &ExportRecord::start_time},
    {"end_time", &ExportRecord::end_time},
};
constexpr Field<ExportRecord, int64_t> kInts[] = {
    {"item_count", &ExportRecord::item_count},
    {"billed_size_bytes", &ExportRecord::billed_size_bytes},
};
constexpr Field<ExportRecord, uint64_t> kUints[] = {
    {"seq", &ExportRecord::seq},
};
constexpr Field<ExportRecord, std::string> kOptionalStrings[] = {
    {"view_type", &ExportRecord::view_type},
};
constexpr Field<ExportRecord, double> kOptionalDoubles[] = {
    {"export_from_time", &ExportRecord::export_from_time},
    {"export_to_time", &ExportRecord::export_to_time},
};
constexpr job_records::RecordSchema<ExportRecord> kSchema{
    .kind = 'e',
    .corrupt = "corrupt export record",
    .strings = kStrings,
    .doubles = kDoubles,
    .ints = kInts,
    .uints = kUints,
    .optional_strings = kOptionalStrings,
    .optional_doubles = kOptionalDoubles,
};

}  // namespace

std::string SerializeExport(const ExportRecord& r) { return job_records::Serialize(kSchema, r); }

Result<ExportRecord> ParseExport(std::string_view json) {
  return job_records::Parse(kSchema, json);
}

std::string ExportKey(std::string_view arn) { return job_records::RecordKey(kSchema.kind, arn); }

Status SaveExport(Store& store, const ExportRecord& r) {
  return job_records::Save(store, kSchema, r);
}

Result<std::optional<ExportRecord>> LoadExport(const Store& store, std::string_view arn) {
  return job_records::Load(store, kSchema, arn);
}

Result<std::vector<ExportRecord>> LoadExports(const Store& store) {
  return job_records::LoadAll(store, kSchema);
}

Status FailInterruptedExports(Store& store, double now) {
  return job_records::FailInterrupted(store, kSchema, now, kInterruptedCode, kInterruptedMessage,
                                      [](ExportRecord&) { return Status::Ok(); });
}

void WriteExportDescription(const ExportRecord& r, JsonWriter& w) {
  w.StartObject();
  w.Key("ExportArn");
  w.String(r.arn);
  w.Key("ExportStatus");
  w.String(r.status);
  w.Key("StartTime");
  w.Double(r.start_time);
  if (r.end_time > 0) {
    w.Key("EndTime");
    w.Double(r.end_time);
  }
  WriteOptionalString(w, "ExportManifest", r.manifest);
  w.Key("TableArn");
  w.String(r.table_arn);
  w.Key("TableId");
  w.String(r.table_id);
  if (r.type != "INCREMENTAL_EXPORT") {
    w.Key("ExportTime");
    w.Double(r.export_time);
  }
  WriteOptionalString(w, "ClientToken", r.client_token);
  w.Key("S3Bucket");
  w.String(r.bucket);
  WriteOptionalString(w, "S3BucketOwner", r.bucket_owner);
  WriteOptionalString(w, "S3Prefix", r.prefix);
  WriteOptionalString(w, "S3SseAlgorithm", r.sse_algorithm);
  WriteOptionalString(w, "S3SseKmsKeyId", r.kms_key_id);
  WriteOptionalString(w, "FailureCode", r.failure_code);
  WriteOptionalString(w, "FailureMessage", r.failure_message);
  w.Key("ExportFormat");
  w.String(r.format);
  if (r.status == "COMPLETED") {
    w.Key("BilledSizeBytes");
    w.Int64(r.billed_size_bytes);
    w.Key("ItemCount");
    w.Int64(r.item_count);
  }
  w.Key("ExportType");
  w.String(r.type);
  if (r.type == "INCREMENTAL_EXPORT") {
    // DynamoDB echoes the window it used (ExportToTime filled in when the
    // request left it out) and the view type (defaulted).
    w.Key("IncrementalExportSpecification");
    w.StartObject();
    w.Key("ExportFromTime");
    w.Double(r.export_from_time);
    w.Key("ExportToTime");
    w.Double(r.export_to_time);
    w.Key("ExportViewType");
    w.String(r.view_type);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace ddb::exports
