// The top-level attribute names an expression reads: used to reject Query
// filters on key attributes, and by callers that must know which attributes
// an expression touches.
#include "ddb/expr/ast.h"

namespace ddb::expr {
namespace {

void FromOperand(const Operand& op, std::set<std::string>* out) {
  if ((op.kind == Operand::Kind::kPath || op.kind == Operand::Kind::kIfNotExists) &&
      !op.path.empty() && !op.path[0].is_index) {
    out->insert(op.path[0].name);
  }
  for (const auto& a : op.args) FromOperand(a, out);
}

}  // namespace

void CollectTopLevelNames(const ConditionNode& cond, std::set<std::string>* out) {
  for (const auto& op : cond.operands) FromOperand(op, out);
  for (const auto& child : cond.children) CollectTopLevelNames(*child, out);
}

}  // namespace ddb::expr
