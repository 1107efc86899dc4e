// Base64 (RFC 4648): the standard alphabet with '=' padding (section 4:
// DynamoDB's B and BS values) and the URL-safe alphabet without padding
// (section 5: JWTs, JWKS, the messages' pagination cursors, the user pool's
// secrets). One strict decoder serves both: a byte outside the alphabet
// (whitespace, the other alphabet's '+/' or '-_', a misplaced '=') and
// non-zero leftover bits are refused, so each byte string has exactly one
// accepted encoding.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace base {

inline constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

namespace base64_detail {

// Each byte's 6-bit value in `alphabet`, -1 for a byte outside it.
constexpr std::array<int8_t, 256> DecodeTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
inline constexpr std::array<int8_t, 256> kStandardTable = DecodeTable(kBase64Alphabet);
inline constexpr std::array<int8_t, 256> kUrlTable = DecodeTable(kBase64UrlAlphabet);

inline std::string Encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  const size_t rest = bytes.size() % 3;
  std::string out(bytes.size() / 3 * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1), '\0');
  char* p = out.data();
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = alphabet[(v >> 18) & 63];
    *p++ = alphabet[(v >> 12) & 63];
    *p++ = alphabet[(v >> 6) & 63];
    *p++ = alphabet[v & 63];
  }
  if (rest > 0) {
    uint32_t v = uint32_t{in[i]} << 16;
    if (rest == 2) v |= uint32_t{in[i + 1]} << 8;
    *p++ = alphabet[(v >> 18) & 63];
    *p++ = alphabet[(v >> 12) & 63];
    if (rest == 2) *p++ = alphabet[(v >> 6) & 63];
    if (pad) {
      *p++ = '=';
      if (rest == 1) *p++ = '=';
    }
  }
  return out;
}

// Decodes `text` (no padding in it) into `out`. False on a byte outside the
// table or non-zero leftover bits; `out` then holds what was decoded so far.
inline bool DecodeUnpadded(std::string_view text, const std::array<int8_t, 256>& table,
                           std::string* out) {
  out->clear();
  out->reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int8_t d = table[static_cast<uint8_t>(c)];
    if (d < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits (2 or 4) must be zero for the one canonical encoding.
  return bits == 0 || (acc & ((1u << bits) - 1)) == 0;
}

}  // namespace base64_detail

// Standard base64 of `bytes`, padded with '=' to a multiple of 4.
inline std::string Base64Encode(std::string_view bytes) {
  return base64_detail::Encode(bytes, kBase64Alphabet, /*pad=*/true);
}

// Why Base64Decode refused its input (DynamoDB words the two differently).
enum class Base64Problem {
  kNone,
  // The length is not a multiple of 4.
  kLength,
  // A byte outside the alphabet (a '=' other than one or two at the end
  // included), or non-zero leftover bits in the last character.
  kData,
};

// Decodes padded standard base64 into `*out`. kNone on success; otherwise
// the problem, and `*out` holds an unspecified prefix of the bytes. "" is
// valid (no bytes).
inline Base64Problem Base64Decode(std::string_view text, std::string* out) {
  if (text.size() % 4 != 0) return Base64Problem::kLength;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') {
    pad = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  }
  return base64_detail::DecodeUnpadded(text.substr(0, text.size() - pad),
                                       base64_detail::kStandardTable, out)
             ? Base64Problem::kNone
             : Base64Problem::kData;
}

// Base64url of `bytes` without '=' padding.
inline std::string Base64UrlEncode(std::string_view bytes) {
  return base64_detail::Encode(bytes, kBase64UrlAlphabet, /*pad=*/false);
}

// Decodes unpadded base64url, or nullopt on any byte outside the URL-safe
// alphabet ('=' and whitespace included), a length of 4k+1, or non-zero
// leftover bits.
inline std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  if (!base64_detail::DecodeUnpadded(text, base64_detail::kUrlTable, &out)) return std::nullopt;
  return out;
}

}  // namespace base
