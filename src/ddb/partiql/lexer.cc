#include "ddb/partiql/lexer.h"

#include <cctype>

namespace ddb::partiql {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// A quoted token starting at text[i] (the quote): its unescaped text (a
// doubled quote stands for one) and the position after the closing quote.
bool ReadQuoted(std::string_view text, size_t& i, std::string* out) {
  const char q = text[i++];
  while (i < text.size()) {
    if (text[i] == q) {
      if (i + 1 < text.size() && text[i + 1] == q) {
        out->push_back(q);
        i += 2;
        continue;
      }
      ++i;
      return true;
    }
    out->push_back(text[i++]);
  }
  return false;
}

}  // namespace

bool Token::IsKeyword(std::string_view upper) const {
  if (kind != Kind::kIdent || text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper[i]) return false;
  }
  return true;
}

Error Malformed(std::string_view detail) {
  return Validation("Statement wasn't well formed, can't be processed: " + std::string(detail));
}

Result<std::vector<Token>> Lex(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      // A comment to the end of the line.
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (IsIdentStart(c)) {
      t.kind = Token::Kind::kIdent;
      size_t start = i;
      while (i < text.size() && IsIdentChar(text[i])) ++i;
      t.text = std::string(text.substr(start, i - start));
    } else if (c == '"' || c == '\'') {
      t.kind = c == '"' ? Token::Kind::kQuoted : Token::Kind::kString;
      if (!ReadQuoted(text, i, &t.text)) {
        return Malformed(c == '"' ? "Unterminated quoted identifier"
                                  : "Unterminated string literal");
      }
    } else if (IsDigit(c) || (c == '.' && i + 1 < text.size() && IsDigit(text[i + 1]))) {
      t.kind = Token::Kind::kNumber;
      size_t start = i;
      while (i < text.size() && IsDigit(text[i])) ++i;
      if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && IsDigit(text[i])) ++i;
      }
      if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        size_t j = i + 1;
        if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
        if (j < text.size() && IsDigit(text[j])) {
          i = j;
          while (i < text.size() && IsDigit(text[i])) ++i;
        }
      }
      t.text = std::string(text.substr(start, i - start));
    } else if (c == '?') {
      t.kind = Token::Kind::kParam;
      t.text = "?";
      ++i;
    } else {
      static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
      t.kind = Token::Kind::kPunct;
      for (std::string_view two : kTwo) {
        if (text.substr(i, 2) == two) {
          t.text = std::string(two);
          break;
        }
      }
      if (t.text.empty()) {
        static constexpr std::string_view kOne = "()[]{},.:*=<>+-";
        if (kOne.find(c) == std::string_view::npos) {
          return Malformed("Unexpected character: " + std::string(1, c));
        }
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = text.size();
  out.push_back(std::move(end));
  return out;
}

const Token& TokenStream::Peek(size_t ahead) const {
  size_t i = index_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& TokenStream::Next() {
  const Token& t = Peek();
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

Status TokenStream::Expect(std::string_view punct) {
  if (!Accept(punct)) return Unexpected();
  return Status::Ok();
}

Status TokenStream::ExpectKeyword(std::string_view upper) {
  if (!AcceptKeyword(upper)) return Unexpected();
  return Status::Ok();
}

Error TokenStream::Unexpected() const {
  const Token& t = Peek();
  if (t.kind == Token::Kind::kEnd) return Malformed("Unexpected end of statement");
  std::string shown = t.text;
  if (t.kind == Token::Kind::kString) shown = "'" + shown + "'";
  if (t.kind == Token::Kind::kQuoted) shown = "\"" + shown + "\"";
  return Malformed("Unexpected token: " + shown);
}

}  // namespace ddb::partiql
