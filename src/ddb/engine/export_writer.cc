#include "ddb/engine/export_writer.h"

#include <openssl/evp.h>
#include <rapidjson/stringbuffer.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

#include "base/base64.h"
#include "ddb/model/json_codec.h"

namespace ddb::exports {
namespace {

constexpr size_t kChunk = 64 * 1024;

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// MD5 of a stream of bytes (OpenSSL's EVP).
class Md5 {
 public:
  Md5() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr); }
  ~Md5() { EVP_MD_CTX_free(ctx_); }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void Update(std::string_view d) { EVP_DigestUpdate(ctx_, d.data(), d.size()); }
  std::string Final() {  // the 16 raw bytes
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
    return std::string(reinterpret_cast<char*>(out), n);
  }

 private:
  EVP_MD_CTX* ctx_;
};

std::string HexMd5(std::string_view data) {
  Md5 m;
  m.Update(data);
  std::string raw = m.Final();
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

// 26 characters of [a-z0-9], like the names DynamoDB gives its data files.
std::string RandomFileStem() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::string s;
  for (int i = 0; i < 26; ++i) s.push_back(kChars[rd() % 36]);
  return s;
}

Status WriteSmallFile(const ExportDir& dir, std::string_view name, std::string_view content) {
  ASSIGN_OR_RETURN(Fd fd, dir.CreateFile(name));
  RETURN_IF_ERROR(WriteAll(fd.get(), content));
  return SyncAndClose(std::move(fd));
}

}  // namespace

// A gzip file being written, with the MD5 of its compressed bytes.
class GzipFileWriter {
 public:
  explicit GzipFileWriter(Fd fd) : fd_(std::move(fd)) {
    ok_ = deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
          Z_OK;
  }
  ~GzipFileWriter() { deflateEnd(&z_); }
  GzipFileWriter(const GzipFileWriter&) = delete;
  GzipFileWriter& operator=(const GzipFileWriter&) = delete;

  Status Write(std::string_view data) { return Deflate(data, Z_NO_FLUSH); }

  // Ends the stream, fsyncs and closes the file; sets the MD5 (raw bytes).
  Status Close(std::string* md5) {
    RETURN_IF_ERROR(Deflate({}, Z_FINISH));
    *md5 = md5_.Final();
    return SyncAndClose(std::move(fd_));
  }

 private:
  Status Deflate(std::string_view in, int flush) {
    if (!ok_) return Internal("Internal server error");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    unsigned char out[kChunk];
    while (true) {
      z_.next_out = out;
      z_.avail_out = sizeof out;
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return Internal("Internal server error");
      const size_t n = sizeof out - z_.avail_out;
      std::string_view chunk(reinterpret_cast<char*>(out), n);
      md5_.Update(chunk);
      RETURN_IF_ERROR(WriteAll(fd_.get(), chunk));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
    return Status::Ok();
  }

  Fd fd_;
  z_stream z_{};
  bool ok_ = false;
  Md5 md5_;
};

std::string IsoTime(double epoch_seconds) {
  const auto ms_total = static_cast<long long>(std::llround(epoch_seconds * 1000.0));
  const time_t secs = static_cast<time_t>(ms_total / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms_total % 1000));
  return buf;
}

Result<ExportLayout> CreateExportFolder(const ExportRoot& root, const ExportRecord& r) {
  std::string prefix = r.prefix;
  if (prefix.ends_with('/')) prefix.pop_back();
  const std::string base = (prefix.empty() ? "" : prefix + "/") + "AWSDynamoDB";
  ASSIGN_OR_RETURN(ExportDir top, root.Open(r.bucket, r.prefix, true));
  ASSIGN_OR_RETURN(ExportDir aws, top.Sub("AWSDynamoDB", true));
  ASSIGN_OR_RETURN(ExportDir dir, aws.Sub(r.export_id, true));
  RETURN_IF_ERROR(WriteSmallFile(dir, "_started", ""));
  const bool incremental = r.type == "INCREMENTAL_EXPORT";
  // An incremental export's data files go to the folder the exports of the
  // prefix share.
  ASSIGN_OR_RETURN(ExportDir data, (incremental ? aws : dir).Sub("data", true));
  const std::string key = base + "/" + r.export_id;
  return ExportLayout{std::move(dir), key, std::move(data), (incremental ? base : key) + "/data"};
}

ExportWriter::ExportWriter(ExportLayout layout, std::string_view extension,
                           size_t max_items_per_file)
    : layout_(std::move(layout)),
      extension_(extension),
      max_items_(max_items_per_file ? max_items_per_file : 1) {}

ExportWriter::~ExportWriter() = default;

Status ExportWriter::OpenDataFile() {
  file_name_ = RandomFileStem() + extension_;
  ASSIGN_OR_RETURN(Fd fd, layout_.data_dir.CreateFile(file_name_));
  file_ = std::make_unique<GzipFileWriter>(std::move(fd));
  file_items_ = 0;
  return Status::Ok();
}

Status ExportWriter::Add(std::string_view line, size_t billed_bytes) {
  if (!file_) RETURN_IF_ERROR(OpenDataFile());
  RETURN_IF_ERROR(file_->Write(line));
  RETURN_IF_ERROR(file_->Write("\n"));
  ++file_items_;
  ++items_;
  bytes_ += static_cast<int64_t>(billed_bytes);
  if (static_cast<size_t>(file_items_) >= max_items_) RETURN_IF_ERROR(CloseDataFile());
  return Status::Ok();
}

Status ExportWriter::CloseDataFile() {
  std::string md5;
  RETURN_IF_ERROR(file_->Close(&md5));
  file_.reset();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("itemCount");
  w.Int64(file_items_);
  w.Key("md5Checksum");
  w.String(base::Base64Encode(md5));
  w.Key("etag");
  w.String(Hex(reinterpret_cast<const unsigned char*>(md5.data()), md5.size()));
  w.Key("dataFileS3Key");
  w.String(layout_.data_key + "/" + file_name_);
  w.EndObject();
  manifest_files_.append(buf.GetString(), buf.GetSize());
  manifest_files_ += '\n';
  return Status::Ok();
}

Status ExportWriter::Finish(ExportRecord& r, double end) {
  // Nothing to write still makes one (empty) data file, as DynamoDB writes
  // one per partition.
  if (items_ == 0 && !file_ && manifest_files_.empty()) RETURN_IF_ERROR(OpenDataFile());
  if (file_) RETURN_IF_ERROR(CloseDataFile());
  const ExportDir& dir = layout_.dir;
  RETURN_IF_ERROR(WriteSmallFile(dir, "manifest-files.json", manifest_files_));
  RETURN_IF_ERROR(WriteSmallFile(dir, "manifest-files.checksum", HexMd5(manifest_files_)));

  const bool incremental = r.type == "INCREMENTAL_EXPORT";
  r.item_count = items_;
  r.billed_size_bytes = incremental ? std::max(bytes_, kIncrementalMinBilledBytes) : bytes_;
  r.end_time = end;
  r.manifest = layout_.key + "/manifest-summary.json";
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  auto string_or_null = [&](const char* key, const std::string& v) {
    w.Key(key);
    if (v.empty()) {
      w.Null();
    } else {
      w.String(v);
    }
  };
  w.StartObject();
  w.Key("version");
  w.String(incremental ? "2023-08-01" : "2020-06-30");
  w.Key("exportArn");
  w.String(r.arn);
  w.Key("startTime");
  w.String(IsoTime(r.start_time));
  w.Key("endTime");
  w.String(IsoTime(end));
  w.Key("tableArn");
  w.String(r.table_arn);
  w.Key("tableId");
  w.String(r.table_id);
  if (incremental) {
    w.Key("exportFromTime");
    w.String(IsoTime(r.export_from_time));
    w.Key("exportToTime");
    w.String(IsoTime(r.export_to_time));
  } else {
    w.Key("exportTime");
    w.String(IsoTime(r.export_time));
  }
  w.Key("s3Bucket");
  w.String(r.bucket);
  string_or_null("s3Prefix", r.prefix);
  string_or_null("s3SseAlgorithm", r.sse_algorithm);
  string_or_null("s3SseKmsKeyId", r.kms_key_id);
  w.Key("manifestFilesS3Key");
  w.String(layout_.key + "/manifest-files.json");
  w.Key("billedSizeBytes");
  w.Int64(r.billed_size_bytes);
  w.Key("itemCount");
  w.Int64(items_);
  w.Key("outputFormat");
  w.String(r.format);
  if (incremental) {
    w.Key("outputView");
    w.String(r.view_type);
  }
  w.Key("exportType");
  w.String(r.type);
  w.EndObject();
  std::string summary(buf.GetString(), buf.GetSize());
  RETURN_IF_ERROR(WriteSmallFile(dir, "manifest-summary.checksum", HexMd5(summary)));
  return WriteSmallFile(dir, "manifest-summary.json", summary);
}

}  // namespace ddb::exports
