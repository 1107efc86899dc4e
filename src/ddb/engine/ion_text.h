// The lexical level of Amazon Ion text for ion_reader.h: a byte stream
// with a few bytes of lookahead and a record's byte budget, whitespace and
// comments, strings ("short", '''long''' and 'quoted symbols') with every
// Ion escape and a UTF-8 check, identifiers, blobs, and number tokens
// turned into the text of a DynamoDB number. Every function that reads a
// piece returns false on a syntax error, which error() then names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ddb/engine/ion_source.h"

namespace ddb::ion {

bool IsWhitespace(int c);
// [A-Za-z_$] and [A-Za-z0-9_$]: identifier characters.
bool IdStart(int c);
bool IdPart(int c);
bool IsDigit(int c);
// Characters a number, keyword or identifier may be followed by.
bool IsStop(int c);

class TextInput {
 public:
  TextInput(ByteSource& in, size_t max_record_bytes)
      : in_(in), max_record_bytes_(max_record_bytes) {}

  // Starts a record: its byte budget, error and line position afresh.
  void StartRecord() {
    bytes_ = 0;
    overflow_ = false;
    last_ = -1;
    error_.clear();
  }
  // The byte `k` places ahead (k < 4), or -1 at the end or once the record
  // is over its byte budget.
  int Peek(size_t k = 0);
  // Consumes one byte (-1 at the end; once the record is over its budget,
  // nothing more is consumed and -1 is returned).
  int Take();
  // The record went over its byte budget.
  bool overflow() const { return overflow_; }
  size_t max_record_bytes() const { return max_record_bytes_; }
  // Skips the rest of the line where a syntax error was found: nothing
  // when the error is at a line's start (the newline before it taken).
  void SkipLine();

  // The first syntax error of the record ("" if none).
  const std::string& error() const { return error_; }
  // Records a syntax error: false.
  bool Fail(const char* what);

  // A comment at "//" or "/*"; false if a block comment is not closed.
  bool SkipComment();
  // Whitespace and comments.
  bool SkipSpace();
  // At ''' (a long string).
  bool AtLongString();
  // A "string" or 'symbol' after its opening quote: up to `quote`.
  bool TakeQuoted(int quote, std::string* out);
  // One or more '''long strings''' (at the first quote), concatenated, and
  // the whitespace after them.
  bool TakeLongStrings(std::string* out);
  void TakeIdentifier(std::string* out);
  // A blob after "{{": its base64 text (checked) into *base64; clobs are
  // refused.
  bool TakeLob(std::string* base64);
  // A number token (at its first character) as DynamoDB number text
  // (decimals, ints in any radix, floats as the decimal they spell); for
  // infinities and ints too large for any DynamoDB number, *no_type says
  // why instead and *text is left empty.
  bool TakeNumber(std::string* text, std::string* no_type);

 private:
  bool TakeUtf8(int c, std::string* out);
  bool TakeHex(int digits, uint32_t* cp);
  bool TakeEscape(std::string* out);

  ByteSource& in_;
  size_t max_record_bytes_;
  int la_[4] = {0, 0, 0, 0};
  size_t la_n_ = 0;
  size_t bytes_ = 0;
  bool overflow_ = false;
  int last_ = -1;  // the last byte taken
  std::string error_;
};

}  // namespace ddb::ion
