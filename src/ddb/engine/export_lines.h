// The data lines of a table export (export_writer.h writes them, one per
// line, into gzip'd data files), in the two ExportFormats and for the two
// ExportTypes (Developer Guide, "DynamoDB table export output format"):
//
//   FULL_EXPORT, DYNAMODB_JSON        {"Item":{"pk":{"S":"a"},...}}
//   FULL_EXPORT, ION                  $ion_1_0 {Item:{pk:"a",...}}
//   INCREMENTAL_EXPORT, DYNAMODB_JSON {"Metadata":{"WriteTimestampMicros":{"N":"<µs>"}},
//                                      "Keys":{...},"NewImage":{...},"OldImage":{...}}
//   INCREMENTAL_EXPORT, ION           $ion_1_0 {Metadata:{WriteTimestampMicros:<µs>.},
//                                      Keys:{...},NewImage:{...},OldImage:{...}}
//
// In an incremental line NewImage is the item at the end of the window
// (absent when it was deleted) and OldImage, with NEW_AND_OLD_IMAGES only,
// the item at its start (absent when it did not exist yet). The JSON form
// of Metadata is what consumers of real exports read
// (Metadata.WriteTimestampMicros.N); its Ion form, a decimal, is a guess
// in the spirit of the Ion mapping (a DynamoDB number is an Ion decimal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/model/attribute_value.h"

namespace ddb::exports {

enum class DataFormat { kDynamoDbJson, kIon };

// "ION" -> kIon, anything else (DYNAMODB_JSON) -> kDynamoDbJson.
DataFormat DataFormatFromName(std::string_view export_format);
// The data files' extension: ".json.gz" or ".ion.gz".
std::string_view DataFileExtension(DataFormat f);

// The line of one item of a full export, from its stored form
// (stored_item.h). InternalServerError if the stored item is corrupt.
Result<std::string> FullExportLine(DataFormat f, std::string_view stored);

// One changed item of an incremental export.
struct ChangeLine {
  int64_t write_time_us = 0;                  // its last write in the window
  const Item* keys = nullptr;                 // its key attributes
  std::optional<std::string_view> new_image;  // stored form, if it exists at the end
  std::optional<std::string_view> old_image;  // stored form, if written (NEW_AND_OLD_IMAGES)
};

// The line of a change. InternalServerError if a stored image is corrupt.
Result<std::string> IncrementalExportLine(DataFormat f, const ChangeLine& c);

}  // namespace ddb::exports
