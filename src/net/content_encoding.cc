#include "net/content_encoding.h"

#include "base/ascii.h"
#include "base/blanks.h"

namespace net {

BodyCoding ParseContentEncoding(std::string_view value) {
  value = base::TrimBlanks(value);
  if (value.empty() || base::AsciiEqualsIgnoreCase(value, "identity")) return BodyCoding::kIdentity;
  if (base::AsciiEqualsIgnoreCase(value, "gzip") || base::AsciiEqualsIgnoreCase(value, "x-gzip")) {
    return BodyCoding::kGzip;
  }
  if (base::AsciiEqualsIgnoreCase(value, "deflate")) return BodyCoding::kDeflate;
  return BodyCoding::kUnsupported;
}

}  // namespace net
