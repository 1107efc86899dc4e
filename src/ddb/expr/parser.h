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

namespace ddb::expr {

// DynamoDB's limits on expressions.
inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr size_t kMaxPathDepth = 32;
inline constexpr size_t kMaxInOperands = 100;

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
  enum class Kind : uint8_t { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction };
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
  Result<RawCondition> ParseOr();
  Result<RawCondition> ParseAnd();
  Result<RawCondition> ParseNot();
  Result<RawCondition> ParsePrimary();
  Result<RawCondition> ParseComparisonAfter(RawOperand first);
  Result<RawOperand> ParseOperand();  // with its parentheses
  Result<RawOperand> ParseBareOperand();
  Result<RawOperand> ParseFunctionCall();
  Result<std::vector<RawPathElement>> ParsePath();
  Result<RawOperand> ParseSetValue();
  Result<RawOperand> ParseSetTerm();
  bool IsComparisonStart(const Token& t) const;
  bool IsKeywordHere(const Token& t) const;

  TokenStream tokens_;
  bool update_mode_ = false;
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

  std::string_view which_;
  ExpressionContext& ctx_;
  Mode mode_;
  std::array<std::optional<std::string>, kSlotCount> errors_;
};

// The short type name of an operand for messages ("N" for size()), or "" for
// paths and unknowns.
std::string_view OperandTypeName(const Operand& op);

// Checks the size of an expression and that it is not empty.
Status CheckExpressionText(std::string_view text, std::string_view which);

}  // namespace ddb::expr
