// The source of an ImportTable (import_ops.cc): the S3 objects under
// S3BucketSource, read from the folder standing in for S3 (export_root.h,
// --export-root) with the same containment rules as exports: every folder
// and file is opened one component at a time with O_NOFOLLOW, symbolic links
// are never followed, nothing outside the root is read.
//
// Formats (Developer Guide, "Amazon S3 import formats for DynamoDB"):
// - DYNAMODB_JSON: one {"Item":{...}} object per line, as an export writes
//   it (export_writer.h). Blank lines are skipped (a guess).
// - CSV: RFC 4180 records (quoted fields, "" inside quotes, CRLF or LF);
//   the header is InputFormatOptions.Csv.HeaderList, or else the first
//   record of each object. Every value is imported as a string (S), except
//   the key attributes of the table and its indexes, which take the type
//   their AttributeDefinition gives (N: a number, B: base64). An empty field
//   leaves the attribute out (a guess: an empty string cannot be a key).
// - ION: Amazon Ion text, a top-level struct {Item:{...}} per record (as an
//   ION export writes it, one per line after a $ion_1_0 marker), read by
//   ion_reader.h's bounded reader; a record that is not well-formed Ion is
//   skipped to the end of its line.
// Compression: GZIP, ZSTD or NONE, the same for every object; decompressed
// as a stream in bounded memory. A ZSTD object may hold several frames (as
// concatenated .zst files do), decoded one after the other.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/engine/export_root.h"
#include "ddb/format/table_info.h"
#include "ddb/model/attribute_value.h"

namespace ddb::imports {

// DynamoDB's quota on the objects of one import (Developer Guide, "Import
// quotas and validation": 50,000 S3 objects).
inline constexpr size_t kMaxSourceObjects = 50000;

// InputCompressionType.
enum class Compression { kNone, kGzip, kZstd };

// "GZIP" -> kGzip, "ZSTD" -> kZstd, anything else ("NONE", "") -> kNone.
Compression CompressionFromName(std::string_view name);

// One S3 object of the source.
struct SourceObject {
  std::vector<std::string> path;  // its folders and file name below the bucket
  std::string key;                // its S3 key: the path joined with '/'
  int64_t size = 0;               // bytes, as stored
};

// The objects of <root>/<bucket> whose S3 key starts with `prefix` (S3's
// prefix match: "data/" names a folder's objects, "data/pa" the objects
// and folders of data/ whose name starts with "pa"), regular files only, in
// key order. ValidationException for a bucket or prefix that is not a plain
// relative path or reaches through a link (export_root.h), for a missing
// bucket or folder, for no object at all (wording a guess) and for more than
// kMaxSourceObjects. Links and other non-files met below the prefix are
// skipped, each with a line on stderr.
Result<std::vector<SourceObject>> ListSource(const ExportRoot& root, std::string_view bucket,
                                             std::string_view prefix);

// One record of an object: an item, or why the record cannot be one.
struct SourceRecord {
  Status problem;  // not ok: the record is skipped and counted as an error
  Item item;
};

struct CsvFormat {
  char delimiter = ',';
  std::optional<std::vector<std::string>> header;  // HeaderList
};

// Reads the records of one object.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The next record into `r`: false at the object's end. An Error when the
  // object itself cannot be read on (not gzip or zstd data, a corrupt or
  // truncated stream, an I/O error): the caller skips the rest of the object.
  virtual Result<bool> Next(SourceRecord* r) = 0;
};

// Opens `object` (again one component at a time) and returns its reader.
// `table` gives the key attributes' types (CSV); `csv` is set for CSV,
// `ion` for ION, neither for DYNAMODB_JSON.
Result<std::unique_ptr<RecordReader>> OpenSource(const ExportRoot& root, std::string_view bucket,
                                                 const SourceObject& object,
                                                 Compression compression, const TableInfo& table,
                                                 const std::optional<CsvFormat>& csv,
                                                 bool ion = false);

}  // namespace ddb::imports
