// Exact decimal arithmetic on DynamoDB numbers, done on digit strings.
//
// Internally a number is a sign, a digit string `digits` without leading or
// trailing zeros (empty for zero), and an exponent `exp`, meaning
//   value = (-1)^neg * digits * 10^exp.
// The "scientific exponent" (position of the leading digit) is
//   sci = digits.size() - 1 + exp,
// which is what DynamoDB's range limits are expressed in: 1E-130 has sci -130,
// 9.99..9E+125 has sci 125.
#include "ddb/model/number.h"

#include <algorithm>
#include <cstdint>

namespace ddb {
namespace {

constexpr int kMaxDigits = 38;
constexpr int kMaxSciExp = 125;
constexpr int kMinSciExp = -130;

struct Decimal {
  bool neg = false;
  std::string digits;  // no leading/trailing zeros; empty means zero
  int64_t exp = 0;

  bool is_zero() const { return digits.empty(); }
  int64_t sci() const { return static_cast<int64_t>(digits.size()) - 1 + exp; }
};

Error NotNumeric(std::string_view text) {
  if (text.empty()) return Validation("The parameter cannot be converted to a numeric value");
  return Validation("The parameter cannot be converted to a numeric value: " + std::string(text));
}
Error Overflow() {
  return Validation(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}
Error Underflow() {
  return Validation(
      "Number underflow. Attempting to store a number with magnitude smaller than supported range");
}
Error TooManyDigits() {
  return Validation("Attempting to store more than 38 significant digits in a Number");
}

// Strips leading and trailing zeros of d.digits, adjusting the exponent.
void Trim(Decimal* d) {
  size_t lead = 0;
  while (lead < d->digits.size() && d->digits[lead] == '0') ++lead;
  if (lead == d->digits.size()) {
    d->digits.clear();
    d->exp = 0;
    d->neg = false;
    return;
  }
  size_t end = d->digits.size();
  while (d->digits[end - 1] == '0') --end;
  d->exp += static_cast<int64_t>(d->digits.size() - end);
  d->digits = d->digits.substr(lead, end - lead);
}

// Parses the client's text: [+-] digits [. digits] [(e|E) [+-] digits], with
// at least one mantissa digit. Returns false if the text is not a number.
bool Parse(std::string_view text, Decimal* out) {
  size_t i = 0, n = text.size();
  Decimal d;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    d.neg = text[i] == '-';
    ++i;
  }
  bool any_digit = false;
  int64_t frac_digits = 0;
  d.digits.reserve(n);
  while (i < n && text[i] >= '0' && text[i] <= '9') {
    d.digits.push_back(text[i++]);
    any_digit = true;
  }
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      d.digits.push_back(text[i++]);
      ++frac_digits;
      any_digit = true;
    }
  }
  if (!any_digit) return false;
  int64_t e = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      eneg = text[i] == '-';
      ++i;
    }
    if (i >= n || text[i] < '0' || text[i] > '9') return false;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      // Saturate: anything this large is out of range anyway (unless the
      // mantissa is zero, in which case the exponent does not matter).
      if (e < 1'000'000'000) e = e * 10 + (text[i] - '0');
      ++i;
    }
    if (eneg) e = -e;
  }
  if (i != n) return false;
  d.exp = e - frac_digits;
  Trim(&d);
  *out = std::move(d);
  return true;
}

// Range and precision checks, in the order DynamoDB reports them.
Status Check(const Decimal& d) {
  if (d.is_zero()) return Status::Ok();
  if (d.sci() > kMaxSciExp) return Overflow();
  if (d.sci() < kMinSciExp) return Underflow();
  if (d.digits.size() > static_cast<size_t>(kMaxDigits)) return TooManyDigits();
  return Status::Ok();
}

// Plain notation of a checked decimal (exponent range is small, so the text is
// at most ~135 characters).
std::string Format(const Decimal& d) {
  if (d.is_zero()) return "0";
  std::string out;
  if (d.neg) out.push_back('-');
  const int64_t len = static_cast<int64_t>(d.digits.size());
  if (d.exp >= 0) {
    out += d.digits;
    out.append(static_cast<size_t>(d.exp), '0');
  } else {
    const int64_t point = len + d.exp;  // digits before the decimal point
    if (point > 0) {
      out.append(d.digits, 0, static_cast<size_t>(point));
      out.push_back('.');
      out.append(d.digits, static_cast<size_t>(point), std::string::npos);
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += d.digits;
    }
  }
  return out;
}

// Decomposes canonical (or any valid) number text. Canonical input always
// parses; anything else is treated as zero rather than crashing.
Decimal FromCanonical(std::string_view canonical) {
  Decimal d;
  if (!Parse(canonical, &d)) return Decimal{};
  return d;
}

// Compares |a| and |b|.
int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) return (a.is_zero() ? 0 : 1) - (b.is_zero() ? 0 : 1);
  if (a.sci() != b.sci()) return a.sci() < b.sci() ? -1 : 1;
  // Same leading position: digit strings compare lexicographically (no
  // trailing zeros, so a proper prefix is the smaller number).
  int c = a.digits.compare(b.digits);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int Compare(const Decimal& a, const Decimal& b) {
  int sa = a.is_zero() ? 0 : (a.neg ? -1 : 1);
  int sb = b.is_zero() ? 0 : (b.neg ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int m = CompareMagnitude(a, b);
  return sa > 0 ? m : -m;
}

// The digits of d scaled to exponent `exp` (exp <= d.exp): d.digits followed
// by (d.exp - exp) zeros, left-padded with zeros to `width`.
std::string Aligned(const Decimal& d, int64_t exp, size_t width) {
  std::string s = d.digits;
  s.append(static_cast<size_t>(d.exp - exp), '0');
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// a + b for same-width digit strings; result one digit wider.
std::string AddDigits(const std::string& a, const std::string& b) {
  std::string r(a.size() + 1, '0');
  int carry = 0;
  for (size_t k = a.size(); k-- > 0;) {
    int s = (a[k] - '0') + (b[k] - '0') + carry;
    r[k + 1] = static_cast<char>('0' + s % 10);
    carry = s / 10;
  }
  r[0] = static_cast<char>('0' + carry);
  return r;
}

// a - b for same-width digit strings with a >= b.
std::string SubDigits(const std::string& a, const std::string& b) {
  std::string r(a.size(), '0');
  int borrow = 0;
  for (size_t k = a.size(); k-- > 0;) {
    int s = (a[k] - '0') - (b[k] - '0') - borrow;
    borrow = s < 0 ? 1 : 0;
    if (s < 0) s += 10;
    r[k] = static_cast<char>('0' + s);
  }
  return r;
}

Decimal Add(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  const int64_t exp = std::min(a.exp, b.exp);
  const size_t width =
      static_cast<size_t>(std::max(static_cast<int64_t>(a.digits.size()) + a.exp - exp,
                                   static_cast<int64_t>(b.digits.size()) + b.exp - exp));
  std::string da = Aligned(a, exp, width);
  std::string db = Aligned(b, exp, width);
  Decimal r;
  r.exp = exp;
  if (a.neg == b.neg) {
    r.neg = a.neg;
    r.digits = AddDigits(da, db);
  } else {
    int m = da.compare(db);  // same width: lexicographic == numeric
    if (m == 0) return Decimal{};
    if (m > 0) {
      r.neg = a.neg;
      r.digits = SubDigits(da, db);
    } else {
      r.neg = b.neg;
      r.digits = SubDigits(db, da);
    }
  }
  Trim(&r);
  return r;
}

Result<std::string> Finish(const Decimal& d) {
  Status st = Check(d);
  if (!st.ok()) return std::move(st).error();
  return Format(d);
}

}  // namespace

Result<std::string> NormalizeNumber(std::string_view text) {
  Decimal d;
  if (!Parse(text, &d)) return NotNumeric(text);
  return Finish(d);
}

int CompareNumbers(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  return Compare(FromCanonical(a), FromCanonical(b));
}

Result<std::string> AddNumbers(std::string_view a, std::string_view b) {
  return Finish(Add(FromCanonical(a), FromCanonical(b)));
}

Result<std::string> SubtractNumbers(std::string_view a, std::string_view b) {
  Decimal nb = FromCanonical(b);
  if (!nb.is_zero()) nb.neg = !nb.neg;
  return Finish(Add(FromCanonical(a), nb));
}

int SignificantDigits(std::string_view canonical) {
  int count = 0;
  int trailing_zeros = 0;
  bool started = false;
  for (char c : canonical) {
    if (c < '0' || c > '9') continue;
    if (!started && c == '0') continue;
    started = true;
    ++count;
    trailing_zeros = c == '0' ? trailing_zeros + 1 : 0;
  }
  count -= trailing_zeros;
  return count == 0 ? 1 : count;
}

// Encoding (part of the on-disk key format; do not change):
//   zero:      0x02
//   positive:  0x03, (sci + 130) as one byte, digit pairs
//   negative:  0x01, 255 - (sci + 130) as one byte, complemented digit pairs,
//              0xFF terminator
// Digits are taken two at a time from the leading digit, the last pair padded
// with a zero digit. A positive pair v (0..99) is stored as v + 1 and a
// negative pair as 101 - v, so every pair byte lies in 1..101. Because digit
// strings carry no trailing zeros, a proper prefix is a smaller magnitude: for
// positives the shorter encoding sorts first as it should; for negatives the
// 0xFF terminator (above every pair byte) makes the shorter (smaller
// magnitude, hence larger) number sort last.
std::string EncodeNumberOrdered(std::string_view canonical) {
  Decimal d = FromCanonical(canonical);
  std::string out;
  if (d.is_zero()) {
    out.push_back(0x02);
    return out;
  }
  const int biased = static_cast<int>(std::clamp<int64_t>(d.sci() - kMinSciExp, 0, 255));
  out.reserve(3 + (d.digits.size() + 1) / 2);
  out.push_back(d.neg ? 0x01 : 0x03);
  out.push_back(static_cast<char>(d.neg ? 255 - biased : biased));
  for (size_t k = 0; k < d.digits.size(); k += 2) {
    int v = (d.digits[k] - '0') * 10 + (k + 1 < d.digits.size() ? d.digits[k + 1] - '0' : 0);
    out.push_back(static_cast<char>(d.neg ? 101 - v : v + 1));
  }
  if (d.neg) out.push_back(static_cast<char>(0xFF));
  return out;
}

std::string DecodeNumberOrdered(std::string_view encoded) {
  if (encoded.size() < 2) return "0";
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(encoded[k]); };
  if (byte(0) == 0x02) return "0";
  Decimal d;
  d.neg = byte(0) == 0x01;
  const int biased = d.neg ? 255 - byte(1) : byte(1);
  const int64_t sci = biased + kMinSciExp;
  for (size_t k = 2; k < encoded.size(); ++k) {
    int b = byte(k);
    if (d.neg && b == 0xFF) break;
    int v = d.neg ? 101 - b : b - 1;
    if (v < 0 || v > 99) return "0";  // corrupt input
    d.digits.push_back(static_cast<char>('0' + v / 10));
    d.digits.push_back(static_cast<char>('0' + v % 10));
  }
  d.exp = sci - static_cast<int64_t>(d.digits.size()) + 1;
  Trim(&d);
  return Format(d);
}

}  // namespace ddb
