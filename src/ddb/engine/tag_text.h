// Tag keys and values as DynamoDB checks them: the characters allowed by the
// pattern ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ (API Reference, Tag) and the length
// in UTF-16 code units, as a Java String.length() counts them (DynamoDB's
// front end is Java; that it counts UTF-16 units, so a character outside the
// Basic Multilingual Plane counts 2, is inferred from that, not verified).
#pragma once

#include <cstddef>
#include <string_view>

namespace ddb::ops {

struct TagText {
  bool allowed = true;      // every character matches the pattern's class
  size_t utf16_length = 0;  // length in UTF-16 code units
};

// Scans UTF-8 text. Malformed UTF-8 makes `allowed` false (the JSON reader
// should already have refused it).
TagText ScanTagText(std::string_view utf8);

}  // namespace ddb::ops
