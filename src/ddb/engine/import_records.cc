#include "ddb/engine/import_records.h"

#include <cstdio>
#include <mutex>

#include "ddb/engine/job_records.h"

namespace ddb::imports {
namespace {

using job_records::Field;
using job_records::WriteOptionalString;

constexpr Field<ImportRecord, std::string> kStrings[] = {
    {"arn", &ImportRecord::arn},
    {"import_id", &ImportRecord::import_id},
    {"status", &ImportRecord::status},
    {"table_arn", &ImportRecord::table_arn},
    {"table_id", &ImportRecord::table_id},
    {"table_name", &ImportRecord::table_name},
    {"client_token", &ImportRecord::client_token},
    {"bucket", &ImportRecord::bucket},
    {"bucket_owner", &ImportRecord::bucket_owner},
    {"prefix", &ImportRecord::prefix},
    {"format", &ImportRecord::format},
    {"compression", &ImportRecord::compression},
    {"format_options_json", &ImportRecord::format_options_json},
    {"creation_params_json", &ImportRecord::creation_params_json},
    {"failure_code", &ImportRecord::failure_code},
    {"failure_message", &ImportRecord::failure_message},
};
constexpr Field<ImportRecord, double> kDoubles[] = {
    {"start_time", &ImportRecord::start_time},
    {"end_time", &ImportRecord::end_time},
};
constexpr Field<ImportRecord, int64_t> kInts[] = {
    {"processed_items", &ImportRecord::processed_items},
    {"imported_items", &ImportRecord::imported_items},
    {"error_count", &ImportRecord::error_count},
    {"processed_bytes", &ImportRecord::processed_bytes},
};
constexpr Field<ImportRecord, uint64_t> kUints[] = {
    {"seq", &ImportRecord::seq},
    {"table_uid", &ImportRecord::table_uid},
};
constexpr job_records::RecordSchema<ImportRecord> kSchema{
    'i', "corrupt import record", kStrings, kDoubles, kInts, kUints};

// A member holding JSON text kept from the request (written as is).
void OptionalRaw(JsonWriter& w, const char* key, const std::string& json) {
  if (json.empty()) return;
  w.Key(key);
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void WriteBucketSource(const ImportRecord& r, JsonWriter& w) {
  w.Key("S3BucketSource");
  w.StartObject();
  WriteOptionalString(w, "S3BucketOwner", r.bucket_owner);
  w.Key("S3Bucket");
  w.String(r.bucket);
  WriteOptionalString(w, "S3KeyPrefix", r.prefix);
  w.EndObject();
}

}  // namespace

std::string SerializeImport(const ImportRecord& r) { return job_records::Serialize(kSchema, r); }

Result<ImportRecord> ParseImport(std::string_view json) {
  return job_records::Parse(kSchema, json);
}

Status SaveImport(Store& store, const ImportRecord& r) {
  return job_records::Save(store, kSchema, r);
}

Result<std::optional<ImportRecord>> LoadImport(const Store& store, std::string_view arn) {
  return job_records::Load(store, kSchema, arn);
}

Result<std::vector<ImportRecord>> LoadImports(const Store& store) {
  return job_records::LoadAll(store, kSchema);
}

Status FailInterruptedImports(EngineContext& ctx, double now) {
  // Our own code: AWS never restarts under an import.
  return job_records::FailInterrupted(
      *ctx.store, kSchema, now, "ImportInterrupted",
      "The import was interrupted by a server stop before it completed and its table was "
      "deleted; request a new import",
      [&](ImportRecord& r) -> Status {
        std::lock_guard lock(SchemaMutex());
        TablePtr t = ctx.catalog.Find(r.table_name);
        if (t && t->info.id == r.table_uid && t->info.status == "CREATING") {
          auto dropped = ctx.catalog.Drop(r.table_name);
          if (!dropped.ok()) return std::move(dropped).error();
          std::fprintf(stderr, "ddb: import %s: interrupted; its unfinished table %s dropped\n",
                       r.arn.c_str(), r.table_name.c_str());
        }
        return Status::Ok();
      });
}

std::string LogGroupArn(const EngineContext& ctx) {
  return "arn:aws:logs:" + ctx.options.region + ":" + ctx.options.account +
         ":log-group:/aws-dynamodb/imports:*";
}

void WriteImportDescription(const ImportRecord& r, std::string_view log_group, JsonWriter& w) {
  w.StartObject();
  w.Key("ImportArn");
  w.String(r.arn);
  w.Key("ImportStatus");
  w.String(r.status);
  w.Key("TableArn");
  w.String(r.table_arn);
  w.Key("TableId");
  w.String(r.table_id);
  WriteOptionalString(w, "ClientToken", r.client_token);
  WriteBucketSource(r, w);
  w.Key("ErrorCount");
  w.Int64(r.error_count);
  w.Key("CloudWatchLogGroupArn");
  w.String(log_group.data(), static_cast<rapidjson::SizeType>(log_group.size()));
  w.Key("InputFormat");
  w.String(r.format);
  OptionalRaw(w, "InputFormatOptions", r.format_options_json);
  w.Key("InputCompressionType");
  w.String(r.compression.empty() ? "NONE" : r.compression);
  OptionalRaw(w, "TableCreationParameters", r.creation_params_json);
  w.Key("StartTime");
  w.Double(r.start_time);
  if (r.end_time > 0) {
    w.Key("EndTime");
    w.Double(r.end_time);
  }
  w.Key("ProcessedSizeBytes");
  w.Int64(r.processed_bytes);
  w.Key("ProcessedItemCount");
  w.Int64(r.processed_items);
  w.Key("ImportedItemCount");
  w.Int64(r.imported_items);
  WriteOptionalString(w, "FailureCode", r.failure_code);
  WriteOptionalString(w, "FailureMessage", r.failure_message);
  w.EndObject();
}

void WriteImportSummary(const ImportRecord& r, std::string_view log_group, JsonWriter& w) {
  w.StartObject();
  w.Key("ImportArn");
  w.String(r.arn);
  w.Key("ImportStatus");
  w.String(r.status);
  w.Key("TableArn");
  w.String(r.table_arn);
  WriteBucketSource(r, w);
  w.Key("CloudWatchLogGroupArn");
  w.String(log_group.data(), static_cast<rapidjson::SizeType>(log_group.size()));
  w.Key("InputFormat");
  w.String(r.format);
  w.Key("StartTime");
  w.Double(r.start_time);
  if (r.end_time > 0) {
    w.Key("EndTime");
    w.Double(r.end_time);
  }
  w.EndObject();
}

}  // namespace ddb::imports
