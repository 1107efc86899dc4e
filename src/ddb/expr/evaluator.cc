// The condition evaluator. It runs once per item in Scan and Query filters,
// so it works on pointers into the item and allocates nothing (size() writes
// its result into a caller's scratch value whose short text stays inline).
// Its recursion follows the condition tree, whose depth the parser bounds;
// it still stops at kMaxTreeDepth (the branch then evaluates as false).
#include <algorithm>
#include <string>

#include "ddb/expr/ast.h"
#include "ddb/expr/limits.h"

namespace ddb::expr {

namespace {

// UTF-16 code units of UTF-8 text: DynamoDB's size() of a string.
int64_t Utf16Length(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

bool Compare(CompareOp op, const AttributeValue* a, const AttributeValue* b) {
  if (op == CompareOp::kEq) return a != nullptr && b != nullptr && *a == *b;
  if (op == CompareOp::kNe) return !(a != nullptr && b != nullptr && *a == *b);
  if (a == nullptr || b == nullptr || a->type != b->type || !a->is_scalar_key_type()) {
    return false;
  }
  int c = CompareScalar(*a, *b);
  switch (op) {
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGe:
      return c >= 0;
    default:
      return false;
  }
}

bool BeginsWith(const AttributeValue* a, const AttributeValue* b) {
  if (a == nullptr || b == nullptr || a->type != b->type) return false;
  if (a->type != AttrType::kS && a->type != AttrType::kB) return false;
  return a->scalar.compare(0, b->scalar.size(), b->scalar) == 0 &&
         a->scalar.size() >= b->scalar.size();
}

bool Contains(const AttributeValue* a, const AttributeValue* b) {
  if (a == nullptr || b == nullptr) return false;
  switch (a->type) {
    case AttrType::kS:
    case AttrType::kB:
      return b->type == a->type && a->scalar.find(b->scalar) != std::string::npos;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS: {
      AttrType member = a->type == AttrType::kSS   ? AttrType::kS
                        : a->type == AttrType::kNS ? AttrType::kN
                                                   : AttrType::kB;
      if (b->type != member) return false;
      return std::find(a->set.begin(), a->set.end(), b->scalar) != a->set.end();
    }
    case AttrType::kL:
      return std::any_of(a->list.begin(), a->list.end(),
                         [b](const AttributeValue& e) { return e == *b; });
    default:
      return false;
  }
}

}  // namespace

int64_t ValueSize(const AttributeValue& v) {
  switch (v.type) {
    case AttrType::kS:
      return Utf16Length(v.scalar);
    case AttrType::kB:
      return static_cast<int64_t>(v.scalar.size());
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS:
      return static_cast<int64_t>(v.set.size());
    case AttrType::kL:
      return static_cast<int64_t>(v.list.size());
    case AttrType::kM:
      return static_cast<int64_t>(v.map.size());
    default:
      return -1;
  }
}

namespace {

const AttributeValue* OperandAt(const Operand& op, const Item& item, AttributeValue& scratch,
                                size_t depth) {
  switch (op.kind) {
    case Operand::Kind::kPath:
      return ResolvePath(item, op.path);
    case Operand::Kind::kValue:
      return &op.value;
    case Operand::Kind::kSize: {
      if (depth + 1 >= kMaxTreeDepth) return nullptr;
      AttributeValue inner_scratch;
      const AttributeValue* v = OperandAt(op.args[0], item, inner_scratch, depth + 1);
      if (v == nullptr) return nullptr;
      int64_t n = ValueSize(*v);
      if (n < 0) return nullptr;
      scratch.type = AttrType::kN;
      scratch.scalar = std::to_string(n);
      return &scratch;
    }
    default:
      return nullptr;  // update-only operands never reach conditions
  }
}

}  // namespace

const AttributeValue* EvaluateOperand(const Operand& op, const Item& item,
                                      AttributeValue& scratch) {
  return OperandAt(op, item, scratch, 0);
}

namespace {

bool EvaluateAt(const ConditionNode& cond, const Item& item, size_t depth) {
  using K = ConditionNode::Kind;
  if (depth >= kMaxTreeDepth) return false;  // unreachable for parsed trees
  AttributeValue s0, s1, s2;
  auto operand = [&](size_t i, AttributeValue& scratch) {
    return OperandAt(cond.operands[i], item, scratch, depth + 1);
  };
  switch (cond.kind) {
    case K::kTrue:
      return true;
    case K::kAnd:
      for (const auto& c : cond.children) {
        if (!EvaluateAt(*c, item, depth + 1)) return false;
      }
      return true;
    case K::kOr:
      for (const auto& c : cond.children) {
        if (EvaluateAt(*c, item, depth + 1)) return true;
      }
      return false;
    case K::kNot:
      return !EvaluateAt(*cond.children[0], item, depth + 1);
    case K::kCompare:
      return Compare(cond.op, operand(0, s0), operand(1, s1));
    case K::kBetween: {
      const AttributeValue* v = operand(0, s0);
      const AttributeValue* lo = operand(1, s1);
      const AttributeValue* hi = operand(2, s2);
      return Compare(CompareOp::kGe, v, lo) && Compare(CompareOp::kLe, v, hi);
    }
    case K::kIn: {
      const AttributeValue* v = operand(0, s0);
      if (v == nullptr) return false;
      for (size_t i = 1; i < cond.operands.size(); ++i) {
        const AttributeValue* c = operand(i, s1);
        if (c != nullptr && *v == *c) return true;
      }
      return false;
    }
    case K::kExists:
      return operand(0, s0) != nullptr;
    case K::kNotExists:
      return operand(0, s0) == nullptr;
    case K::kType: {
      const AttributeValue* v = operand(0, s0);
      return v != nullptr && v->type == cond.type;
    }
    case K::kBeginsWith:
      return BeginsWith(operand(0, s0), operand(1, s1));
    case K::kContains:
      return Contains(operand(0, s0), operand(1, s1));
    case K::kNotContains: {
      const AttributeValue* a = operand(0, s0);
      if (a == nullptr) return false;
      return !Contains(a, operand(1, s1));
    }
  }
  return false;
}

}  // namespace

bool Evaluate(const ConditionNode& cond, const Item& item) { return EvaluateAt(cond, item, 0); }

}  // namespace ddb::expr
