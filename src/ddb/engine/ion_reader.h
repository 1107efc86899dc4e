// A bounded reader of Amazon Ion text for ImportTable's InputFormat ION
// (import_reader.h): the records of an object, each a top-level struct
// whose Item member is a DynamoDB item, as an Ion export writes them
// (ion_writer.h; Developer Guide, "Amazon S3 import formats for DynamoDB",
// Ion: string -> S, decimal -> N, blob -> B, bool -> BOOL, list annotated
// $dynamodb_SS / $dynamodb_NS / $dynamodb_BS -> SS / NS / BS, list -> L,
// struct -> M).
//
// Hand-written because Debian 12 packages no Ion library (ion-c is not
// packaged); it reads Ion 1.0 text, the subset a DynamoDB item can use:
//   - whitespace, // and /* */ comments, $ion_1_0 version markers between
//     values (skipped), values spread over several lines;
//   - structs, lists, trailing commas; field names as identifiers, 'quoted'
//     symbols, "strings" or '''long strings''';
//   - strings "..." and '''...''' (adjacent long strings concatenated) with
//     every Ion escape (\n \t \xHH \uHHHH \UHHHHHHHH \<newline> ...), UTF-8
//     checked;
//   - null and null.null -> NULL; true, false;
//   - decimals (1.5, 103., 6d2, 1.5d-3), ints (12, 1_000, 0x1F, 0b101) and
//     floats (1.5e3, read as the decimal they spell) -> N, with DynamoDB's
//     38-digit and range rules (number.h, through the item's decoding);
//   - blobs {{base64}} -> B;
//   - the three set annotations on lists.
// Anything else is refused as a bad record: other annotations, symbol
// values, typed nulls (null.string), nan and infinities, timestamps, clobs,
// s-expressions, symbol ids ($10), local symbol tables, duplicate field
// names, Ion 1.1.
//
// Bounds: containers nest at most `max_depth` deep (80, as JSON imports),
// one record's text is at most `max_record_bytes`, and the parser keeps an
// explicit stack (no recursion a file can drive). Memory is one record's
// worth. A record that is not well-formed Ion is skipped to the end of its
// line (AWS writes one record per line) and reading resumes there.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/engine/ion_source.h"
#include "ddb/model/attribute_value.h"

namespace ddb::ion {

struct ReaderLimits {
  // Structs and lists nested in one record, the record's own struct
  // included (an item holds at most 32 levels; the rest is headroom, as
  // the JSON import's 80).
  unsigned max_depth = 80;
  // Bytes of Ion text in one record (as the JSON import's line limit).
  size_t max_record_bytes = 4 * 1024 * 1024;
};

class RecordReader {
 public:
  explicit RecordReader(ByteSource& in, ReaderLimits limits = {});
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Reads the next record: false at the end of the text. When true, either
  // `*problem` is OK and `*item` holds the record's item, or `*problem` is a
  // ValidationException saying why the record is not one (it is skipped;
  // an import counts it in ErrorCount).
  bool Next(Item* item, Status* problem);

  // The next top-level value (not a version marker) as the DynamoDB JSON of
  // the attribute value it maps to (a struct: {"M":{...}}), or the reason it
  // maps to none: Next without the Item member's extraction (tests, fuzz).
  bool NextValue(std::string* json, Status* problem);

 private:
  class Parser;
  std::unique_ptr<Parser> parser_;
  ReaderLimits limits_;
};

// The item of a record given as the DynamoDB JSON of its top-level value
// (NextValue's output): its Item member's struct, decoded with DynamoDB's
// validation (json_codec.h). ValidationException otherwise.
Result<Item> RecordItem(std::string_view value_json, const ReaderLimits& limits = {});

}  // namespace ddb::ion
