#include "net/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace net {
namespace {

// zlib's windowBits: a 32 KB window with the gzip wrapper, the zlib
// wrapper, or none (raw deflate).
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kZlibWindowBits = 15;
constexpr int kRawWindowBits = -15;

// True if `data` starts with a zlib header (RFC 1950 section 2.2): method 8
// (deflate) and FCHECK making the first two bytes a multiple of 31.
bool HasZlibHeader(std::string_view data) {
  if (data.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(data[0]);
  const auto flg = static_cast<unsigned char>(data[1]);
  return (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

// One inflate stream per thread and window kind, reset between uses
// (inflateInit allocates its ~40 KB window once).
class Inflater {
 public:
  explicit Inflater(int window_bits) { ok_ = inflateInit2(&zs_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  z_stream* get() { return ok_ ? &zs_ : nullptr; }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

class Deflater {
 public:
  explicit Deflater(int window_bits) : window_bits_(window_bits) {}
  ~Deflater() {
    if (level_ != 0) deflateEnd(&zs_);
  }
  z_stream* get(int level) {
    if (level_ == level) {
      if (deflateReset(&zs_) != Z_OK) return nullptr;
      return &zs_;
    }
    if (level_ != 0) deflateEnd(&zs_);
    zs_ = z_stream{};
    level_ = 0;
    if (deflateInit2(&zs_, level, Z_DEFLATED, window_bits_, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return nullptr;
    }
    level_ = level;
    return &zs_;
  }

 private:
  int window_bits_;
  z_stream zs_{};
  int level_ = 0;
};

}  // namespace

InflateResult Inflate(Coding coding, std::string_view compressed, std::string* out,
                      size_t max_output) {
  thread_local Inflater gzip(kGzipWindowBits), zlib(kZlibWindowBits), raw(kRawWindowBits);
  out->clear();
  const bool is_gzip = coding == Coding::kGzip;
  Inflater& inflater = is_gzip ? gzip : HasZlibHeader(compressed) ? zlib : raw;
  z_stream* zs = inflater.get();
  if (zs == nullptr || inflateReset(zs) != Z_OK) return InflateResult::kCorrupt;
  if (compressed.empty()) return InflateResult::kCorrupt;
  if (compressed.size() > UINT32_MAX) return InflateResult::kTooLarge;
  zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs->avail_in = static_cast<uInt>(compressed.size());

  // One spare byte beyond max_output tells "exactly the limit" from "more".
  const size_t limit = max_output + 1;
  out->resize(std::min(limit, std::max<size_t>(compressed.size() * 4, 256)));
  size_t produced = 0;
  for (;;) {
    if (produced == out->size()) {
      if (out->size() >= limit) return InflateResult::kTooLarge;
      out->resize(std::min(limit, out->size() * 2));
    }
    zs->next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    zs->avail_out = static_cast<uInt>(std::min<size_t>(out->size() - produced, UINT32_MAX));
    const uInt before = zs->avail_out;
    const int rc = inflate(zs, Z_NO_FLUSH);
    produced += before - zs->avail_out;
    if (rc == Z_STREAM_END) {
      if (zs->avail_in == 0) break;
      // Concatenated gzip members (RFC 1952 section 2.2) decode one after
      // another; a deflate stream is one.
      if (!is_gzip) return InflateResult::kCorrupt;
      if (inflateReset(zs) != Z_OK) return InflateResult::kCorrupt;
      continue;
    }
    if (rc == Z_OK) continue;
    // Z_BUF_ERROR: no progress possible. With output room left, the input
    // ended before the member did.
    if (rc == Z_BUF_ERROR && zs->avail_out == 0) continue;
    return InflateResult::kCorrupt;
  }
  if (produced > max_output) return InflateResult::kTooLarge;
  out->resize(produced);
  return InflateResult::kOk;
}

bool Deflate(Coding coding, std::string_view data, std::string* out, int level) {
  thread_local Deflater gzip(kGzipWindowBits), zlib(kZlibWindowBits);
  level = std::clamp(level, 1, 9);
  z_stream* zs = (coding == Coding::kGzip ? gzip : zlib).get(level);
  if (zs == nullptr || data.size() > UINT32_MAX) return false;
  out->resize(deflateBound(zs, static_cast<uLong>(data.size())));
  zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs->avail_in = static_cast<uInt>(data.size());
  zs->next_out = reinterpret_cast<Bytef*>(out->data());
  zs->avail_out = static_cast<uInt>(out->size());
  int rc = deflate(zs, Z_FINISH);
  if (rc != Z_STREAM_END) return false;
  out->resize(out->size() - zs->avail_out);
  return true;
}

struct StreamDeflater::State {
  z_stream zs{};
  bool ok = false;
  bool finished = false;
};

StreamDeflater::StreamDeflater(Coding coding, int level) : state_(std::make_unique<State>()) {
  // Window 2^12 and memLevel 5: deflate's state is 2^14 + 2^14 bytes plus
  // its fixed part, against ~256 KB at zlib's defaults.
  constexpr int kStreamWindowBits = 12;
  const int bits = coding == Coding::kGzip ? kStreamWindowBits + 16 : kStreamWindowBits;
  state_->ok = deflateInit2(&state_->zs, std::clamp(level, 1, 9), Z_DEFLATED, bits, 5,
                            Z_DEFAULT_STRATEGY) == Z_OK;
}

StreamDeflater::~StreamDeflater() {
  if (state_->ok) deflateEnd(&state_->zs);
}

bool StreamDeflater::Write(std::string_view data, bool finish, std::string* out) {
  State& st = *state_;
  if (!st.ok || st.finished || data.size() > UINT32_MAX) return false;
  z_stream& zs = st.zs;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  const int flush = finish ? Z_FINISH : Z_SYNC_FLUSH;
  for (;;) {
    const size_t before = out->size();
    const size_t room = deflateBound(&zs, zs.avail_in) + 64;
    out->resize(before + room);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + before);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = deflate(&zs, flush);
    out->resize(before + room - zs.avail_out);
    if (rc == Z_STREAM_END) {
      st.finished = true;
      return true;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
    // Done when the input is used up and zlib had output room to spare.
    if (zs.avail_in == 0 && zs.avail_out > 0 && !finish) return true;
    if (rc == Z_BUF_ERROR && zs.avail_out > 0) return false;
  }
}

}  // namespace net
