// ExportWriter: the files of one table export, laid out as DynamoDB lays
// them out in S3 (Developer Guide, "DynamoDB table export output format"),
// under the export's folder <prefix>/AWSDynamoDB/<ExportId>/:
//
//   _started                   empty; written first
//   data/<26 chars>.json.gz    gzip'd data lines (export_lines.h), one per
//   data/<26 chars>.ion.gz     item or change; .ion.gz for ExportFormat ION
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
//                              billedSizeBytes, itemCount, outputFormat
//                              (DYNAMODB_JSON or ION), exportType
//
// An incremental export puts its data files in the folder its exports
// share, <prefix>/AWSDynamoDB/data/, and its summary has version
// "2023-08-01", exportFromTime and exportToTime instead of exportTime, and
// outputView (the view type), as the guide's incremental example shows
// them. Its billedSizeBytes is at least 10,000,000 (DynamoDB bills an
// incremental export at least 10 MB and reports that, even for no change).
//
// DynamoDB writes at least one file per partition; this writer starts a new
// data file every `max_items_per_file` items, and writes one (empty) data file
// when there is nothing to write. Every file is fsynced before the manifests
// name it.
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

// The least BilledSizeBytes of an incremental export.
inline constexpr int64_t kIncrementalMinBilledBytes = 10'000'000;

// Where an export's files go.
struct ExportLayout {
  ExportDir dir;         // <prefix>/AWSDynamoDB/<id>: _started, the manifests
  std::string key;       // its S3 key: "<prefix>/AWSDynamoDB/<id>" or "AWSDynamoDB/<id>"
  ExportDir data_dir;    // <id>/data, or AWSDynamoDB/data for an incremental export
  std::string data_key;  // its S3 key
};

class ExportWriter {
 public:
  // `extension` is the data files' (export_lines.h's DataFileExtension).
  ExportWriter(ExportLayout layout, std::string_view extension, size_t max_items_per_file = 100000);
  ~ExportWriter();

  // Adds one data line (without its newline) and the bytes it bills (the
  // DynamoDB size of the item or images it holds). InternalServerError on
  // an I/O error.
  Status Add(std::string_view line, size_t billed_bytes);

  // Closes the last data file and writes the manifests, completing `r`'s
  // item_count, billed_size_bytes, end_time (`end`) and manifest (the S3 key
  // of manifest-summary.json).
  Status Finish(ExportRecord& r, double end);

 private:
  Status OpenDataFile();
  Status CloseDataFile();

  ExportLayout layout_;
  std::string extension_;
  size_t max_items_;
  std::unique_ptr<GzipFileWriter> file_;
  std::string file_name_;
  int64_t file_items_ = 0;
  int64_t items_ = 0, bytes_ = 0;
  std::string manifest_files_;  // the lines written so far
};

// Creates the export's folder <prefix>/AWSDynamoDB/<export id> under
// <root>/<bucket> with its empty `_started` file, and its data folder: the
// request's check that the location is writable. ValidationException for a
// location outside the root (export_root.h).
Result<ExportLayout> CreateExportFolder(const ExportRoot& root, const ExportRecord& r);

}  // namespace ddb::exports
