// The syntax pass: tokens -> raw trees (see parser.h). Grammar:
//
//   condition  := or
//   or         := and (OR and)*
//   and        := not (AND not)*
//   not        := NOT not | primary
//   primary    := '(' or ')' | function-call | operand comparison
//   comparison := cmp operand | BETWEEN operand AND operand
//               | IN '(' operand (',' operand)* ')'
//   operand    := '(' operand ')' | :value | function-call | path
//   path       := (name | #name) ('.' (name | #name) | '[' digits ']')*
//   update     := (SET set-action (',' set-action)* | REMOVE path (',' path)*
//               | ADD path :value (',' ...)* | DELETE path :value (',' ...)*)+
//   set-action := path '=' set-value
//   set-value  := term (('+' | '-') term)?
//   term       := '(' set-value ')' | operand
//   projection := path (',' path)*
#include <limits>

#include "ddb/expr/parser.h"

namespace ddb::expr {

namespace {

RawCondition Combine(RawCondition::Kind kind, RawCondition left, RawCondition right) {
  if (left.kind == kind && left.parens == 0) {
    left.children.push_back(std::move(right));
    return left;
  }
  RawCondition out;
  out.kind = kind;
  out.children.push_back(std::move(left));
  out.children.push_back(std::move(right));
  return out;
}

}  // namespace

bool SyntaxParser::IsKeywordHere(const Token& t) const {
  if (t.kind != Token::Kind::kIdent) return false;
  if (update_mode_) {
    return t.IsKeyword("SET") || t.IsKeyword("REMOVE") || t.IsKeyword("ADD") ||
           t.IsKeyword("DELETE");
  }
  return t.IsKeyword("AND") || t.IsKeyword("OR") || t.IsKeyword("NOT") || t.IsKeyword("BETWEEN") ||
         t.IsKeyword("IN");
}

bool SyntaxParser::IsComparisonStart(const Token& t) const {
  return t.Is("=") || t.Is("<>") || t.Is("<") || t.Is("<=") || t.Is(">") || t.Is(">=") ||
         t.IsKeyword("BETWEEN") || t.IsKeyword("IN");
}

Result<RawCondition> SyntaxParser::ParseCondition() {
  DDB_ASSIGN_OR_RETURN(RawCondition c, ParseOr());
  if (!tokens_.AtEnd()) return tokens_.SyntaxError();
  return c;
}

Result<RawCondition> SyntaxParser::ParseOr() {
  DDB_ASSIGN_OR_RETURN(RawCondition left, ParseAnd());
  while (tokens_.AcceptKeyword("OR")) {
    DDB_ASSIGN_OR_RETURN(RawCondition right, ParseAnd());
    left = Combine(RawCondition::Kind::kOr, std::move(left), std::move(right));
  }
  return left;
}

Result<RawCondition> SyntaxParser::ParseAnd() {
  DDB_ASSIGN_OR_RETURN(RawCondition left, ParseNot());
  while (tokens_.AcceptKeyword("AND")) {
    DDB_ASSIGN_OR_RETURN(RawCondition right, ParseNot());
    left = Combine(RawCondition::Kind::kAnd, std::move(left), std::move(right));
  }
  return left;
}

Result<RawCondition> SyntaxParser::ParseNot() {
  if (tokens_.AcceptKeyword("NOT")) {
    DDB_ASSIGN_OR_RETURN(RawCondition child, ParseNot());
    RawCondition out;
    out.kind = RawCondition::Kind::kNot;
    out.children.push_back(std::move(child));
    return out;
  }
  return ParsePrimary();
}

Result<RawCondition> SyntaxParser::ParsePrimary() {
  if (tokens_.Peek().Is("(")) {
    // Either a parenthesized operand that starts a comparison, "(a) = :v",
    // or a parenthesized condition.
    size_t start = tokens_.position();
    auto operand = ParseOperand();
    if (operand.ok() && IsComparisonStart(tokens_.Peek())) {
      return ParseComparisonAfter(std::move(operand).value());
    }
    tokens_.Seek(start);
    tokens_.Next();
    DDB_ASSIGN_OR_RETURN(RawCondition inner, ParseOr());
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    inner.parens++;
    return inner;
  }
  const Token& t = tokens_.Peek();
  if (t.kind == Token::Kind::kIdent && tokens_.Peek(1).Is("(") && !IsKeywordHere(t)) {
    DDB_ASSIGN_OR_RETURN(RawOperand call, ParseFunctionCall());
    if (IsComparisonStart(tokens_.Peek())) return ParseComparisonAfter(std::move(call));
    RawCondition out;
    out.kind = RawCondition::Kind::kFunction;
    out.function = call.text;
    out.operands = std::move(call.args);
    return out;
  }
  DDB_ASSIGN_OR_RETURN(RawOperand first, ParseOperand());
  return ParseComparisonAfter(std::move(first));
}

Result<RawCondition> SyntaxParser::ParseComparisonAfter(RawOperand first) {
  RawCondition out;
  out.operands.push_back(std::move(first));
  const Token& t = tokens_.Peek();
  if (t.kind == Token::Kind::kPunct && IsComparisonStart(t)) {
    out.kind = RawCondition::Kind::kCompare;
    out.op_text = t.text;
    if (t.Is("=")) out.op = CompareOp::kEq;
    if (t.Is("<>")) out.op = CompareOp::kNe;
    if (t.Is("<")) out.op = CompareOp::kLt;
    if (t.Is("<=")) out.op = CompareOp::kLe;
    if (t.Is(">")) out.op = CompareOp::kGt;
    if (t.Is(">=")) out.op = CompareOp::kGe;
    tokens_.Next();
    DDB_ASSIGN_OR_RETURN(RawOperand second, ParseOperand());
    out.operands.push_back(std::move(second));
    return out;
  }
  if (tokens_.AcceptKeyword("BETWEEN")) {
    out.kind = RawCondition::Kind::kBetween;
    out.op_text = "BETWEEN";
    DDB_ASSIGN_OR_RETURN(RawOperand low, ParseOperand());
    if (!tokens_.AcceptKeyword("AND")) return tokens_.SyntaxError();
    DDB_ASSIGN_OR_RETURN(RawOperand high, ParseOperand());
    out.operands.push_back(std::move(low));
    out.operands.push_back(std::move(high));
    return out;
  }
  if (tokens_.AcceptKeyword("IN")) {
    out.kind = RawCondition::Kind::kIn;
    out.op_text = "IN";
    if (!tokens_.Accept("(")) return tokens_.SyntaxError();
    do {
      DDB_ASSIGN_OR_RETURN(RawOperand item, ParseOperand());
      out.operands.push_back(std::move(item));
    } while (tokens_.Accept(","));
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    return out;
  }
  return tokens_.SyntaxError();
}

Result<RawOperand> SyntaxParser::ParseOperand() {
  if (tokens_.Accept("(")) {
    DDB_ASSIGN_OR_RETURN(RawOperand inner, ParseOperand());
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    inner.parens++;
    return inner;
  }
  return ParseBareOperand();
}

Result<RawOperand> SyntaxParser::ParseBareOperand() {
  const Token& t = tokens_.Peek();
  if (t.kind == Token::Kind::kValue) {
    RawOperand out;
    out.kind = RawOperand::Kind::kValue;
    out.text = tokens_.Next().text;
    return out;
  }
  if (t.kind == Token::Kind::kIdent && tokens_.Peek(1).Is("(") && !IsKeywordHere(t)) {
    return ParseFunctionCall();
  }
  DDB_ASSIGN_OR_RETURN(auto path, ParsePath());
  RawOperand out;
  out.kind = RawOperand::Kind::kPath;
  out.path = std::move(path);
  return out;
}

Result<RawOperand> SyntaxParser::ParseFunctionCall() {
  RawOperand out;
  out.kind = RawOperand::Kind::kFunction;
  out.text = tokens_.Next().text;
  tokens_.Next();  // '('
  do {
    DDB_ASSIGN_OR_RETURN(RawOperand arg, ParseOperand());
    out.args.push_back(std::move(arg));
  } while (tokens_.Accept(","));
  if (!tokens_.Accept(")")) return tokens_.SyntaxError();
  return out;
}

Result<std::vector<RawPathElement>> SyntaxParser::ParsePath() {
  std::vector<RawPathElement> out;
  auto name = [&]() -> bool {
    const Token& t = tokens_.Peek();
    if ((t.kind != Token::Kind::kIdent && t.kind != Token::Kind::kName) || IsKeywordHere(t)) {
      return false;
    }
    out.push_back(RawPathElement{tokens_.Next().text, 0, false});
    return true;
  };
  if (!name()) return tokens_.SyntaxError();
  while (true) {
    if (tokens_.Accept(".")) {
      if (!name()) return tokens_.SyntaxError();
    } else if (tokens_.Accept("[")) {
      const Token& t = tokens_.Peek();
      if (t.kind != Token::Kind::kNumber) return tokens_.SyntaxError();
      int64_t index = 0;
      for (char c : t.text) {
        index = index * 10 + (c - '0');
        if (index > std::numeric_limits<int32_t>::max()) {
          return tokens_.Invalid("List index is not within the allowable range; index: " +
                                 std::string(t.text));
        }
      }
      tokens_.Next();
      if (!tokens_.Accept("]")) return tokens_.SyntaxError();
      out.push_back(RawPathElement{std::string_view(), index, true});
    } else {
      return out;
    }
  }
}

Result<RawUpdate> SyntaxParser::ParseUpdate() {
  update_mode_ = true;
  RawUpdate out;
  bool seen[4] = {false, false, false, false};
  if (tokens_.AtEnd()) return tokens_.SyntaxError();
  while (!tokens_.AtEnd()) {
    const Token& t = tokens_.Peek();
    UpdateAction::Kind kind;
    std::string keyword;
    if (t.IsKeyword("SET")) {
      kind = UpdateAction::Kind::kSet, keyword = "SET";
    } else if (t.IsKeyword("REMOVE")) {
      kind = UpdateAction::Kind::kRemove, keyword = "REMOVE";
    } else if (t.IsKeyword("ADD")) {
      kind = UpdateAction::Kind::kAdd, keyword = "ADD";
    } else if (t.IsKeyword("DELETE")) {
      kind = UpdateAction::Kind::kDelete, keyword = "DELETE";
    } else {
      return tokens_.SyntaxError();
    }
    tokens_.Next();
    if (seen[static_cast<int>(kind)] && out.duplicate_section.empty()) {
      out.duplicate_section = keyword;
    }
    seen[static_cast<int>(kind)] = true;
    do {
      RawUpdateAction action;
      action.kind = kind;
      DDB_ASSIGN_OR_RETURN(action.path, ParsePath());
      if (kind == UpdateAction::Kind::kSet) {
        if (!tokens_.Accept("=")) return tokens_.SyntaxError();
        DDB_ASSIGN_OR_RETURN(action.value, ParseSetValue());
      } else if (kind != UpdateAction::Kind::kRemove) {
        if (tokens_.Peek().kind != Token::Kind::kValue) return tokens_.SyntaxError();
        action.value.kind = RawOperand::Kind::kValue;
        action.value.text = tokens_.Next().text;
      }
      out.actions.push_back(std::move(action));
    } while (tokens_.Accept(","));
  }
  return out;
}

Result<RawOperand> SyntaxParser::ParseSetValue() {
  DDB_ASSIGN_OR_RETURN(RawOperand left, ParseSetTerm());
  const Token& t = tokens_.Peek();
  if (!t.Is("+") && !t.Is("-")) return left;
  RawOperand out;
  out.kind = t.Is("+") ? RawOperand::Kind::kPlus : RawOperand::Kind::kMinus;
  out.text = t.text;
  tokens_.Next();
  DDB_ASSIGN_OR_RETURN(RawOperand right, ParseSetTerm());
  out.args.push_back(std::move(left));
  out.args.push_back(std::move(right));
  return out;
}

Result<RawOperand> SyntaxParser::ParseSetTerm() {
  if (tokens_.Accept("(")) {
    DDB_ASSIGN_OR_RETURN(RawOperand inner, ParseSetValue());
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    inner.parens++;
    return inner;
  }
  return ParseBareOperand();
}

Result<std::vector<std::vector<RawPathElement>>> SyntaxParser::ParseProjection() {
  std::vector<std::vector<RawPathElement>> out;
  do {
    DDB_ASSIGN_OR_RETURN(auto path, ParsePath());
    out.push_back(std::move(path));
  } while (tokens_.Accept(","));
  if (!tokens_.AtEnd()) return tokens_.SyntaxError();
  return out;
}

}  // namespace ddb::expr
