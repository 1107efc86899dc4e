#include "ddb/engine/import_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "ddb/format/keys.h"

namespace ddb::imports {
namespace {

struct StringField {
  const char* key;
  std::string ImportRecord::*member;
};
constexpr StringField kStrings[] = {
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

struct DoubleField {
  const char* key;
  double ImportRecord::*member;
};
constexpr DoubleField kDoubles[] = {
    {"start_time", &ImportRecord::start_time},
    {"end_time", &ImportRecord::end_time},
};

struct IntField {
  const char* key;
  int64_t ImportRecord::*member;
};
constexpr IntField kInts[] = {
    {"processed_items", &ImportRecord::processed_items},
    {"imported_items", &ImportRecord::imported_items},
    {"error_count", &ImportRecord::error_count},
    {"processed_bytes", &ImportRecord::processed_bytes},
};

std::string Prefix() { return std::string{keys::kExport, 'i'}; }
std::string ImportKey(std::string_view arn) { return Prefix() + std::string(arn); }

void OptionalString(JsonWriter& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v);
}

// A member holding JSON text kept from the request (written as is).
void OptionalRaw(JsonWriter& w, const char* key, const std::string& json) {
  if (json.empty()) return;
  w.Key(key);
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void WriteBucketSource(const ImportRecord& r, JsonWriter& w) {
  w.Key("S3BucketSource");
  w.StartObject();
  OptionalString(w, "S3BucketOwner", r.bucket_owner);
  w.Key("S3Bucket");
  w.String(r.bucket);
  OptionalString(w, "S3KeyPrefix", r.prefix);
  w.EndObject();
}

}  // namespace

std::string SerializeImport(const ImportRecord& r) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  for (const auto& f : kStrings) {
    w.Key(f.key);
    w.String(r.*f.member);
  }
  for (const auto& f : kDoubles) {
    w.Key(f.key);
    w.Double(r.*f.member);
  }
  for (const auto& f : kInts) {
    w.Key(f.key);
    w.Int64(r.*f.member);
  }
  w.Key("seq");
  w.Uint64(r.seq);
  w.Key("table_uid");
  w.Uint64(r.table_uid);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<ImportRecord> ParseImport(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [] { return Internal("corrupt import record"); };
  if (d.HasParseError() || !d.IsObject()) return bad();
  ImportRecord r;
  for (const auto& f : kStrings) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsString()) return bad();
    (r.*f.member).assign(it->value.GetString(), it->value.GetStringLength());
  }
  for (const auto& f : kDoubles) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsNumber()) return bad();
    r.*f.member = it->value.GetDouble();
  }
  for (const auto& f : kInts) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsInt64()) return bad();
    r.*f.member = it->value.GetInt64();
  }
  for (auto [key, member] :
       {std::pair{"seq", &ImportRecord::seq}, std::pair{"table_uid", &ImportRecord::table_uid}}) {
    auto it = d.FindMember(key);
    if (it == d.MemberEnd() || !it->value.IsUint64()) return bad();
    r.*member = it->value.GetUint64();
  }
  return r;
}

Status SaveImport(Store& store, const ImportRecord& r) {
  WriteBatch b;
  b.Put(ImportKey(r.arn), SerializeImport(r));
  return store.Write(b);
}

Result<std::optional<ImportRecord>> LoadImport(const Store& store, std::string_view arn) {
  std::string value;
  ASSIGN_OR_RETURN(bool found, store.Get(ImportKey(arn), &value));
  if (!found) return std::optional<ImportRecord>();
  ASSIGN_OR_RETURN(ImportRecord r, ParseImport(value));
  return std::optional<ImportRecord>(std::move(r));
}

Result<std::vector<ImportRecord>> LoadImports(const Store& store) {
  std::vector<ImportRecord> all;
  const std::string prefix = Prefix();
  auto cur = store.NewCursor(prefix, keys::PrefixEnd(prefix));
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    ASSIGN_OR_RETURN(ImportRecord r, ParseImport(cur->value()));
    all.push_back(std::move(r));
  }
  RETURN_IF_ERROR(cur->status());
  std::sort(all.begin(), all.end(),
            [](const ImportRecord& a, const ImportRecord& b) { return a.seq < b.seq; });
  return all;
}

Status FailInterruptedImports(EngineContext& ctx, double now) {
  ASSIGN_OR_RETURN(std::vector<ImportRecord> all, LoadImports(*ctx.store));
  for (ImportRecord& r : all) {
    if (r.status != "IN_PROGRESS") continue;
    {
      std::lock_guard lock(SchemaMutex());
      TablePtr t = ctx.catalog.Find(r.table_name);
      if (t && t->info.id == r.table_uid && t->info.status == "CREATING") {
        auto dropped = ctx.catalog.Drop(r.table_name);
        if (!dropped.ok()) return std::move(dropped).error();
        std::fprintf(stderr, "ddb: import %s: interrupted; its unfinished table %s dropped\n",
                     r.arn.c_str(), r.table_name.c_str());
      }
    }
    r.status = "FAILED";
    r.end_time = now;
    // Our own code: AWS never restarts under an import.
    r.failure_code = "ImportInterrupted";
    r.failure_message =
        "The import was interrupted by a server stop before it completed and its table was "
        "deleted; request a new import";
    RETURN_IF_ERROR(SaveImport(*ctx.store, r));
  }
  return Status::Ok();
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
  OptionalString(w, "ClientToken", r.client_token);
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
  OptionalString(w, "FailureCode", r.failure_code);
  OptionalString(w, "FailureMessage", r.failure_message);
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
