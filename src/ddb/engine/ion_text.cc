#include "ddb/engine/ion_text.h"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace ddb::ion {
namespace {

// Hex or binary digits of an int (after leading zeros): 2^440 is far
// beyond DynamoDB's largest number, so longer ints overflow.
constexpr size_t kMaxRadixDigits = 440;

int HexValue(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool IsBase64Char(int c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '+' || c == '/';
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// "digits with single underscores between digits" at s[*i]: the digits
// without underscores into *out (may be empty when `allow_empty`); false if
// malformed.
bool DigitGroup(std::string_view s, size_t* i, bool allow_empty, std::string* out) {
  size_t start = out->size();
  while (*i < s.size()) {
    if (IsDigit(s[*i])) {
      out->push_back(s[(*i)++]);
    } else if (s[*i] == '_' && out->size() > start && *i + 1 < s.size() && IsDigit(s[*i + 1])) {
      ++*i;
    } else {
      break;
    }
  }
  return allow_empty || out->size() > start;
}

// The decimal text of the digits `digits` in base `radix` (2 or 16), or
// "" when there are too many of them.
std::string RadixToDecimal(std::string_view digits, int radix) {
  size_t lead = digits.find_first_not_of('0');
  if (lead == std::string_view::npos) return "0";
  digits.remove_prefix(lead);
  if (digits.size() > kMaxRadixDigits) return "";
  std::vector<int> dec{0};  // little-endian decimal digits
  for (char ch : digits) {
    int carry = HexValue(ch);
    for (int& d : dec) {
      int v = d * radix + carry;
      d = v % 10;
      carry = v / 10;
    }
    while (carry) {
      dec.push_back(carry % 10);
      carry /= 10;
    }
  }
  std::string out;
  for (auto it = dec.rbegin(); it != dec.rend(); ++it) out.push_back(static_cast<char>('0' + *it));
  return out;
}

}  // namespace

bool IsWhitespace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IdStart(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IdPart(int c) { return IdStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(int c) { return c >= '0' && c <= '9'; }
// Characters a number, keyword or identifier may be followed by.
bool IsStop(int c) { return c < 0 || IsWhitespace(c) || std::strchr(",]})/\"'{[(:", c) != nullptr; }

void TextInput::SkipLine() {
  overflow_ = false;
  if (last_ == '\n') return;
  while (true) {
    int c;
    if (la_n_ > 0) {
      c = la_[0];
      for (size_t i = 1; i < la_n_; ++i) la_[i - 1] = la_[i];
      --la_n_;
    } else {
      c = in_.Get();
    }
    if (c < 0 || c == '\n') return;
  }
}

bool TextInput::Fail(const char* what) {
  if (error_.empty()) error_ = what;
  return false;
}

// The byte `k` places ahead (k < 4), or -1 at the end or once the record
// is over its size limit.
int TextInput::Peek(size_t k) {
  if (overflow_) return -1;
  while (la_n_ <= k) la_[la_n_++] = in_.Get();
  return la_[k];
}
// Consumes one byte (-1 at the end; once the record is over its size
// limit, nothing more is consumed and -1 is returned).
int TextInput::Take() {
  const int c = Peek();
  if (c < 0) return c;
  for (size_t i = 1; i < la_n_; ++i) la_[i - 1] = la_[i];
  --la_n_;
  if (++bytes_ > max_record_bytes_) overflow_ = true;
  last_ = c;
  return c;
}

// A comment at "//" or "/*"; false if a block comment is not closed.
bool TextInput::SkipComment() {
  Take();
  if (Take() == '/') {
    int c;
    while ((c = Peek()) >= 0 && c != '\n') Take();
    return true;
  }
  while (true) {
    const int c = Take();
    if (c < 0) return Fail("a comment is not closed");
    if (c == '*' && Peek() == '/') {
      Take();
      return true;
    }
  }
}

// Whitespace and comments inside a record.
bool TextInput::SkipSpace() {
  while (true) {
    const int c = Peek();
    if (IsWhitespace(c)) {
      Take();
    } else if (c == '/' && (Peek(1) == '/' || Peek(1) == '*')) {
      if (!SkipComment()) return false;
    } else {
      return true;
    }
  }
}

bool TextInput::AtLongString() { return Peek() == '\'' && Peek(1) == '\'' && Peek(2) == '\''; }

// One UTF-8 character whose first byte `c` (>= 0x80) was just taken.
bool TextInput::TakeUtf8(int c, std::string* out) {
  int need;
  int lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return Fail("the text is not UTF-8");
  }
  out->push_back(static_cast<char>(c));
  for (int i = 0; i < need; ++i) {
    const int b = Take();
    if (b < lo || b > hi) return Fail("the text is not UTF-8");
    out->push_back(static_cast<char>(b));
    lo = 0x80;
    hi = 0xBF;
  }
  return true;
}

bool TextInput::TakeHex(int digits, uint32_t* cp) {
  *cp = 0;
  for (int i = 0; i < digits; ++i) {
    const int v = HexValue(Take());
    if (v < 0) return Fail("a bad escape in a string");
    *cp = *cp * 16 + static_cast<uint32_t>(v);
  }
  return true;
}

// An escape after its '\' (Ion text's escapes).
bool TextInput::TakeEscape(std::string* out) {
  const int c = Take();
  uint32_t cp;
  switch (c) {
    case 'a':
      cp = 0x07;
      break;
    case 'b':
      cp = 0x08;
      break;
    case 't':
      cp = 0x09;
      break;
    case 'n':
      cp = 0x0A;
      break;
    case 'f':
      cp = 0x0C;
      break;
    case 'r':
      cp = 0x0D;
      break;
    case 'v':
      cp = 0x0B;
      break;
    case '0':
      cp = 0;
      break;
    case '"':
    case '\'':
    case '?':
    case '\\':
    case '/':
      cp = static_cast<uint32_t>(c);
      break;
    case '\n':  // a line continuation
      return true;
    case '\r':
      if (Peek() == '\n') Take();
      return true;
    case 'x':
      if (!TakeHex(2, &cp)) return false;
      break;
    case 'u':
      if (!TakeHex(4, &cp)) return false;
      if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair, as JSON writes one
        uint32_t low;
        if (Take() != '\\' || Take() != 'u' || !TakeHex(4, &low) || low < 0xDC00 || low > 0xDFFF) {
          return Fail("a lone surrogate in a string");
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return Fail("a lone surrogate in a string");
      }
      break;
    case 'U':
      if (!TakeHex(8, &cp)) return false;
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return Fail("a bad code point in a string");
      }
      break;
    default:
      return Fail("a bad escape in a string");
  }
  AppendUtf8(cp, out);
  return true;
}

// A "string" or 'symbol' after its opening quote: up to `quote`.
bool TextInput::TakeQuoted(int quote, std::string* out) {
  while (true) {
    const int c = Take();
    if (c < 0) return Fail("a string is not closed");
    if (c == quote) return true;
    if (c == '\\') {
      if (!TakeEscape(out)) return false;
    } else if (c == '\n' || c == '\r') {
      return Fail("a newline in a quoted string or symbol");
    } else if (c < 0x20 && c != '\t' && c != '\v' && c != '\f') {
      return Fail("a control character in a string");
    } else if (c >= 0x80) {
      if (!TakeUtf8(c, out)) return false;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

// One or more '''long strings''' (at the first quote), concatenated.
bool TextInput::TakeLongStrings(std::string* out) {
  while (AtLongString()) {
    Take();
    Take();
    Take();
    while (true) {
      const int c = Take();
      if (c < 0) return Fail("a long string is not closed");
      if (c == '\'' && Peek() == '\'' && Peek(1) == '\'') {
        Take();
        Take();
        break;
      }
      if (c == '\\') {
        if (!TakeEscape(out)) return false;
      } else if (c == '\r') {  // newlines are normalized to \n
        if (Peek() == '\n') Take();
        out->push_back('\n');
      } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f') {
        return Fail("a control character in a string");
      } else if (c >= 0x80) {
        if (!TakeUtf8(c, out)) return false;
      } else {
        out->push_back(static_cast<char>(c));
      }
    }
    if (!SkipSpace()) return false;
  }
  return true;
}

void TextInput::TakeIdentifier(std::string* out) {
  while (IdPart(Peek())) out->push_back(static_cast<char>(Take()));
}

// A blob or clob after "{{".
bool TextInput::TakeLob(std::string* base64) {
  while (IsWhitespace(Peek())) Take();
  if (Peek() == '"' || Peek() == '\'') return Fail("clobs have no DynamoDB type");
  size_t padding = 0;
  while (true) {
    const int c = Peek();
    if (c == '}') break;
    if (IsWhitespace(c)) {
      Take();
    } else if (c == '=' && padding < 2) {
      ++padding;
      base64->push_back(static_cast<char>(Take()));
    } else if (IsBase64Char(c) && padding == 0) {
      base64->push_back(static_cast<char>(Take()));
    } else {
      return Fail("a blob is not base64");
    }
  }
  Take();
  if (Take() != '}') return Fail("a blob is not closed with }}");
  if (base64->size() % 4 != 0) return Fail("a blob is not base64");
  return true;
}

bool TextInput::TakeNumber(std::string* text, std::string* no_type) {
  std::string tok;
  while (true) {
    const int c = Peek();
    if (IdPart(c) || c == '.' || c == '+' || c == '-') {
      tok.push_back(static_cast<char>(Take()));
    } else {
      break;
    }
  }
  if (!IsStop(Peek()) || Peek() == ':') return Fail("a number is not followed by a delimiter");
  if (tok == "+inf" || tok == "-inf") {
    *no_type = "Ion infinities have no DynamoDB type";
    return true;
  }
  size_t i = 0;
  std::string sign;
  if (i < tok.size() && tok[i] == '-') {
    sign = "-";
    ++i;
  }
  if (tok.size() > i + 1 && tok[i] == '0' &&
      (tok[i + 1] == 'x' || tok[i + 1] == 'X' || tok[i + 1] == 'b' || tok[i + 1] == 'B')) {
    const int radix = (tok[i + 1] == 'x' || tok[i + 1] == 'X') ? 16 : 2;
    std::string digits;
    size_t j = i + 2;
    while (j < tok.size()) {
      const int v = HexValue(tok[j]);
      if (v >= 0 && v < radix) {
        digits.push_back(tok[j++]);
      } else if (tok[j] == '_' && !digits.empty() && j + 1 < tok.size() &&
                 HexValue(tok[j + 1]) >= 0 && HexValue(tok[j + 1]) < radix) {
        ++j;
      } else {
        return Fail("a malformed number");
      }
    }
    if (digits.empty()) return Fail("a malformed number");
    std::string dec = RadixToDecimal(digits, radix);
    if (dec.empty()) {
      *no_type =
          "Number overflow. Attempting to store a number with magnitude larger than "
          "supported range";
      return true;
    }
    *text = sign + dec;
    return true;
  }
  std::string whole, fraction, exponent;
  if (!DigitGroup(tok, &i, false, &whole)) return Fail("a malformed number");
  if (whole.size() > 1 && whole[0] == '0') return Fail("a number with a leading zero");
  if (i < tok.size() && tok[i] == '.') {
    ++i;
    if (!DigitGroup(tok, &i, true, &fraction)) return Fail("a malformed number");
  }
  std::string exp_sign;
  if (i < tok.size() && (tok[i] == 'd' || tok[i] == 'D' || tok[i] == 'e' || tok[i] == 'E')) {
    ++i;
    if (i < tok.size() && (tok[i] == '+' || tok[i] == '-')) {
      if (tok[i] == '-') exp_sign = "-";
      ++i;
    }
    if (!DigitGroup(tok, &i, false, &exponent)) return Fail("a malformed number");
  }
  if (i != tok.size()) return Fail("a malformed number");
  *text = sign + whole;
  if (!fraction.empty()) *text += "." + fraction;
  if (!exponent.empty()) *text += "e" + exp_sign + exponent;
  return true;
}

}  // namespace ddb::ion
