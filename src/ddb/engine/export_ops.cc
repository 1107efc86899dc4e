// Table exports: ExportTableToPointInTime, DescribeExport, ListExports.
//
// An export writes to the folder standing in for S3 (export_root.h,
// --export-root), in the layout DynamoDB writes to S3 (export_writer.h),
// as DynamoDB JSON or Amazon Ion lines (export_lines.h):
// - FULL_EXPORT: the table as it was at ExportTime (default: now), read
//   through the restore's machinery (pitr_restore.h: the current items
//   merged with the undo log newer than ExportTime);
// - INCREMENTAL_EXPORT: the items changed in [ExportFromTime, ExportToTime)
//   (IncrementalExportSpecification), read from the undo log
//   (export_incremental.h).
// Both need point-in-time recovery on the table, as DynamoDB does, and read
// from cursors opened by the request, so writes go on while the background
// job (export_job.h) writes the files. The record (export_records.h) is
// durable; an export a restart interrupts becomes FAILED.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "ddb/common/clock.h"
#include "ddb/engine/backup.h"
#include "ddb/engine/export_incremental.h"
#include "ddb/engine/export_job.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/export_writer.h"
#include "ddb/engine/job_records.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/format/keys.h"
#include "ddb/format/pitr_log.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT: Constraints, Quote, CheckEnum
using exports::ExportLayout;
using exports::ExportRecord;

constexpr size_t kMinExportArnLength = 37;
constexpr size_t kMaxArnLength = 1024;
constexpr int64_t kMaxListResults = 25;

void CheckPattern(Constraints& c, const std::optional<std::string>& v, const std::string& path,
                  bool ok, std::string_view pattern) {
  if (v && !ok) {
    c.Fail(Quote(*v), path,
           "Member must satisfy regular expression pattern: " + std::string(pattern));
  }
}

void CheckMaxLength(Constraints& c, const std::optional<std::string>& v, const std::string& path,
                    size_t max) {
  if (v && v->size() > max) {
    c.Fail(Quote(*v), path, "Member must have length less than or equal to " + std::to_string(max));
  }
}

Error ExportNotFound(const std::string& arn) {
  // Wording a guess: the reference names the exception only.
  return Error{ErrorCode::kExportNotFound, "Export not found: " + arn};
}

// The table a TableArn names; TableNotFoundException for an ARN of no table
// here (another region or account included).
Result<TablePtr> TableOfArn(EngineContext& ctx, const std::string& arn) {
  const size_t at = arn.find(":table/");
  if (arn.rfind("arn:", 0) != 0 || at == std::string::npos) {
    return Validation(std::string(kInvalid) + "Invalid TableArn: " + arn);  // wording a guess
  }
  const std::string name = arn.substr(at + 7);
  TablePtr t = name.find('/') == std::string::npos ? ctx.catalog.Find(name) : nullptr;
  if (!t || t->info.Arn() != arn) {
    return backups::TableNotFoundForBackup(name);  // as the PITR calls; wording a guess
  }
  return t;
}

// Serializes accepting exports, so that one ClientToken makes one export.
std::mutex& AcceptMutex() {
  static std::mutex mu;
  return mu;
}

// The request's parameters, compared with an earlier export's when the
// ClientToken is reused (the times only when the request gives them).
bool SameRequest(const ExportRecord& a, const ExportRecord& b, bool time_given,
                 bool to_time_given) {
  return a.table_arn == b.table_arn && a.bucket == b.bucket && a.bucket_owner == b.bucket_owner &&
         a.prefix == b.prefix && a.sse_algorithm == b.sse_algorithm &&
         a.kms_key_id == b.kms_key_id && a.format == b.format && a.type == b.type &&
         (!time_given || a.export_time == b.export_time) &&
         a.export_from_time == b.export_from_time && a.view_type == b.view_type &&
         (!to_time_given || a.export_to_time == b.export_to_time);
}

// "2026-10-09T00:41:50Z": a time as DynamoDB's incremental-export
// messages show it (whole seconds, UTC).
std::string IsoSeconds(double epoch_seconds) {
  const auto secs = static_cast<time_t>(std::floor(epoch_seconds));
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

Error InvalidExportTime(std::string message) {
  return Error{ErrorCode::kInvalidExportTime, std::move(message)};
}

// An incremental export's window, checked against the table's PITR window
// and the clock, in the order and wording DynamoDB answers (observed on
// the service: a table without PITR gets the first message too). The
// 24-hour wording is a guess (the limit is documented, its message not).
Status CheckIncrementalWindow(const TableInfo& info, double from, double to, double now) {
  const bool in_window = info.pitr_enabled && from >= PitrEarliestRestorable(info, now);
  if (!in_window) {
    return InvalidExportTime(
        "Incremental export period from time cannot be less than the table creation time : " +
        IsoSeconds(from));
  }
  if (to > now) {
    return InvalidExportTime(
        "Incremental export period to time cannot be greater than the current time : " +
        IsoSeconds(to));
  }
  if (to - from < 15 * 60) {
    return InvalidExportTime(
        "Difference between export period from time and export period to time is less than 15 "
        "minutes");
  }
  if (to - from > 24 * 3600) {
    return InvalidExportTime(
        "Difference between export period from time and export period to time is more than 24 "
        "hours");
  }
  return Status::Ok();
}

void WriteDescriptionResponse(const ExportRecord& r, JsonWriter& out) {
  out.StartObject();
  out.Key("ExportDescription");
  exports::WriteExportDescription(r, out);
  out.EndObject();
}

}  // namespace

Status ExportTableToPointInTime(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto table_arn, OptString(req, "TableArn"));
  ASSIGN_OR_RETURN(auto bucket, OptString(req, "S3Bucket"));
  ASSIGN_OR_RETURN(auto owner, OptString(req, "S3BucketOwner"));
  ASSIGN_OR_RETURN(auto prefix, OptString(req, "S3Prefix"));
  ASSIGN_OR_RETURN(auto sse, OptString(req, "S3SseAlgorithm"));
  ASSIGN_OR_RETURN(auto kms, OptString(req, "S3SseKmsKeyId"));
  ASSIGN_OR_RETURN(auto format, OptString(req, "ExportFormat"));
  ASSIGN_OR_RETURN(auto token, OptString(req, "ClientToken"));
  ASSIGN_OR_RETURN(auto type, OptString(req, "ExportType"));
  const auto* when = Member(req, "ExportTime");
  if (when && !when->IsNumber()) return Serialization("Unexpected value type in payload");
  ASSIGN_OR_RETURN(const rapidjson::Value* spec, OptStruct(req, "IncrementalExportSpecification",
                                                           "IncrementalExportSpecification"));
  const rapidjson::Value* from_time = spec ? Member(*spec, "ExportFromTime") : nullptr;
  const rapidjson::Value* to_time = spec ? Member(*spec, "ExportToTime") : nullptr;
  if ((from_time && !from_time->IsNumber()) || (to_time && !to_time->IsNumber())) {
    return Serialization("Unexpected value type in payload");
  }
  std::optional<std::string> view;
  if (spec) {
    ASSIGN_OR_RETURN(view, OptString(*spec, "ExportViewType"));
  }
  if (!table_arn) c.Null("tableArn");
  if (!bucket) {
    c.Null("s3Bucket");
  } else {
    CheckMaxLength(c, bucket, "s3Bucket", 255);
    CheckPattern(c, bucket, "s3Bucket", job_records::ValidBucketName(*bucket),
                 "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
  }
  CheckPattern(
      c, owner, "s3BucketOwner",
      owner && owner->size() == 12 && owner->find_first_not_of("0123456789") == std::string::npos,
      "[0-9]{12}");
  CheckMaxLength(c, prefix, "s3Prefix", 1024);
  CheckEnum(c, sse, "s3SseAlgorithm", {"AES256", "KMS"}, "[AES256, KMS]");
  if (kms && kms->empty()) {
    c.Fail("''", "s3SseKmsKeyId", "Member must have length greater than or equal to 1");
  }
  CheckMaxLength(c, kms, "s3SseKmsKeyId", 2048);
  CheckEnum(c, format, "exportFormat", {"DYNAMODB_JSON", "ION"}, "[DYNAMODB_JSON, ION]");
  CheckPattern(c, token, "clientToken", token && job_records::ValidClientToken(*token),
               "^[^\\$]+$");
  CheckEnum(c, type, "exportType", {"FULL_EXPORT", "INCREMENTAL_EXPORT"},
            "[FULL_EXPORT, INCREMENTAL_EXPORT]");
  CheckEnum(c, view, "incrementalExportSpecification.exportViewType",
            {"NEW_IMAGE", "NEW_AND_OLD_IMAGES"}, "[NEW_IMAGE, NEW_AND_OLD_IMAGES]");
  RETURN_IF_ERROR(c.ToStatus());
  // ExportType and IncrementalExportSpecification go together (DynamoDB's
  // wordings, observed on the service).
  const bool incremental = type && *type == "INCREMENTAL_EXPORT";
  if (spec && !type) {
    return Validation(
        "Invalid Request: Export Type expected to be Incremental Export when incremental export "
        "specification is provided");
  }
  if (spec && !incremental) {
    return Validation(
        "Invalid Request: When Export Type is Full Export , Incremental Export Specification "
        "should not be provided");
  }
  if (incremental && !spec) {
    return Validation(
        "Invalid Request: Incremental Export Specification expected when export type is set as "
        "Incremental Export");
  }
  if (incremental && !from_time) {
    return Validation(
        "Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification");
  }
  const ExportRoot root(ctx.options.export_root);
  if (!root.configured()) {
    return Validation(
        "Exports need a folder standing in for S3: start the server with --export-root DIR");
  }
  // The location's shape first (no folder is touched yet).
  RETURN_IF_ERROR(ExportRoot::SplitPrefix(prefix.value_or("")));

  ExportRecord r;
  r.table_arn = *table_arn;
  r.bucket = *bucket;
  r.bucket_owner = owner.value_or("");
  r.prefix = prefix.value_or("");
  r.sse_algorithm = sse.value_or("");
  r.kms_key_id = kms.value_or("");
  r.format = format.value_or("DYNAMODB_JSON");
  r.type = type.value_or("FULL_EXPORT");
  r.client_token = token.value_or("");
  if (incremental) {
    r.export_from_time = from_time->GetDouble();
    r.view_type = view.value_or("NEW_AND_OLD_IMAGES");
    if (to_time) r.export_to_time = to_time->GetDouble();
  }

  std::lock_guard accept(AcceptMutex());
  const double now = NowEpochSeconds();
  if (!r.client_token.empty()) {
    ASSIGN_OR_RETURN(std::vector<ExportRecord> all, exports::LoadExports(*ctx.store));
    if (const ExportRecord* e = job_records::FindByClientToken(all, r.client_token, now)) {
      if (!SameRequest(*e, r, when != nullptr, to_time != nullptr)) {
        // The reference names ImportConflictException for this case, which
        // ExportTableToPointInTime does not declare; its declared
        // ExportConflictException is used instead (a guess).
        return Error{
            ErrorCode::kExportConflict,
            "An export with the same ClientToken but different parameters exists: " + e->arn};
      }
      WriteDescriptionResponse(*e, out);
      return Status::Ok();
    }
  }

  exports::ExportJob job;
  ASSIGN_OR_RETURN(job.slot, ctx.export_slots.Take());
  {
    std::lock_guard lock(SchemaMutex());
    ASSIGN_OR_RETURN(TablePtr table, TableOfArn(ctx, r.table_arn));
    const TableInfo& info = table->info;
    if (incremental) {
      // ExportToTime left out: the latest time with data, now.
      if (!to_time) r.export_to_time = now;
      RETURN_IF_ERROR(CheckIncrementalWindow(info, r.export_from_time, r.export_to_time, now));
      if (when) {
        // Wording a guess: DynamoDB's window checks answer first.
        return Validation(
            "Invalid Request: Export Time should not be provided when Export Type is Incremental "
            "Export");
      }
    } else if (!info.pitr_enabled) {
      // PITR's own wording (pitr.cc), as DynamoDB answers.
      return Error{ErrorCode::kPointInTimeRecoveryUnavailable,
                   "Point in time recovery is not enabled for table '" + info.name + "'"};
    }
    int64_t time_us = 0;
    if (incremental) {
      time_us = std::llround(r.export_to_time * 1e6);
    } else if (when) {
      const double t = when->GetDouble();
      if (!(t >= PitrEarliestRestorable(info, now) && t <= now)) {
        // DynamoDB's wording for a time before the window or in the future.
        return InvalidExportTime("Export Time is invalid");
      }
      time_us = std::llround(t * 1e6);
    } else {
      time_us = ctx.pitr->LatestTime();
    }
    r.seq = ctx.catalog.NextId();
    // <table arn>/export/<id>, as DynamoDB forms it.
    r.export_id = job_records::MakeJobId(now, r.seq, 0x5eed);
    r.arn = info.Arn() + "/export/" + r.export_id;
    r.table_id = TableIdOf(info);
    r.table_name = info.name;
    r.start_time = now;
    if (incremental) {
      // Every commit before the window's end is written (later ones are
      // timed at or after it), then the cursors: items first.
      ctx.pitr->WaitForCommits(time_us - 1);
      job.incremental = exports::OpenIncrementalCursors(
          ctx, info.id, std::llround(r.export_from_time * 1e6), time_us);
      job.key = info.key;
    } else {
      r.export_time = when ? when->GetDouble() : static_cast<double>(time_us / 1000) / 1000.0;
      ctx.pitr->WaitForCommits(time_us);
      job.items = ctx.store->NewCursor(keys::TablePrefix(info.id), keys::TablePrefixEnd(info.id));
      job.items_prefix_len = keys::TablePrefix(info.id).size();
      job.undo = ctx.pitr->NewUndoCursor(info.id, time_us);
    }
  }
  // The folders and the _started marker: a location outside the root, or
  // not writable, is refused here rather than failing the export later.
  ASSIGN_OR_RETURN(ExportLayout layout, exports::CreateExportFolder(root, r));
  job.layout = std::make_unique<ExportLayout>(std::move(layout));
  RETURN_IF_ERROR(exports::SaveExport(*ctx.store, r));
  job.record = r;
  exports::StartExportJob(ctx, std::move(job));
  WriteDescriptionResponse(r, out);
  return Status::Ok();
}

Status DescribeExport(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto arn, OptString(req, "ExportArn"));
  if (!arn) {
    c.Null("exportArn");
  } else if (arn->size() < kMinExportArnLength) {
    c.Fail(Quote(*arn), "exportArn", "Member must have length greater than or equal to 37");
  } else {
    CheckMaxLength(c, arn, "exportArn", kMaxArnLength);
  }
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(auto r, exports::LoadExport(*ctx.store, *arn));
  if (!r) return ExportNotFound(*arn);
  WriteDescriptionResponse(*r, out);
  return Status::Ok();
}

Status ListExports(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto table_arn, OptString(req, "TableArn"));
  ASSIGN_OR_RETURN(auto max, OptInt32(req, "MaxResults"));
  ASSIGN_OR_RETURN(auto next, OptString(req, "NextToken"));
  if (max && *max < 1) {
    c.Fail(Quote(std::to_string(*max)), "maxResults",
           "Member must have value greater than or equal to 1");
  } else if (max && *max > kMaxListResults) {
    c.Fail(Quote(std::to_string(*max)), "maxResults",
           "Member must have value less than or equal to 25");
  }
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(std::vector<ExportRecord> all, exports::LoadExports(*ctx.store));
  // NextToken: the ARN of the last export of the previous page (opaque to
  // clients). Creation order, oldest first (DynamoDB's order is not
  // documented: a guess).
  auto page = job_records::PageAfter(all, table_arn, next,
                                     static_cast<size_t>(max.value_or(kMaxListResults)));
  if (!page) return Validation("Invalid NextToken: " + *next);  // wording a guess
  out.StartObject();
  out.Key("ExportSummaries");
  out.StartArray();
  for (const ExportRecord* r : page->records) {
    out.StartObject();
    out.Key("ExportArn");
    out.String(r->arn);
    out.Key("ExportStatus");
    out.String(r->status);
    out.Key("ExportType");
    out.String(r->type);
    out.EndObject();
  }
  out.EndArray();
  if (page->more_after) {
    out.Key("NextToken");
    out.String(page->more_after->arn);
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
