// Tag text scanning (tag_text.h).
#include "ddb/engine/tag_text.h"

#include "ddb/engine/unicode_lzn.h"

namespace ddb::ops {
namespace {

constexpr std::string_view kTagPunctuation = "_.:/=+-@";

// Decodes one UTF-8 sequence at s[i]; advances i. Returns false when malformed
// (truncated, bad continuation, overlong, surrogate or above U+10FFFF).
bool NextCodePoint(std::string_view s, size_t& i, char32_t& cp) {
  auto b0 = static_cast<unsigned char>(s[i]);
  size_t n;
  char32_t min;
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (s.size() - i - 1 < n) return false;
  for (size_t k = 1; k <= n; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += n + 1;
  return cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

}  // namespace

TagText ScanTagText(std::string_view utf8) {
  TagText out;
  size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    size_t start = i;
    if (!NextCodePoint(utf8, i, cp)) {
      out.allowed = false;
      ++out.utf16_length;
      if (i == start) ++i;
      continue;
    }
    out.utf16_length += cp >= 0x10000 ? 2 : 1;
    bool punctuation =
        cp < 0x80 && kTagPunctuation.find(static_cast<char>(cp)) != std::string_view::npos;
    if (!punctuation && !IsLetterSeparatorOrNumber(cp)) out.allowed = false;
  }
  return out;
}

}  // namespace ddb::ops
