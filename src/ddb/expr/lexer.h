// Tokens of the expression language and a cursor over them that produces
// DynamoDB's syntax-error messages. Internal to the expressions layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"

namespace ddb::expr {

struct Token {
  enum class Kind : uint8_t {
    kIdent,    // a name or keyword: [A-Za-z_][A-Za-z0-9_]*
    kName,     // #placeholder
    kValue,    // :placeholder
    kNumber,   // [0-9]+ (list indexes)
    kPunct,    // ( ) [ ] , . = <> < <= > >= + -
    kUnknown,  // any other character
    kEnd,      // end of input
  };
  Kind kind = Kind::kEnd;
  std::string_view text;
  size_t pos = 0;  // byte offset in the expression

  bool Is(std::string_view punct) const { return kind == Kind::kPunct && text == punct; }
  // Case-insensitive keyword match (AND, OR, NOT, BETWEEN, IN, SET, ...).
  bool IsKeyword(std::string_view upper) const;
};

// Splits `text` into tokens; the last token is always kEnd.
std::vector<Token> Lex(std::string_view text);

// A cursor over the tokens of one expression.
class TokenStream {
 public:
  TokenStream(std::string_view text, std::string_view which);

  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool AtEnd() const { return Peek().kind == Token::Kind::kEnd; }
  // Consumes the punctuation if it is next.
  bool Accept(std::string_view punct);
  bool AcceptKeyword(std::string_view upper);

  // DynamoDB's syntax error at the next token:
  // Invalid <which>: Syntax error; token: "<tok>", near: "<prev tok next>".
  Error SyntaxError() const;
  // An error with the "Invalid <which>: " prefix.
  Error Invalid(std::string_view message) const;
  std::string_view which() const { return which_; }
  size_t position() const { return index_; }
  // Backtracks to a position returned by position().
  void Seek(size_t index) { index_ = index; }

 private:
  std::string_view text_;
  std::string_view which_;
  std::vector<Token> tokens_;
  size_t index_ = 0;
};

}  // namespace ddb::expr
