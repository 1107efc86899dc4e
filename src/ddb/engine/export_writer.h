// ExportWriter: the files of one table export, laid out as DynamoDB lays
// them out in S3 (Developer Guide, "DynamoDB table export output format"),
// under the export's folder <prefix>/AWSDynamoDB/<ExportId>/:
//
//   _started                   empty; written first
//   data/<26 chars>.json.gz    gzip'd DynamoDB JSON, one {"Item":{...}} per line
//   manifest-files.json        one JSON line per data file: itemCount,
//                              md5Checksum (base64 MD5 of the .gz file),
//                              etag (hex MD5: a single-part upload's ETag),
//                              dataFileS3Key
//   manifest-files.checksum    hex MD5 of manifest-files.json (a guess: the
//   manifest-summary.checksum  guide names these files without their format)
//   manifest-summary.json      written last: version "2020-06-30", exportArn,
//                              startTime, endTime, tableArn, tableId,
//                              exportTime, s3Bucket, s3Prefix, s3SseAlgorithm,
//                              s3SseKmsKeyId, manifestFilesS3Key,
//                              billedSizeBytes, itemCount, outputFormat,
//                              exportType
//
// DynamoDB writes at least one file per partition; this writer starts a new
// data file every `max_items_per_file` items, and writes one (empty) data file
// for an empty table. Every file is fsynced before the manifests name it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/export_root.h"

namespace ddb::exports {

class GzipFileWriter;  // export_writer.cc

// "2020-11-04T07:28:34.028Z" (UTC, milliseconds).
std::string IsoTime(double epoch_seconds);

class ExportWriter {
 public:
  // `dir` is the export's folder (already holding `_started`: see
  // WriteStartedMarker), `key_prefix` its S3 key ("<prefix>/AWSDynamoDB/<id>"
  // or "AWSDynamoDB/<id>").
  ExportWriter(ExportDir dir, std::string key_prefix, size_t max_items_per_file = 100000);
  ~ExportWriter();

  // Adds one item, its stored DynamoDB JSON text (`{"a":{"S":"x"},...}`) and
  // its DynamoDB size. InternalServerError on an I/O error.
  Status Add(std::string_view item_json, size_t item_size);

  // Closes the last data file and writes the manifests, completing `r`'s
  // item_count, billed_size_bytes, end_time (`end`) and manifest (the S3 key
  // of manifest-summary.json).
  Status Finish(ExportRecord& r, double end);

 private:
  Status CloseDataFile();

  ExportDir dir_;
  std::unique_ptr<ExportDir> data_dir_;
  std::string key_prefix_;
  size_t max_items_;
  std::unique_ptr<GzipFileWriter> file_;
  std::string file_name_;
  int64_t file_items_ = 0;
  int64_t items_ = 0, bytes_ = 0;
  std::string manifest_files_;  // the lines written so far
};

// Creates the export's folder <prefix>/AWSDynamoDB/<export id> under
// <root>/<bucket> and its empty `_started` file: the request's check that
// the location is writable. ValidationException for a location outside the
// root (export_root.h).
Result<ExportDir> CreateExportFolder(const ExportRoot& root, const ExportRecord& r);

// The S3 key of the export's folder: "<prefix>/AWSDynamoDB/<id>".
std::string ExportFolderKey(const ExportRecord& r);

}  // namespace ddb::exports
