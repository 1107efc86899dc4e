// The Content-Encoding of a request body: the codings the server can undo.
//
// One coding at most: gzip (x-gzip is its old name, RFC 9110 section
// 8.4.1.3) or deflate, case-insensitive, blanks around it ignored. No header,
// an empty value or "identity" mean an uncoded body. A list of codings
// ("gzip, gzip": stacked), any other coding (br, compress, zstd) or a value
// that is no coding at all is unsupported: the request is refused (see
// HttpServerOptions::refusals) before its body is looked at.
#pragma once

#include <string_view>

namespace net {

enum class BodyCoding {
  kIdentity,
  kGzip,
  kDeflate,
  kUnsupported,
};

// The coding named by one Content-Encoding field value.
BodyCoding ParseContentEncoding(std::string_view value);

}  // namespace net
