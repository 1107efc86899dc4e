#include "cruddur/messaging/timestamp.h"

#include <cstdio>

namespace cruddur::messaging {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr Micros kMicrosPerSecond = 1'000'000;
constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

base::Error Invalid(std::string_view text, std::string_view why) {
  return {kInvalidTimestamp,
          "invalid timestamp \"" + std::string(text.substr(0, 64)) + "\": " + std::string(why)};
}

// Reads exactly `n` decimal digits at `*pos`.
bool Digits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

Micros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTimestamp(Micros t) {
  constexpr Micros kMin = -62167219200LL * kMicrosPerSecond;           // 0000-01-01
  constexpr Micros kMax = 253402300799LL * kMicrosPerSecond + 999999;  // 9999-12-31T23:59:59.999999
  if (t < kMin) t = kMin;
  if (t > kMax) t = kMax;
  Micros day = t >= 0 ? t / kMicrosPerDay : -((-t + kMicrosPerDay - 1) / kMicrosPerDay);
  Micros in_day = t - day * kMicrosPerDay;
  const std::chrono::year_month_day ymd{sys_days{days{day}}};
  const int64_t secs = in_day / kMicrosPerSecond;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06d+00:00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(secs / 3600), int(secs / 60 % 60),
                int(secs % 60), int(in_day % kMicrosPerSecond));
  return buf;
}

base::Result<Micros> ParseTimestamp(std::string_view s) {
  size_t p = 0;
  int y, mo, d, h, mi, sec;
  if (!Digits(s, &p, 4, &y) || !Expect(s, &p, '-') || !Digits(s, &p, 2, &mo) ||
      !Expect(s, &p, '-') || !Digits(s, &p, 2, &d) || !Expect(s, &p, 'T') ||
      !Digits(s, &p, 2, &h) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &mi) ||
      !Expect(s, &p, ':') || !Digits(s, &p, 2, &sec)) {
    return Invalid(s, "expected YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(unsigned(mo)),
                                        std::chrono::day(unsigned(d))};
  if (!ymd.ok()) return Invalid(s, "no such date");
  if (h > 23 || mi > 59 || sec > 59) return Invalid(s, "no such time of day");
  Micros frac = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    size_t n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (++n > 6) return Invalid(s, "more than 6 fractional digits");
      frac = frac * 10 + (s[p++] - '0');
    }
    if (n == 0) return Invalid(s, "no digits after '.'");
    for (; n < 6; ++n) frac *= 10;
  }
  Micros offset = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      const int sign = s[p++] == '-' ? -1 : 1;
      int oh, om;
      if (!Digits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &om) || oh > 23 ||
          om > 59) {
        return Invalid(s, "bad UTC offset (expected +HH:MM)");
      }
      offset = sign * (Micros(oh) * 3600 + om * 60) * kMicrosPerSecond;
    }
    if (p != s.size()) return Invalid(s, "unexpected text after the time");
  }
  const Micros day = sys_days{ymd}.time_since_epoch().count();
  return day * kMicrosPerDay + (Micros(h) * 3600 + mi * 60 + sec) * kMicrosPerSecond + frac -
         offset;
}

std::string FixedForm(std::string_view text, Micros t) {
  // Fixed width with six fractional digits and a zero offset: parsing and
  // formatting again gives the same text.
  const bool fixed = text.size() == kTimestampLength && text[19] == '.' &&
                     text.substr(kTimestampLength - 6) == "+00:00";
  return fixed ? std::string(text) : FormatTimestamp(t);
}

base::Result<std::string> NormalizeTimestamp(std::string_view text) {
  ASSIGN_OR_RETURN(Micros t, ParseTimestamp(text));
  return FixedForm(text, t);
}

std::string DisplayDateTime(std::string_view text) {
  auto t = ParseTimestamp(text);
  if (!t.ok()) return std::string(text);
  std::string f = FormatTimestamp(*t);
  return f.substr(0, 10) + " " + f.substr(11, 5);
}

}  // namespace cruddur::messaging
