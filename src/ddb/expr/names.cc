// The top-level attribute names an expression reads: used to reject Query
// filters on key attributes, and by callers that must know which attributes
// an expression touches. The walk follows the tree, whose depth the parser
// bounds, and goes no deeper than kMaxTreeDepth.
#include "ddb/expr/ast.h"
#include "ddb/expr/limits.h"

namespace ddb::expr {
namespace {

void FromOperand(const Operand& op, std::set<std::string>* out, size_t depth) {
  if ((op.kind == Operand::Kind::kPath || op.kind == Operand::Kind::kIfNotExists) &&
      !op.path.empty() && !op.path[0].is_index) {
    out->insert(op.path[0].name);
  }
  if (depth + 1 >= kMaxTreeDepth) return;
  for (const auto& a : op.args) FromOperand(a, out, depth + 1);
}

void FromCondition(const ConditionNode& cond, std::set<std::string>* out, size_t depth) {
  if (depth + 1 >= kMaxTreeDepth) return;
  for (const auto& op : cond.operands) FromOperand(op, out, depth + 1);
  for (const auto& child : cond.children) FromCondition(*child, out, depth + 1);
}

}  // namespace

void CollectTopLevelNames(const ConditionNode& cond, std::set<std::string>* out) {
  FromCondition(cond, out, 0);
}

}  // namespace ddb::expr
