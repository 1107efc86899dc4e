// Tokens of DynamoDB's PartiQL and a cursor over them. Internal to the
// PartiQL layer (parser.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"

namespace ddb::partiql {

struct Token {
  enum class Kind : uint8_t {
    kIdent,   // a bare name or keyword: [A-Za-z_][A-Za-z0-9_$]*
    kQuoted,  // "a quoted name" (text: unescaped, "" -> ")
    kString,  // 'a string' (text: unescaped, '' -> ')
    kNumber,  // 12, 1.5, 1e3, .5
    kParam,   // ?
    kPunct,   // ( ) [ ] { } , . : * = <> != < <= > >= + - << >>
    kEnd,     // end of input
  };
  Kind kind = Kind::kEnd;
  std::string text;
  size_t pos = 0;  // byte offset in the statement

  bool Is(std::string_view punct) const { return kind == Kind::kPunct && text == punct; }
  // Case-insensitive keyword match of a bare name ("SELECT", "where", ...).
  bool IsKeyword(std::string_view upper) const;
};

// Splits `text` into tokens ending with kEnd. A character that starts no
// token, or an unterminated quote, is a ValidationException "Statement
// wasn't well formed, can't be processed: ..." (Malformed below).
Result<std::vector<Token>> Lex(std::string_view text);

// ValidationException "Statement wasn't well formed, can't be processed:
// <detail>". The prefix is DynamoDB's; the details are this engine's own
// wording (DynamoDB's documentation does not list them).
Error Malformed(std::string_view detail);

// A cursor over the tokens of one statement.
class TokenStream {
 public:
  explicit TokenStream(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool AtEnd() const { return Peek().kind == Token::Kind::kEnd; }
  // Consume the punctuation / keyword if it is next.
  bool Accept(std::string_view punct);
  bool AcceptKeyword(std::string_view upper);
  // Consume it or fail with Unexpected().
  Status Expect(std::string_view punct);
  Status ExpectKeyword(std::string_view upper);
  // Malformed("Unexpected token: <text>") at the next token, or
  // Malformed("Unexpected end of statement").
  Error Unexpected() const;

 private:
  std::vector<Token> tokens_;
  size_t index_ = 0;
};

}  // namespace ddb::partiql
