// DynamoDB numbers: exact decimals with up to 38 significant digits and an
// exponent range of 1e-130 to 9.9999999999999999999999999999999999999e+125
// (positive and negative), plus zero.
//
// Numbers are kept as canonical text: no leading '+', no leading zeros, no
// trailing fractional zeros, no exponent (plain notation, e.g.
// "1.5", "-0.001", "1200000000000000000000"), and zero is "0". Canonical
// text makes equality a byte comparison and is what DynamoDB returns.
#pragma once

#include <string>
#include <string_view>

#include "ddb/common/error.h"

namespace ddb {

// Validates and canonicalizes the text of a number as a client sends it
// ("1.50", "+3", "1e3", "-0.0", " 1" is invalid). On error, a
// ValidationException with DynamoDB's wording:
//  - "The parameter cannot be converted to a numeric value: <text>" for text
//    that is not a number (also empty text);
//  - "Attempting to store more than 38 significant digits in a Number";
//  - "Number overflow. Attempting to store a number with magnitude larger
//    than supported range";
//  - "Number underflow. Attempting to store a number with magnitude smaller
//    than supported range".
Result<std::string> NormalizeNumber(std::string_view text);

// Compares two canonical numbers numerically: <0, 0, >0.
int CompareNumbers(std::string_view a, std::string_view b);

// a + b and a - b of canonical numbers, canonical result, or the overflow /
// underflow / 38-digit errors above (DynamoDB rounds nothing: a result that
// needs more than 38 significant digits is an error).
Result<std::string> AddNumbers(std::string_view a, std::string_view b);
Result<std::string> SubtractNumbers(std::string_view a, std::string_view b);

// Number of significant digits of a canonical number (0 has 1). Used for
// item-size arithmetic.
int SignificantDigits(std::string_view canonical);

// An order-preserving byte encoding of a canonical number: for numbers x < y,
// EncodeNumberOrdered(x) < EncodeNumberOrdered(y) bytewise, and equal numbers
// encode equally. Self-delimiting is not required (used as the last key part).
std::string EncodeNumberOrdered(std::string_view canonical);
// Inverse of EncodeNumberOrdered.
std::string DecodeNumberOrdered(std::string_view encoded);

}  // namespace ddb
