#include "ddb/expr/lexer.h"

#include <cctype>

#include "ddb/expr/ast.h"

namespace ddb::expr {

namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentPart(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool Token::IsKeyword(std::string_view upper) const {
  if (kind != Kind::kIdent || text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper[i]) return false;
  }
  return true;
}

std::vector<Token> Lex(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    size_t start = i;
    Token::Kind kind;
    if (IsIdentStart(c)) {
      while (i < text.size() && IsIdentPart(text[i])) ++i;
      kind = Token::Kind::kIdent;
    } else if (c == '#' || c == ':') {
      ++i;
      while (i < text.size() && IsIdentPart(text[i])) ++i;
      kind = i == start + 1 ? Token::Kind::kUnknown
                            : (c == '#' ? Token::Kind::kName : Token::Kind::kValue);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      kind = Token::Kind::kNumber;
    } else if ((c == '<' || c == '>') && i + 1 < text.size() && text[i + 1] == '=') {
      i += 2;
      kind = Token::Kind::kPunct;
    } else if (c == '<' && i + 1 < text.size() && text[i + 1] == '>') {
      i += 2;
      kind = Token::Kind::kPunct;
    } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
      ++i;
      kind = Token::Kind::kPunct;
    } else {
      // One character (a whole UTF-8 sequence for non-ASCII input).
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      kind = Token::Kind::kUnknown;
    }
    out.push_back(Token{kind, text.substr(start, i - start), start});
  }
  out.push_back(Token{Token::Kind::kEnd, std::string_view(), text.size()});
  return out;
}

TokenStream::TokenStream(std::string_view text, std::string_view which)
    : text_(text), which_(which), tokens_(Lex(text)) {}

const Token& TokenStream::Peek(size_t ahead) const {
  size_t i = index_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& TokenStream::Next() {
  const Token& t = tokens_[index_];
  if (index_ + 1 < tokens_.size()) ++index_;
  return t;
}

bool TokenStream::Accept(std::string_view punct) {
  if (!Peek().Is(punct)) return false;
  Next();
  return true;
}

bool TokenStream::AcceptKeyword(std::string_view upper) {
  if (!Peek().IsKeyword(upper)) return false;
  Next();
  return true;
}

Error TokenStream::SyntaxError() const {
  // As DynamoDB: the offending token, and "near" it the previous token, the
  // offending one and the following one, with the whitespace between them.
  const Token& tok = tokens_[index_];
  size_t begin = index_ > 0 ? tokens_[index_ - 1].pos : tok.pos;
  size_t end;
  std::string token_text;
  if (tok.kind == Token::Kind::kEnd) {
    token_text = "<EOF>";
    end = index_ > 0 ? tokens_[index_ - 1].pos + tokens_[index_ - 1].text.size() : 0;
  } else {
    token_text = std::string(tok.text);
    const Token& next = Peek(1);
    end = next.kind == Token::Kind::kEnd ? tok.pos + tok.text.size() : next.pos + next.text.size();
  }
  std::string near(text_.substr(begin, end - begin));
  return Invalid("Syntax error; token: \"" + token_text + "\", near: \"" + near + "\"");
}

Error TokenStream::Invalid(std::string_view message) const {
  return InvalidExpression(which_, message);
}

}  // namespace ddb::expr
