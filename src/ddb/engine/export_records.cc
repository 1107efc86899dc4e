#include "ddb/engine/export_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "ddb/format/keys.h"

namespace ddb::exports {
namespace {

struct StringField {
  const char* key;
  std::string ExportRecord::*member;
};
constexpr StringField kStrings[] = {
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

struct DoubleField {
  const char* key;
  double ExportRecord::*member;
};
constexpr DoubleField kDoubles[] = {
    {"export_time", &ExportRecord::export_time},
    {"start_time", &ExportRecord::start_time},
    {"end_time", &ExportRecord::end_time},
};

struct IntField {
  const char* key;
  int64_t ExportRecord::*member;
};
constexpr IntField kInts[] = {
    {"item_count", &ExportRecord::item_count},
    {"billed_size_bytes", &ExportRecord::billed_size_bytes},
};

std::string Prefix() { return std::string{keys::kExport, 'e'}; }

// A member written only when not empty.
void OptionalString(JsonWriter& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v);
}

}  // namespace

std::string SerializeExport(const ExportRecord& r) {
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
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<ExportRecord> ParseExport(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [] { return Internal("corrupt export record"); };
  if (d.HasParseError() || !d.IsObject()) return bad();
  ExportRecord r;
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
  auto seq = d.FindMember("seq");
  if (seq == d.MemberEnd() || !seq->value.IsUint64()) return bad();
  r.seq = seq->value.GetUint64();
  return r;
}

std::string ExportKey(std::string_view arn) { return Prefix() + std::string(arn); }

Status SaveExport(Store& store, const ExportRecord& r) {
  WriteBatch b;
  b.Put(ExportKey(r.arn), SerializeExport(r));
  return store.Write(b);
}

Result<std::optional<ExportRecord>> LoadExport(const Store& store, std::string_view arn) {
  std::string value;
  ASSIGN_OR_RETURN(bool found, store.Get(ExportKey(arn), &value));
  if (!found) return std::optional<ExportRecord>();
  ASSIGN_OR_RETURN(ExportRecord r, ParseExport(value));
  return std::optional<ExportRecord>(std::move(r));
}

Result<std::vector<ExportRecord>> LoadExports(const Store& store) {
  std::vector<ExportRecord> all;
  const std::string prefix = Prefix();
  auto cur = store.NewCursor(prefix, keys::PrefixEnd(prefix));
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    ASSIGN_OR_RETURN(ExportRecord r, ParseExport(cur->value()));
    all.push_back(std::move(r));
  }
  RETURN_IF_ERROR(cur->status());
  std::sort(all.begin(), all.end(),
            [](const ExportRecord& a, const ExportRecord& b) { return a.seq < b.seq; });
  return all;
}

Status FailInterruptedExports(Store& store, double now) {
  ASSIGN_OR_RETURN(std::vector<ExportRecord> all, LoadExports(store));
  for (ExportRecord& r : all) {
    if (r.status != "IN_PROGRESS") continue;
    r.status = "FAILED";
    r.end_time = now;
    // Our own code: AWS never restarts under an export.
    r.failure_code = "ExportInterrupted";
    r.failure_message =
        "The export was interrupted by a server stop before it completed; request a new export";
    RETURN_IF_ERROR(SaveExport(store, r));
  }
  return Status::Ok();
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
  OptionalString(w, "ExportManifest", r.manifest);
  w.Key("TableArn");
  w.String(r.table_arn);
  w.Key("TableId");
  w.String(r.table_id);
  w.Key("ExportTime");
  w.Double(r.export_time);
  OptionalString(w, "ClientToken", r.client_token);
  w.Key("S3Bucket");
  w.String(r.bucket);
  OptionalString(w, "S3BucketOwner", r.bucket_owner);
  OptionalString(w, "S3Prefix", r.prefix);
  OptionalString(w, "S3SseAlgorithm", r.sse_algorithm);
  OptionalString(w, "S3SseKmsKeyId", r.kms_key_id);
  OptionalString(w, "FailureCode", r.failure_code);
  OptionalString(w, "FailureMessage", r.failure_message);
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
  w.EndObject();
}

}  // namespace ddb::exports
