// Table imports: ImportTable, DescribeImport, ListImports.
//
// ImportTable creates a NEW table from TableCreationParameters (validated
// as CreateTable validates its request: TableInfoFromCreateRequest), CREATING
// until the background job (import_job.h) has written every item of the
// source (import_reader.h: the objects under S3BucketSource in the folder
// standing in for S3, --export-root), then ACTIVE. The record
// (import_records.h) is durable; an import a restart interrupts becomes
// FAILED and its table is dropped. DYNAMODB_JSON, CSV and ION (Amazon Ion
// text, ion_reader.h), GZIP, ZSTD or NONE, are read.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "ddb/common/clock.h"
#include "ddb/engine/import_job.h"
#include "ddb/engine/import_reader.h"
#include "ddb/engine/import_records.h"
#include "ddb/engine/job_records.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT: Constraints, Quote, CheckEnum, OptStruct
using imports::ImportRecord;

constexpr size_t kMinImportArnLength = 37;
constexpr size_t kMaxArnLength = 1024;
constexpr int64_t kMaxPageSize = 25;
constexpr size_t kMinNextTokenLength = 112;  // ImportNextToken: ([0-9a-f]{16})+, 112..1024

// CsvHeader's pattern: [\x20-\x21\x23-\x2B\x2D-\x7E]* (no '"', no ',').
bool ValidCsvHeader(std::string_view h) {
  return std::all_of(h.begin(), h.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != ','; });
}

std::string JsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// NextToken: the hex of the last ARN of the previous page, padded with
// "00" to the service model's shape (a multiple of 16 hex digits, at least
// 112). Opaque to clients.
std::string EncodeNextToken(std::string_view arn) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (unsigned char c : arn) {
    t += kHex[c >> 4];
    t += kHex[c & 15];
  }
  while (t.size() < kMinNextTokenLength || t.size() % 16 != 0) t += "00";
  return t;
}

std::optional<std::string> DecodeNextToken(std::string_view t) {
  if (t.size() % 2 != 0) return std::nullopt;
  std::string arn;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < t.size(); i += 2) {
    int hi = nibble(t[i]), lo = nibble(t[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    arn += static_cast<char>(hi * 16 + lo);
  }
  while (!arn.empty() && arn.back() == '\0') arn.pop_back();
  return arn;
}

std::mutex& AcceptMutex() {
  static std::mutex mu;
  return mu;
}

bool SameRequest(const ImportRecord& a, const ImportRecord& b) {
  return a.bucket == b.bucket && a.bucket_owner == b.bucket_owner && a.prefix == b.prefix &&
         a.format == b.format && a.compression == b.compression &&
         a.format_options_json == b.format_options_json &&
         a.creation_params_json == b.creation_params_json;
}

void WriteDescriptionResponse(EngineContext& ctx, const ImportRecord& r, JsonWriter& out) {
  out.StartObject();
  out.Key("ImportTableDescription");
  imports::WriteImportDescription(r, imports::LogGroupArn(ctx), out);
  out.EndObject();
}

// InputFormatOptions.Csv: its shape into `c`, its value into `csv`.
Status ParseCsvOptions(const rapidjson::Value& req, Constraints& c, imports::CsvFormat* csv) {
  ASSIGN_OR_RETURN(const rapidjson::Value* opts,
                   OptStruct(req, "InputFormatOptions", "InputFormatOptions"));
  if (!opts) return Status::Ok();
  ASSIGN_OR_RETURN(const rapidjson::Value* csv_opts, OptStruct(*opts, "Csv", "CsvOptions"));
  if (!csv_opts) return Status::Ok();
  ASSIGN_OR_RETURN(auto delim, OptString(*csv_opts, "Delimiter"));
  if (delim) {
    if (delim->size() != 1) {
      c.Fail(Quote(*delim), "inputFormatOptions.csv.delimiter",
             delim->empty() ? "Member must have length greater than or equal to 1"
                            : "Member must have length less than or equal to 1");
    } else if (std::string_view(",;:|\t ").find((*delim)[0]) == std::string_view::npos) {
      c.Fail(Quote(*delim), "inputFormatOptions.csv.delimiter",
             "Member must satisfy regular expression pattern: [,;:|\\t ]");
    } else {
      csv->delimiter = (*delim)[0];
    }
  }
  ASSIGN_OR_RETURN(const rapidjson::Value* headers, OptList(*csv_opts, "HeaderList"));
  if (headers) {
    std::vector<std::string> list;
    for (const auto& h : headers->GetArray()) {
      if (!h.IsString()) return Serialization("Unexpected value type in payload");
      list.emplace_back(h.GetString(), h.GetStringLength());
    }
    const std::string path = "inputFormatOptions.csv.headerList";
    if (list.empty()) {
      c.Fail("'[]'", path, "Member must have length greater than or equal to 1");
    } else if (list.size() > 255) {
      c.Fail(Quote("[" + Join(list) + "]"), path,
             "Member must have length less than or equal to 255");
    }
    for (const std::string& h : list) {
      if (h.empty() || h.size() > 65536 || !ValidCsvHeader(h)) {
        // One entry for the list, as the service model's member constraint (a guess).
        c.Fail(Quote("[" + Join(list) + "]"), path,
               "Member must satisfy constraint: [Member must have length less than or equal to "
               "65536, Member must have length greater than or equal to 1, Member must satisfy "
               "regular expression pattern: [\\x20-\\x21\\x23-\\x2B\\x2D-\\x7E]*]");
        break;
      }
    }
    csv->header = std::move(list);
  }
  return Status::Ok();
}

}  // namespace

Status ImportTable(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto token, OptString(req, "ClientToken"));
  ASSIGN_OR_RETURN(const rapidjson::Value* source,
                   OptStruct(req, "S3BucketSource", "S3BucketSource"));
  ASSIGN_OR_RETURN(auto format, OptString(req, "InputFormat"));
  ASSIGN_OR_RETURN(auto compression, OptString(req, "InputCompressionType"));
  ASSIGN_OR_RETURN(const rapidjson::Value* params,
                   OptStruct(req, "TableCreationParameters", "TableCreationParameters"));
  if (token && !job_records::ValidClientToken(*token)) {
    c.Fail(Quote(*token), "clientToken",
           "Member must satisfy regular expression pattern: ^[^\\$]+$");
  }
  ImportRecord r;
  if (!source) {
    c.Null("s3BucketSource");
  } else {
    ASSIGN_OR_RETURN(auto bucket, OptString(*source, "S3Bucket"));
    ASSIGN_OR_RETURN(auto owner, OptString(*source, "S3BucketOwner"));
    ASSIGN_OR_RETURN(auto prefix, OptString(*source, "S3KeyPrefix"));
    if (!bucket) {
      c.Null("s3BucketSource.s3Bucket");
    } else if (bucket->size() > 255) {
      c.Fail(Quote(*bucket), "s3BucketSource.s3Bucket",
             "Member must have length less than or equal to 255");
    } else if (!job_records::ValidBucketName(*bucket)) {
      c.Fail(
          Quote(*bucket), "s3BucketSource.s3Bucket",
          "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
    }
    if (owner &&
        (owner->size() != 12 || owner->find_first_not_of("0123456789") != std::string::npos)) {
      c.Fail(Quote(*owner), "s3BucketSource.s3BucketOwner",
             "Member must satisfy regular expression pattern: [0-9]{12}");
    }
    if (prefix && prefix->size() > 1024) {
      c.Fail(Quote(*prefix), "s3BucketSource.s3KeyPrefix",
             "Member must have length less than or equal to 1024");
    }
    r.bucket = bucket.value_or("");
    r.bucket_owner = owner.value_or("");
    r.prefix = prefix.value_or("");
  }
  if (!format) c.Null("inputFormat");
  CheckEnum(c, format, "inputFormat", {"DYNAMODB_JSON", "ION", "CSV"}, "[DYNAMODB_JSON, ION, CSV]");
  CheckEnum(c, compression, "inputCompressionType", {"GZIP", "ZSTD", "NONE"}, "[GZIP, ZSTD, NONE]");
  imports::CsvFormat csv;
  RETURN_IF_ERROR(ParseCsvOptions(req, c, &csv));
  if (!params) c.Null("tableCreationParameters");
  RETURN_IF_ERROR(c.ToStatus());
  // CSV options with another format: DynamoDB's answer (observed on the
  // service for DYNAMODB_JSON; ION alike).
  if (*format != "CSV") {
    if (const auto* opts = Member(req, "InputFormatOptions"); opts && Member(*opts, "Csv")) {
      return Validation(
          "Invalid Request: Unsupported InputFormatOptions for the given input format: " + *format +
          ".");
    }
  }

  // The new table, validated as CreateTable validates (its messages name
  // CreateTable's members, without the "tableCreationParameters." prefix
  // DynamoDB may add: a known difference).
  ASSIGN_OR_RETURN(TableInfo info, TableInfoFromCreateRequest(ctx, *params));
  info.status = "CREATING";

  const ExportRoot root(ctx.options.export_root);
  if (!root.configured()) {
    return Validation(
        "Imports need a folder standing in for S3: start the server with --export-root DIR");
  }
  r.format = *format;
  r.compression = compression.value_or("");
  if (const auto* opts = Member(req, "InputFormatOptions"); opts && opts->IsObject()) {
    r.format_options_json = JsonText(*opts);
  }
  r.creation_params_json = JsonText(*params);
  r.client_token = token.value_or("");

  std::lock_guard accept(AcceptMutex());
  const double now = NowEpochSeconds();
  if (!r.client_token.empty()) {
    ASSIGN_OR_RETURN(std::vector<ImportRecord> all, imports::LoadImports(*ctx.store));
    if (const ImportRecord* e = job_records::FindByClientToken(all, r.client_token, now)) {
      if (!SameRequest(*e, r)) {
        // Wording a guess; the exception is the reference's.
        return Error{
            ErrorCode::kImportConflict,
            "An import with the same ClientToken but different parameters exists: " + e->arn};
      }
      WriteDescriptionResponse(ctx, *e, out);
      return Status::Ok();
    }
  }
  // The source: its location checked (containment) and its objects listed
  // before anything is created.
  imports::ImportJob job;
  ASSIGN_OR_RETURN(job.slot, ctx.import_slots.Take());
  ASSIGN_OR_RETURN(job.objects, imports::ListSource(root, r.bucket, r.prefix));
  job.compression = imports::CompressionFromName(r.compression);
  if (r.format == "CSV") job.csv = csv;
  job.ion = r.format == "ION";

  {
    std::lock_guard lock(SchemaMutex());
    // ResourceInUseException for an existing name (the declared error;
    // CreateTable's wording).
    ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Create(std::move(info)));
    r.seq = ctx.catalog.NextId();
    r.import_id = job_records::MakeJobId(now, r.seq, 0x1e57);
    r.arn = table->info.Arn() + "/import/" + r.import_id;
    r.table_arn = table->info.Arn();
    r.table_id = TableIdOf(table->info);
    r.table_name = table->info.name;
    r.table_uid = table->info.id;
    r.start_time = now;
    RETURN_IF_ERROR(imports::SaveImport(*ctx.store, r));
  }
  job.record = r;
  imports::StartImportJob(ctx, std::move(job));
  WriteDescriptionResponse(ctx, r, out);
  return Status::Ok();
}

Status DescribeImport(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto arn, OptString(req, "ImportArn"));
  if (!arn) {
    c.Null("importArn");
  } else if (arn->size() < kMinImportArnLength) {
    c.Fail(Quote(*arn), "importArn", "Member must have length greater than or equal to 37");
  } else if (arn->size() > kMaxArnLength) {
    c.Fail(Quote(*arn), "importArn", "Member must have length less than or equal to 1024");
  }
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(auto r, imports::LoadImport(*ctx.store, *arn));
  // Wording a guess: the reference names the exception only.
  if (!r) return Error{ErrorCode::kImportNotFound, "Import not found: " + *arn};
  WriteDescriptionResponse(ctx, *r, out);
  return Status::Ok();
}

Status ListImports(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto table_arn, OptString(req, "TableArn"));
  ASSIGN_OR_RETURN(auto page_size, OptInt32(req, "PageSize"));
  ASSIGN_OR_RETURN(auto next, OptString(req, "NextToken"));
  if (table_arn && table_arn->empty()) {
    c.Fail("''", "tableArn", "Member must have length greater than or equal to 1");
  } else if (table_arn && table_arn->size() > kMaxArnLength) {
    c.Fail(Quote(*table_arn), "tableArn", "Member must have length less than or equal to 1024");
  }
  if (page_size && *page_size < 1) {
    c.Fail(Quote(std::to_string(*page_size)), "pageSize",
           "Member must have value greater than or equal to 1");
  } else if (page_size && *page_size > kMaxPageSize) {
    c.Fail(Quote(std::to_string(*page_size)), "pageSize",
           "Member must have value less than or equal to 25");
  }
  if (next && next->size() < kMinNextTokenLength) {
    c.Fail(Quote(*next), "nextToken", "Member must have length greater than or equal to 112");
  } else if (next && next->size() > kMaxArnLength) {
    c.Fail(Quote(*next), "nextToken", "Member must have length less than or equal to 1024");
  }
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(std::vector<ImportRecord> all, imports::LoadImports(*ctx.store));
  // Creation order, oldest first (DynamoDB's order is not documented: a guess).
  std::optional<std::string> after = next ? DecodeNextToken(*next) : std::nullopt;
  auto page = next && !after
                  ? std::nullopt
                  : job_records::PageAfter(all, table_arn, after,
                                           static_cast<size_t>(page_size.value_or(kMaxPageSize)));
  if (!page) return Validation("Invalid NextToken");  // wording a guess
  const std::string log_group = imports::LogGroupArn(ctx);
  out.StartObject();
  out.Key("ImportSummaryList");
  out.StartArray();
  for (const ImportRecord* r : page->records) imports::WriteImportSummary(*r, log_group, out);
  out.EndArray();
  if (page->more_after) {
    out.Key("NextToken");
    out.String(EncodeNextToken(page->more_after->arn));
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
