// JSON string literals appended to a std::string, byte for byte as
// RapidJSON's Writer writes them (its default flags): '"' and '\\' escaped,
// \b \f \n \r \t by name, other bytes below 0x20 as \u00XX (upper-case hex),
// every other byte (UTF-8 included) as it is, unchecked.
//
// Why by hand: the API's answers are lists of short strings, and RapidJSON's
// Writer spends ~700 instructions on each (its nesting stack, a reserve of
// six bytes per input byte, a byte-at-a-time path below 16 bytes); the
// messages page of an API GET spent 11% of its instructions there. The
// tests compare this with the Writer on every byte value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace base {

namespace json_string_internal {

// 0: as it is; else the letter after '\\' ('u': \u00XX).
constexpr char EscapeOf(unsigned char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    default:
      return c < 0x20 ? 'u' : 0;
  }
}

struct EscapeTable {
  char of[256];
  constexpr EscapeTable() : of() {
    for (int c = 0; c < 256; ++c) of[c] = EscapeOf(static_cast<unsigned char>(c));
  }
};
inline constexpr EscapeTable kEscapes;

// The index of the first byte of s[from..] that needs an escape, or s.size().
inline size_t NextEscape(std::string_view s, size_t from) {
  size_t i = from;
#ifdef __SSE2__
  // 16 bytes at a time: '"', '\\' or <= 0x1F (unsigned max(b, 0x1F) == 0x1F).
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(b, control), control));
    if (const int mask = _mm_movemask_epi8(hit)) return i + __builtin_ctz(mask);
  }
#endif
  for (; i < s.size(); ++i) {
    if (kEscapes.of[static_cast<unsigned char>(s[i])] != 0) return i;
  }
  return s.size();
}

}  // namespace json_string_internal

// Appends `s` as a JSON string literal, quotes included.
inline void AppendJsonString(std::string& out, std::string_view s) {
  using json_string_internal::kEscapes;
  using json_string_internal::NextEscape;
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet appended
  for (size_t i = NextEscape(s, 0); i < s.size(); i = NextEscape(s, i + 1)) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char e = kEscapes.of[c];
    out.append(s.data() + run, i - run);
    run = i + 1;
    const char esc[6] = {'\\', e, '0', '0', kHex[c >> 4], kHex[c & 15]};
    out.append(esc, e == 'u' ? 6 : 2);
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

}  // namespace base
