// gzip (RFC 1952) compression and decompression with zlib, for
// Content-Encoding: gzip request bodies and Accept-Encoding: gzip responses.
// Each thread reuses its own zlib stream state, so a call allocates nothing
// beyond the output string's growth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace net {

enum class InflateResult {
  kOk,
  kCorrupt,   // not gzip, truncated or failing its checksum
  kTooLarge,  // the inflated data would exceed `max_output` bytes
};

// Decompresses gzip data (one or more concatenated members) into `*out`
// (replaced). At most `max_output` bytes are produced.
InflateResult GzipInflate(std::string_view compressed, std::string* out, size_t max_output);

// Compresses `data` as one gzip member into `*out` (replaced). `level` is
// zlib's 1 (fastest) .. 9 (smallest). Returns false only on a zlib failure.
bool GzipDeflate(std::string_view data, std::string* out, int level = 1);

}  // namespace net
