// The expression parser, in two passes. The syntax pass (syntax.cc) turns
// tokens into a raw tree that still holds placeholders and unchecked names;
// a syntax error stops it at once. The semantic pass (Resolver, resolver.cc)
// resolves placeholders, checks reserved words, functions, operand types and
// limits, and builds the AST of ast.h. Like DynamoDB, it reports the most
// important of the errors it found rather than simply the first one.
// Internal to the expressions layer.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/expr/ast.h"
#include "ddb/expr/lexer.h"
#include "ddb/expr/limits.h"

namespace ddb::expr {

struct RawPathElement {
  std::string_view text;  // identifier or #placeholder (when !is_index)
  int64_t index = 0;      // when is_index
  bool is_index = false;
};

struct RawOperand {
  enum class Kind : uint8_t { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kPath;
  std::vector<RawPathElement> path;  // kPath
  std::string_view text;             // kValue: ":v"; kFunction: the name
  std::vector<RawOperand> args;      // kFunction, kPlus, kMinus
  int parens = 0;                    // parentheses directly around it
};

struct RawCondition {
  // kOperand: inside the syntax pass only, a lone operand directly inside
  // parentheses, "(a)", waiting to learn whether a comparison follows the
  // closing parenthesis ("(a) = :v"); operands[0] holds it.
  enum class Kind : uint8_t { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction, kOperand };
  Kind kind = Kind::kCompare;
  CompareOp op = CompareOp::kEq;
  std::string_view op_text;            // "=", "<", ... for messages
  std::string_view function;           // kFunction
  std::vector<RawOperand> operands;    // kCompare, kBetween, kIn, kFunction args
  std::vector<RawCondition> children;  // kAnd, kOr, kNot
  int parens = 0;
};

struct RawUpdateAction {
  UpdateAction::Kind kind = UpdateAction::Kind::kSet;
  std::vector<RawPathElement> path;
  RawOperand value;  // kSet: the value; kAdd / kDelete: a kValue operand
};

struct RawUpdate {
  std::vector<RawUpdateAction> actions;
  std::string duplicate_section;  // the first clause keyword seen twice
};

// ---- Syntax pass (syntax.cc) ------------------------------------------------

// A parser without backtracking: linear in the input. Conditions are parsed
// with an explicit stack of open parentheses; only function calls and
// parenthesised SET values recurse, at most kMaxNestingDepth levels deep.
// Operators are counted against kMaxOperators. Either limit fails at once
// (limits.h).
class SyntaxParser {
 public:
  SyntaxParser(std::string_view text, std::string_view which) : tokens_(text, which) {}

  // Whole-expression entry points: they require the end of input after the
  // construct.
  Result<RawCondition> ParseCondition();
  Result<RawUpdate> ParseUpdate();
  Result<std::vector<std::vector<RawPathElement>>> ParseProjection();

  const TokenStream& tokens() const { return tokens_; }

 private:
  // One open '(' of a condition (the bottom one: the whole condition) while
  // ParseCondition works through it: OR ( AND ( NOT* primary ) ). Its
  // partial results are on the parser's stack `acc`: the terms OR-ed so far
  // (when has_or), then the current term's factors (when has_and). Small, so
  // that thousands of open parentheses cost little memory.
  struct Group {
    uint32_t nots = 0;  // NOTs before the next primary
    bool has_or = false;
    bool has_and = false;
  };
  // True where a lone operand may stand: first thing inside parentheses,
  // "(a) = :v".
  static bool OperandOk(const std::vector<Group>& groups);
  // Adds a primary (under the group's pending NOTs) to the current term.
  static void Attach(Group& g, std::vector<RawCondition>& acc, RawCondition c);
  // Adds the current term to the OR-ed terms.
  static void EndTerm(Group& g, std::vector<RawCondition>& acc);
  // What follows an operand in condition position: a comparison, ')' (when
  // operand_ok: a RawCondition::kOperand), or nothing for a function call
  // used as a condition. Other tokens are a syntax error at token index
  // `error_at`.
  Result<RawCondition> AfterOperand(RawOperand operand, bool operand_ok, size_t error_at);
  Result<RawCondition> ParseComparisonAfter(RawOperand first);
  // :value, function call or path, with any parentheses around it when
  // parens_ok.
  Result<RawOperand> ParseOperand(bool parens_ok = true);
  // The next tokens are name '(': recurses (one level) into the arguments.
  Status ParseFunctionCall(RawOperand& out);
  Result<std::vector<RawPathElement>> ParsePath();
  Result<RawOperand> ParseSetValue();
  Result<RawOperand> ParseSetTerm();
  bool IsComparisonStart(const Token& t) const;
  bool IsKeywordHere(const Token& t) const;

  // Counts one operator or function; the "too many operators" error on the
  // 301st.
  Status CountOperator();

  TokenStream tokens_;
  bool update_mode_ = false;
  size_t depth_ = 0;      // current recursion depth (DepthGuard)
  size_t operators_ = 0;  // operators and functions seen so far
};

// ---- Semantic pass (resolver.cc) -------------------------------------------

class Resolver {
 public:
  // The kinds of deferred error, in DynamoDB's order of precedence for
  // condition expressions.
  enum Slot : uint8_t {
    kParens,
    kUnknownFunction,
    kMisusedFunction,
    kReserved,
    kSection,
    kDepth,
    kName,
    kValue,
    kOverlap,
    kOperandType,  // ADD / DELETE operand types
    kOperandCount,
    kDistinct,
    kFunction,
    kSlotCount,
  };
  enum class Mode : uint8_t { kCondition, kUpdate, kProjection };

  Resolver(std::string_view which, ExpressionContext& ctx, Mode mode)
      : which_(which), ctx_(ctx), mode_(mode) {}

  // Each of these recurses once per node of the raw tree, and records an
  // error instead of descending past kMaxTreeDepth.
  std::unique_ptr<ConditionNode> Condition(const RawCondition& raw);
  Operand ConditionOperand(const RawOperand& raw);
  Operand UpdateValue(const RawOperand& raw);
  Path ResolvePath(const std::vector<RawPathElement>& raw);
  std::optional<AttributeValue> ResolveValue(std::string_view placeholder);

  void Record(Slot slot, std::string message);
  // The highest-precedence recorded error, if any.
  std::optional<Error> Finish() const;

 private:
  void CheckDistinct(std::string_view op, const std::vector<Operand>& operands);
  void CheckFunctionArity(std::string_view name, size_t got, size_t want);
  void CheckComparable(std::string_view op, const std::vector<Operand>& operands);
  // Checks a function used as an operand and returns its operand.
  Operand FunctionOperand(const RawOperand& raw, bool update);

  // Checks a DepthGuard of depth_ (limit kMaxTreeDepth): false, with an
  // error recorded, past the limit.
  bool Entered(const DepthGuard& level);

  std::string_view which_;
  ExpressionContext& ctx_;
  Mode mode_;
  size_t depth_ = 0;
  std::array<std::optional<std::string>, kSlotCount> errors_;
};

// The functions of condition expressions (attribute_exists, ..., size) and
// of SET values (if_not_exists, list_append).
bool IsConditionFunction(std::string_view name);
bool IsUpdateFunction(std::string_view name);

// The short type name of an operand for messages ("N" for size()), or "" for
// paths and unknowns.
std::string_view OperandTypeName(const Operand& op);

// Checks the size of an expression and that it is not empty.
Status CheckExpressionText(std::string_view text, std::string_view which);

}  // namespace ddb::expr
