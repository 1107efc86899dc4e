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
//
// Conditions are parsed without recursion (ParseCondition keeps a stack of
// open parentheses) and without backtracking: "(a) = :v" and "(a = :v)" are
// told apart by what follows the ')'. Function calls and parenthesised SET
// values recurse, bounded by kMaxNestingDepth (limits.h).
#include <limits>
#include <string>

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

Status SyntaxParser::CountOperator() {
  if (++operators_ > kMaxOperators) {
    return tokens_.Invalid("The expression contains too many operators; operator count: " +
                           std::to_string(operators_));
  }
  return Status::Ok();
}

Result<RawCondition> SyntaxParser::ParseCondition() {
  // Iterative: every open '(' is a Group on this stack instead of a level of
  // recursion, so parentheses and NOTs cost no stack however deep they nest.
  std::vector<Group> groups(1);
  std::vector<RawCondition> acc;  // partial results of the open groups
  while (true) {
    // A primary: NOTs, then '(' or an operand.
    while (tokens_.AcceptKeyword("NOT")) {
      RETURN_IF_ERROR(CountOperator());
      groups.back().nots++;
    }
    if (tokens_.Accept("(")) {
      groups.emplace_back();
      continue;
    }
    ASSIGN_OR_RETURN(RawOperand first, ParseOperand(/*parens_ok=*/false));
    ASSIGN_OR_RETURN(RawCondition c,
                     AfterOperand(std::move(first), OperandOk(groups), tokens_.position()));
    // After a primary: AND or OR go on to the next one; ')' closes a group,
    // whose content is the primary of the group around it.
    while (true) {
      Attach(groups.back(), acc, std::move(c));
      if (tokens_.AcceptKeyword("AND")) {
        RETURN_IF_ERROR(CountOperator());
        break;
      }
      if (tokens_.AcceptKeyword("OR")) {
        RETURN_IF_ERROR(CountOperator());
        EndTerm(groups.back(), acc);
        break;
      }
      if (groups.size() == 1) {
        if (!tokens_.AtEnd()) return tokens_.SyntaxError();
        EndTerm(groups.back(), acc);
        return std::move(acc.back());
      }
      size_t close = tokens_.position();
      if (!tokens_.Accept(")")) return tokens_.SyntaxError();
      EndTerm(groups.back(), acc);
      groups.pop_back();
      RawCondition inner = std::move(acc.back());
      acc.pop_back();
      if (inner.kind != RawCondition::Kind::kOperand) {
        inner.parens++;
        c = std::move(inner);
        continue;
      }
      RawOperand operand = std::move(inner.operands[0]);
      operand.parens++;
      ASSIGN_OR_RETURN(c, AfterOperand(std::move(operand), OperandOk(groups), close));
    }
  }
}

bool SyntaxParser::OperandOk(const std::vector<Group>& groups) {
  const Group& g = groups.back();
  return groups.size() > 1 && !g.has_or && !g.has_and && g.nots == 0;
}

void SyntaxParser::Attach(Group& g, std::vector<RawCondition>& acc, RawCondition c) {
  for (; g.nots > 0; --g.nots) {
    RawCondition out;
    out.kind = RawCondition::Kind::kNot;
    out.children.push_back(std::move(c));
    c = std::move(out);
  }
  if (g.has_and) {
    acc.back() = Combine(RawCondition::Kind::kAnd, std::move(acc.back()), std::move(c));
  } else {
    acc.push_back(std::move(c));
    g.has_and = true;
  }
}

void SyntaxParser::EndTerm(Group& g, std::vector<RawCondition>& acc) {
  RawCondition term = std::move(acc.back());
  acc.pop_back();
  g.has_and = false;
  if (g.has_or) {
    acc.back() = Combine(RawCondition::Kind::kOr, std::move(acc.back()), std::move(term));
  } else {
    acc.push_back(std::move(term));
    g.has_or = true;
  }
}

Result<RawCondition> SyntaxParser::AfterOperand(RawOperand operand, bool operand_ok,
                                                size_t error_at) {
  if (IsComparisonStart(tokens_.Peek())) return ParseComparisonAfter(std::move(operand));
  RawCondition out;
  if (operand_ok && tokens_.Peek().Is(")")) {
    out.kind = RawCondition::Kind::kOperand;
    out.operands.push_back(std::move(operand));
    return out;
  }
  if (operand.kind == RawOperand::Kind::kFunction) {
    // A function call used as a condition: attribute_exists(a).
    out.kind = RawCondition::Kind::kFunction;
    out.function = operand.text;
    out.operands = std::move(operand.args);
    out.parens = operand.parens;
    return out;
  }
  // A lone operand: the error is at the token after it (for "(a) AND ...",
  // at the ')' that closed it).
  tokens_.Seek(error_at);
  return tokens_.SyntaxError();
}

Result<RawCondition> SyntaxParser::ParseComparisonAfter(RawOperand first) {
  RawCondition out;
  out.operands.push_back(std::move(first));
  const Token& t = tokens_.Peek();
  if (t.kind == Token::Kind::kPunct && IsComparisonStart(t)) {
    RETURN_IF_ERROR(CountOperator());
    out.kind = RawCondition::Kind::kCompare;
    out.op_text = t.text;
    if (t.Is("=")) out.op = CompareOp::kEq;
    if (t.Is("<>")) out.op = CompareOp::kNe;
    if (t.Is("<")) out.op = CompareOp::kLt;
    if (t.Is("<=")) out.op = CompareOp::kLe;
    if (t.Is(">")) out.op = CompareOp::kGt;
    if (t.Is(">=")) out.op = CompareOp::kGe;
    tokens_.Next();
    ASSIGN_OR_RETURN(RawOperand second, ParseOperand());
    out.operands.push_back(std::move(second));
    return out;
  }
  if (tokens_.AcceptKeyword("BETWEEN")) {
    RETURN_IF_ERROR(CountOperator());
    out.kind = RawCondition::Kind::kBetween;
    out.op_text = "BETWEEN";
    ASSIGN_OR_RETURN(RawOperand low, ParseOperand());
    if (!tokens_.AcceptKeyword("AND")) return tokens_.SyntaxError();
    ASSIGN_OR_RETURN(RawOperand high, ParseOperand());
    out.operands.push_back(std::move(low));
    out.operands.push_back(std::move(high));
    return out;
  }
  if (tokens_.AcceptKeyword("IN")) {
    RETURN_IF_ERROR(CountOperator());
    out.kind = RawCondition::Kind::kIn;
    out.op_text = "IN";
    if (!tokens_.Accept("(")) return tokens_.SyntaxError();
    do {
      ASSIGN_OR_RETURN(RawOperand item, ParseOperand());
      out.operands.push_back(std::move(item));
    } while (tokens_.Accept(","));
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    return out;
  }
  return tokens_.SyntaxError();
}

Result<RawOperand> SyntaxParser::ParseOperand(bool parens_ok) {
  // Parentheses around an operand are counted, not recursed into, so any
  // number of them costs no stack: "((a))" is then reported by the resolver
  // as redundant parentheses, as DynamoDB does.
  int parens = 0;
  while (parens_ok && tokens_.Accept("(")) ++parens;
  RawOperand out;
  const Token& t = tokens_.Peek();
  if (t.kind == Token::Kind::kValue) {
    out.kind = RawOperand::Kind::kValue;
    out.text = tokens_.Next().text;
  } else if (t.kind == Token::Kind::kIdent && tokens_.Peek(1).Is("(") && !IsKeywordHere(t)) {
    RETURN_IF_ERROR(ParseFunctionCall(out));
  } else {
    out.kind = RawOperand::Kind::kPath;
    ASSIGN_OR_RETURN(out.path, ParsePath());
  }
  for (int i = 0; i < parens; ++i) {
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
  }
  out.parens += parens;
  return out;
}

Status SyntaxParser::ParseFunctionCall(RawOperand& out) {
  out.kind = RawOperand::Kind::kFunction;
  out.text = tokens_.Peek().text;
  // Unknown functions are not counted: the resolver reports them ("Invalid
  // function name; function: f"), as DynamoDB does however deep they nest.
  if (IsConditionFunction(out.text) || IsUpdateFunction(out.text)) {
    RETURN_IF_ERROR(CountOperator());
  }
  DepthGuard level(depth_);
  if (!level.ok()) return tokens_.SyntaxError();
  tokens_.Next();  // the name
  tokens_.Next();  // '('
  do {
    ASSIGN_OR_RETURN(RawOperand arg, ParseOperand());
    out.args.push_back(std::move(arg));
  } while (tokens_.Accept(","));
  if (!tokens_.Accept(")")) return tokens_.SyntaxError();
  return Status::Ok();
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
      ASSIGN_OR_RETURN(action.path, ParsePath());
      if (kind == UpdateAction::Kind::kSet) {
        if (!tokens_.Accept("=")) return tokens_.SyntaxError();
        ASSIGN_OR_RETURN(action.value, ParseSetValue());
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
  ASSIGN_OR_RETURN(RawOperand left, ParseSetTerm());
  const Token& t = tokens_.Peek();
  if (!t.Is("+") && !t.Is("-")) return left;
  RETURN_IF_ERROR(CountOperator());
  RawOperand out;
  out.kind = t.Is("+") ? RawOperand::Kind::kPlus : RawOperand::Kind::kMinus;
  out.text = t.text;
  tokens_.Next();
  ASSIGN_OR_RETURN(RawOperand right, ParseSetTerm());
  out.args.push_back(std::move(left));
  out.args.push_back(std::move(right));
  return out;
}

Result<RawOperand> SyntaxParser::ParseSetTerm() {
  if (tokens_.Peek().Is("(")) {
    DepthGuard level(depth_);
    if (!level.ok()) return tokens_.SyntaxError();
    tokens_.Next();
    ASSIGN_OR_RETURN(RawOperand inner, ParseSetValue());
    if (!tokens_.Accept(")")) return tokens_.SyntaxError();
    inner.parens++;
    return inner;
  }
  return ParseOperand(/*parens_ok=*/false);
}

Result<std::vector<std::vector<RawPathElement>>> SyntaxParser::ParseProjection() {
  std::vector<std::vector<RawPathElement>> out;
  do {
    ASSIGN_OR_RETURN(auto path, ParsePath());
    out.push_back(std::move(path));
  } while (tokens_.Accept(","));
  if (!tokens_.AtEnd()) return tokens_.SyntaxError();
  return out;
}

}  // namespace ddb::expr
