// DynamoDB's limits on expressions, and the nesting bound that keeps every
// recursive walk of the expressions layer (parser, resolver, evaluator,
// update values, projections) within a fixed stack depth whatever the input.
// Internal to the expressions layer.
#pragma once

#include <cstddef>

namespace ddb::expr {

// "The maximum length of any expression string is 4 KB" (Developer Guide,
// Constraints, Expression parameters).
inline constexpr size_t kMaxExpressionBytes = 4096;

// A document path has at most 32 levels ("The document path has too many
// nesting levels; nesting levels: 33").
inline constexpr size_t kMaxPathDepth = 32;

// "The maximum number of operands for the IN comparator is 100".
inline constexpr size_t kMaxInOperands = 100;

// "The maximum number of operators or functions allowed in a single
// expression is 300" (Constraints, Expression parameters). Counted: the
// comparators = <> < <= > >=, BETWEEN, IN, AND, OR, NOT, the + and - of SET
// values and every call of a known function. Not counted: parentheses, the
// '=' of a SET action, commas, and calls of unknown functions (those are
// reported as "Invalid function name", as DynamoDB does even for deeply
// nested unknown calls). DynamoDB stops at the first operator over the limit:
// "Invalid <which>: The expression contains too many operators; operator
// count: 301".
inline constexpr size_t kMaxOperators = 300;

// How deeply the syntax pass may recurse: one level per function call and
// per parenthesised SET value (parenthesised conditions, NOTs and
// parentheses around operands are parsed iteratively and cost no stack).
// This is our bound, not one DynamoDB documents; it is well above anything
// valid: each level of a valid expression costs a counted function or a '+'
// or '-' (a second pair of parentheses around the same thing is redundant),
// so the 300-operator limit keeps valid nesting near 300 levels. Deeper input
// is rejected with a syntax error at the token that would open level 513,
// before the parser recurses into it.
inline constexpr size_t kMaxNestingDepth = 512;

// The deepest tree the syntax pass can build: a chain of condition nodes
// (each costs an operator, plus an unknown function at the root), then
// kMaxNestingDepth levels of operands, then a leaf. The later walks
// (resolver, evaluator, update values, key conditions) stop there as a guard,
// although a tree from the parser never reaches it.
inline constexpr size_t kMaxTreeDepth = kMaxOperators + kMaxNestingDepth + 2;

// One level of a recursive walk, held for the lifetime of the call. The
// caller checks ok() before recursing any further:
//   DepthGuard level(depth_);
//   if (!level.ok()) return <the error>;
class DepthGuard {
 public:
  explicit DepthGuard(size_t& depth, size_t max = kMaxNestingDepth)
      : depth_(depth), ok_(depth < max) {
    ++depth_;
  }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool ok() const { return ok_; }

 private:
  size_t& depth_;
  bool ok_;
};

}  // namespace ddb::expr
