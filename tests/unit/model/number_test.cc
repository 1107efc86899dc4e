// DynamoDB numbers: parsing, canonical form, limits, arithmetic, ordering.
#include "ddb/model/number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace ddb {
namespace {

std::string Norm(std::string_view text) {
  auto r = NormalizeNumber(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "<error>";
}

std::string NormError(std::string_view text) {
  auto r = NormalizeNumber(text);
  EXPECT_FALSE(r.ok()) << text << " unexpectedly normalized to " << (r.ok() ? *r : "");
  if (r.ok()) return "";
  EXPECT_EQ(r.error().Name(), "ValidationException");
  return r.error().message;
}

const char kNotNumeric[] = "The parameter cannot be converted to a numeric value";
const char kTooManyDigits[] = "Attempting to store more than 38 significant digits in a Number";
const char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

TEST(NormalizeNumber, CanonicalForms) {
  EXPECT_EQ(Norm("1"), "1");
  EXPECT_EQ(Norm("-1"), "-1");
  EXPECT_EQ(Norm("1.50"), "1.5");
  EXPECT_EQ(Norm("-1.50"), "-1.5");
  EXPECT_EQ(Norm("+3"), "3");
  EXPECT_EQ(Norm("+1.5"), "1.5");
  EXPECT_EQ(Norm("+0"), "0");
  EXPECT_EQ(Norm("+1e2"), "100");
  EXPECT_EQ(Norm("1e3"), "1000");
  EXPECT_EQ(Norm("1e+2"), "100");
  EXPECT_EQ(Norm("1.5E+3"), "1500");
  EXPECT_EQ(Norm("1E-3"), "0.001");
  EXPECT_EQ(Norm(".5"), "0.5");
  EXPECT_EQ(Norm("-.5"), "-0.5");
  EXPECT_EQ(Norm("5."), "5");
  EXPECT_EQ(Norm("007"), "7");
  EXPECT_EQ(Norm("00042"), "42");
  EXPECT_EQ(Norm("0.0"), "0");
  EXPECT_EQ(Norm("-0"), "0");
  EXPECT_EQ(Norm("-0.0"), "0");
  EXPECT_EQ(Norm("0e999999999999999"), "0");
  EXPECT_EQ(Norm("-0e-999999999999"), "0");
  EXPECT_EQ(Norm("000.000"), "0");
  EXPECT_EQ(Norm("1.0"), "1");
  EXPECT_EQ(Norm("1200"), "1200");
  EXPECT_EQ(Norm("12.3400e1"), "123.4");
  EXPECT_EQ(Norm("123.45e-5"), "0.0012345");
  EXPECT_EQ(Norm("0.000123e3"), "0.123");
  EXPECT_EQ(Norm("1.5E2"), "150");
  EXPECT_EQ(Norm("12e-1"), "1.2");
  EXPECT_EQ(Norm("1e21"), "1000000000000000000000");
  EXPECT_EQ(Norm("-1.23456789e-10"), "-0.000000000123456789");
  EXPECT_EQ(Norm("10"), "10");
  EXPECT_EQ(Norm("100.00100"), "100.001");
}

TEST(NormalizeNumber, NotNumeric) {
  EXPECT_EQ(NormError(""), kNotNumeric);  // no ": " suffix for empty text
  for (const char* bad :
       {"b",  " 1",  "1 ",       "1 2",       "-",     "+",     ".",   "-.",    "e5",
        "1e", "1e+", "1e-",      "+e2",       "1+2",   "1.2.3", "--1", "+-1",   "0x10",
        "1f", "NaN", "Infinity", "-Infinity", "1e5.5", "١",     "1,5", "\"1\"", "1_000"}) {
    EXPECT_EQ(NormError(bad), std::string(kNotNumeric) + ": " + bad) << bad;
  }
}

TEST(NormalizeNumber, SignificantDigitLimit) {
  const std::string d38 = "12345678901234567890123456789012345678";
  ASSERT_EQ(d38.size(), 38u);
  EXPECT_EQ(Norm(d38), d38);
  EXPECT_EQ(Norm("-" + d38), "-" + d38);
  EXPECT_EQ(Norm("0.000" + d38), "0.000" + d38);
  EXPECT_EQ(NormError(d38 + "9"), kTooManyDigits);
  EXPECT_EQ(NormError("-1.23456789012345678901234567890123456789"), kTooManyDigits);
  EXPECT_EQ(NormError("123456789012345678901234567890123456789"), kTooManyDigits);
  // Leading and trailing zeros are not significant.
  EXPECT_EQ(Norm("000" + d38 + "000"), d38 + "000");
  EXPECT_EQ(Norm("1" + std::string(100, '0')), "1" + std::string(100, '0'));
  EXPECT_EQ(Norm("0." + std::string(50, '0') + "1"), "0." + std::string(50, '0') + "1");
  EXPECT_EQ(Norm(d38 + ".000000"), d38);
}

TEST(NormalizeNumber, MagnitudeLimits) {
  const std::string max = "9.9999999999999999999999999999999999999E+125";
  std::string max_plain = "99999999999999999999999999999999999999" + std::string(88, '0');
  EXPECT_EQ(Norm(max), max_plain);
  EXPECT_EQ(Norm("-" + max), "-" + max_plain);
  EXPECT_EQ(Norm("1e125"), "1" + std::string(125, '0'));
  EXPECT_EQ(Norm("1E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Norm("-1E-130"), "-0." + std::string(129, '0') + "1");
  EXPECT_EQ(NormError("1e126"), kOverflow);
  EXPECT_EQ(NormError("-1e126"), kOverflow);
  EXPECT_EQ(NormError("10e125"), kOverflow);
  EXPECT_EQ(NormError("1e999999999999999999"), kOverflow);
  EXPECT_EQ(NormError("1e-131"), kUnderflow);
  EXPECT_EQ(NormError("-1e-131"), kUnderflow);
  EXPECT_EQ(NormError("0.1e-130"), kUnderflow);
  EXPECT_EQ(NormError("1e-999999999999999999"), kUnderflow);
  // Range is checked before precision.
  EXPECT_EQ(NormError("1234567890123456789012345678901234567890e100"), kOverflow);
  EXPECT_EQ(NormError("1.234567890123456789012345678901234567890e-131"), kUnderflow);
}

TEST(SignificantDigits, Counts) {
  EXPECT_EQ(SignificantDigits("0"), 1);
  EXPECT_EQ(SignificantDigits("1"), 1);
  EXPECT_EQ(SignificantDigits("-1"), 1);
  EXPECT_EQ(SignificantDigits("1200"), 2);
  EXPECT_EQ(SignificantDigits("0.0012"), 2);
  EXPECT_EQ(SignificantDigits("-10.01"), 4);
  EXPECT_EQ(SignificantDigits("12345678901234567890123456789012345678"), 38);
}

TEST(CompareNumbers, AcrossSignsAndExponents) {
  const std::vector<std::string> ascending = {
      "-" + std::string("99999999999999999999999999999999999999") + std::string(88, '0'),
      "-1000",
      "-999.99",
      "-10",
      "-9.5",
      "-1",
      "-0.5",
      "-0.0501",
      "-0.05",
      "0",
      "0.00000001",
      "0.05",
      "0.0501",
      "0.5",
      "1",
      "1.0000000001",
      "1.5",
      "9",
      "10",
      "12",
      "100",
      "1000000",
  };
  const std::vector<std::string>& sorted = ascending;
  for (size_t i = 0; i < sorted.size(); ++i) {
    EXPECT_EQ(CompareNumbers(sorted[i], sorted[i]), 0);
    for (size_t j = i + 1; j < sorted.size(); ++j) {
      EXPECT_LT(CompareNumbers(sorted[i], sorted[j]), 0) << sorted[i] << " < " << sorted[j];
      EXPECT_GT(CompareNumbers(sorted[j], sorted[i]), 0) << sorted[j] << " > " << sorted[i];
    }
  }
}

std::string Add(std::string_view a, std::string_view b) {
  auto r = AddNumbers(a, b);
  EXPECT_TRUE(r.ok()) << a << " + " << b << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "<error>";
}
std::string Sub(std::string_view a, std::string_view b) {
  auto r = SubtractNumbers(a, b);
  EXPECT_TRUE(r.ok()) << a << " - " << b << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "<error>";
}

TEST(AddNumbers, Exact) {
  EXPECT_EQ(Add("1", "2"), "3");
  EXPECT_EQ(Add("0", "0"), "0");
  EXPECT_EQ(Add("0", "-5.5"), "-5.5");
  EXPECT_EQ(Add("7", "0"), "7");
  EXPECT_EQ(Add("0.1", "0.2"), "0.3");   // exact, unlike binary floating point
  EXPECT_EQ(Add("999", "1"), "1000");    // carry
  EXPECT_EQ(Add("9.99", "0.01"), "10");  // carry through the point
  EXPECT_EQ(Add("-1", "-2.5"), "-3.5");
  EXPECT_EQ(Add("1000", "-1"), "999");  // borrow
  EXPECT_EQ(Add("-1000", "1"), "-999");
  EXPECT_EQ(Add("1", "-1000"), "-999");
  EXPECT_EQ(Add("0.001", "-0.0001"), "0.0009");
  EXPECT_EQ(Add("1.5", "-1.5"), "0");  // cancellation
  EXPECT_EQ(Add("-123.456", "123.456"), "0");
  EXPECT_EQ(Add("1e10", "1e-10"), "10000000000.0000000001");
  EXPECT_EQ(Add("100", "0.5"), "100.5");
  EXPECT_EQ(Add("12345678901234567890123456789012345678", "1"),
            "12345678901234567890123456789012345679");
}

TEST(SubtractNumbers, Exact) {
  EXPECT_EQ(Sub("3", "2"), "1");
  EXPECT_EQ(Sub("2", "3"), "-1");
  EXPECT_EQ(Sub("5", "5"), "0");
  EXPECT_EQ(Sub("0", "5"), "-5");
  EXPECT_EQ(Sub("5", "0"), "5");
  EXPECT_EQ(Sub("-5", "-5"), "0");
  EXPECT_EQ(Sub("-5", "5"), "-10");
  EXPECT_EQ(Sub("1", "0.001"), "0.999");
  EXPECT_EQ(Sub("10000", "0.0001"), "9999.9999");
  EXPECT_EQ(Sub("0.3", "0.1"), "0.2");
}

TEST(AddNumbers, Errors) {
  const std::string d38 = "99999999999999999999999999999999999999";
  // 38 nines + 1 = 1 followed by 38 zeros: one significant digit, fine.
  EXPECT_EQ(Add(d38, "1"), "1" + std::string(38, '0'));
  // 38 nines + 0.1 needs 39 digits.
  auto r = AddNumbers(d38, "0.1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kTooManyDigits);
  r = AddNumbers("1e100", "1e-100");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kTooManyDigits);
  const std::string max = *NormalizeNumber("9.9999999999999999999999999999999999999E+125");
  r = AddNumbers(max, *NormalizeNumber("1e88"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kOverflow);
  r = SubtractNumbers("-" + max, *NormalizeNumber("1e88"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kOverflow);
  const std::string small = *NormalizeNumber("1.1e-130");
  r = SubtractNumbers(small, *NormalizeNumber("1e-130"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kUnderflow);
}

// Random canonical numbers over the whole range, plus edge values.
std::vector<std::string> SampleNumbers() {
  std::vector<std::string> out = {
      "0",
      "1",
      "-1",
      "10",
      "-10",
      "0.1",
      "-0.1",
      "1.01",
      "1.1",
      "-1.01",
      "-1.1",
      "99",
      "100",
      "101",
      "-99",
      "-100",
      "-101",
      *NormalizeNumber("1e-130"),
      *NormalizeNumber("-1e-130"),
      *NormalizeNumber("9.9999999999999999999999999999999999999E+125"),
      *NormalizeNumber("-9.9999999999999999999999999999999999999E+125"),
      *NormalizeNumber("1e125"),
      *NormalizeNumber("-1e125"),
      *NormalizeNumber("12345678901234567890123456789012345678"),
      *NormalizeNumber("-12345678901234567890123456789012345678"),
      *NormalizeNumber("1.2345678901234567890123456789012345678"),
  };
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    int ndigits = 1 + static_cast<int>(rng() % 38);
    std::string digits;
    for (int k = 0; k < ndigits; ++k) digits.push_back(static_cast<char>('0' + rng() % 10));
    if (digits[0] == '0') digits[0] = '1' + rng() % 9;
    // Mostly small exponents (dense collisions), some over the full range.
    int sci =
        (rng() % 4 == 0) ? -130 + static_cast<int>(rng() % 256) : -5 + static_cast<int>(rng() % 11);
    std::string text = (rng() % 2 ? "-" : "") + digits.substr(0, 1) + "." + digits.substr(1) + "e" +
                       std::to_string(sci);
    auto n = NormalizeNumber(text);
    if (n.ok()) out.push_back(*n);
    // Neighbours that share prefixes.
    if (i % 10 == 0 && n.ok()) {
      auto m = NormalizeNumber(digits.substr(0, 1) + "e" + std::to_string(sci));
      if (m.ok()) out.push_back(*m);
    }
  }
  return out;
}

TEST(EncodeNumberOrdered, OrderMatchesNumericOrder) {
  std::vector<std::string> nums = SampleNumbers();
  std::vector<std::string> by_value = nums;
  std::sort(by_value.begin(), by_value.end(),
            [](const std::string& a, const std::string& b) { return CompareNumbers(a, b) < 0; });
  std::vector<std::string> by_encoding = nums;
  std::sort(by_encoding.begin(), by_encoding.end(), [](const std::string& a, const std::string& b) {
    return EncodeNumberOrdered(a) < EncodeNumberOrdered(b);
  });
  ASSERT_EQ(by_value.size(), by_encoding.size());
  for (size_t i = 0; i < by_value.size(); ++i) {
    ASSERT_EQ(CompareNumbers(by_value[i], by_encoding[i]), 0)
        << i << ": " << by_value[i] << " vs " << by_encoding[i];
  }
  // Pairwise on neighbours: strict order and equality agree.
  for (size_t i = 0; i + 1 < by_value.size(); ++i) {
    int c = CompareNumbers(by_value[i], by_value[i + 1]);
    std::string ea = EncodeNumberOrdered(by_value[i]);
    std::string eb = EncodeNumberOrdered(by_value[i + 1]);
    if (c == 0) {
      EXPECT_EQ(ea, eb);
    } else {
      EXPECT_LT(ea, eb) << by_value[i] << " < " << by_value[i + 1];
    }
  }
}

TEST(EncodeNumberOrdered, RoundTrip) {
  for (const std::string& n : SampleNumbers()) {
    ASSERT_EQ(DecodeNumberOrdered(EncodeNumberOrdered(n)), n);
  }
}

TEST(EncodeNumberOrdered, PrefixCases) {
  // Shorter digit strings (prefixes) on both sides of zero.
  const std::vector<std::string> asc = {"-1.23", "-1.2", "-1",  "-0.99", "0",
                                        "0.99",  "1",    "1.2", "1.23",  "12"};
  for (size_t i = 0; i + 1 < asc.size(); ++i) {
    EXPECT_LT(EncodeNumberOrdered(asc[i]), EncodeNumberOrdered(asc[i + 1]))
        << asc[i] << " < " << asc[i + 1];
  }
}

}  // namespace
}  // namespace ddb
