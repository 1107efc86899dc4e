#include "ddb/format/client_tokens.h"

#include "ddb/model/key_codec.h"

namespace ddb {

namespace {
constexpr size_t kTimeBytes = 8;
constexpr size_t kFingerprintChars = 32;
}  // namespace

std::string EncodeClientToken(const ClientTokenRecord& record) {
  std::string out;
  AppendBigEndian64(record.committed_ms, &out);
  out += record.fingerprint;
  return out;
}

std::optional<ClientTokenRecord> DecodeClientToken(std::string_view record) {
  if (record.size() != kTimeBytes + kFingerprintChars) return std::nullopt;
  ClientTokenRecord r;
  r.committed_ms = ReadBigEndian64(record.substr(0, kTimeBytes));
  r.fingerprint.assign(record.substr(kTimeBytes));
  return r;
}

std::string RequestFingerprint(std::string_view canonical) {
  // FNV-1a, 128 bits: offset basis and prime from the FNV specification.
  using u128 = unsigned __int128;
  u128 hash = (static_cast<u128>(0x6c62272e07bb0142ULL) << 64) | 0x62b821756295c58dULL;
  const u128 prime = (static_cast<u128>(0x0000000001000000ULL) << 64) | 0x000000000000013bULL;
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= prime;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(kFingerprintChars, '0');
  for (size_t i = 0; i < kFingerprintChars; ++i) {
    out[kFingerprintChars - 1 - i] = kHex[static_cast<unsigned>(hash & 0xf)];
    hash >>= 4;
  }
  return out;
}

}  // namespace ddb
