// HTTP's content codings with zlib: gzip (RFC 1952) and deflate (the zlib
// format of RFC 1950, which HTTP calls "deflate"), for Content-Encoding
// request bodies and Accept-Encoding responses.
// Each thread reuses its own zlib stream state, so a call allocates nothing
// beyond the output string's growth.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace net {

enum class InflateResult {
  kOk,
  kCorrupt,   // not gzip, truncated or failing its checksum
  kTooLarge,  // the inflated data would exceed `max_output` bytes
};

enum class Coding {
  kGzip,
  kDeflate,
};

// Decompresses `compressed` into `*out` (replaced), producing at most
// `max_output` bytes. gzip: one or more concatenated members. deflate: one
// zlib stream; raw deflate data (RFC 1951, what some clients send under that
// name) is accepted too, told apart by the zlib header's check bits. Bytes
// after a deflate stream's end are kCorrupt.
InflateResult Inflate(Coding coding, std::string_view compressed, std::string* out,
                      size_t max_output);

// Compresses `data` (gzip: as one member; deflate: as one zlib stream) into
// `*out` (replaced). `level` is zlib's 1 (fastest) .. 9 (smallest). Returns
// false only on a zlib failure.
bool Deflate(Coding coding, std::string_view data, std::string* out, int level = 1);

// Compresses one stream piece by piece (a streaming response): the output
// of every Write ends on a byte boundary (zlib's sync flush), so a client
// can decode all it received so far. A 4 KB window and a small hash table
// keep it at about 40 KB of memory per stream. Not thread-safe.
class StreamDeflater {
 public:
  StreamDeflater(Coding coding, int level = 1);
  ~StreamDeflater();
  StreamDeflater(const StreamDeflater&) = delete;
  StreamDeflater& operator=(const StreamDeflater&) = delete;

  // Appends the compressed form of `data` (may be empty) to `*out`; with
  // `finish`, also the end of the stream (gzip's trailer), after which
  // nothing more may be written. False on a zlib failure, or after finish.
  bool Write(std::string_view data, bool finish, std::string* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The gzip cases.
inline InflateResult GzipInflate(std::string_view compressed, std::string* out, size_t max_output) {
  return Inflate(Coding::kGzip, compressed, out, max_output);
}
inline bool GzipDeflate(std::string_view data, std::string* out, int level = 1) {
  return Deflate(Coding::kGzip, data, out, level);
}

}  // namespace net
