// The AST shared by the expression parsers, the legacy-parameter translators,
// the condition evaluator and the update applier. Placeholders are already
// resolved: paths hold real names, value operands hold their AttributeValue.
// Internal to the expressions layer; other layers use expression.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/expr/expression.h"

namespace ddb::expr {

// An operand: a document path, a literal value, or a function of operands.
// Conditions use kPath, kValue and kSize; update values (SET's right-hand
// side) also use kIfNotExists, kListAppend, kPlus and kMinus.
struct Operand {
  enum class Kind : uint8_t {
    kPath,
    kValue,
    kSize,         // size(args[0])
    kIfNotExists,  // if_not_exists(path, args[0])
    kListAppend,   // list_append(args[0], args[1])
    kPlus,         // args[0] + args[1]
    kMinus,        // args[0] - args[1]
  };
  Kind kind = Kind::kValue;
  Path path;             // kPath, kIfNotExists
  AttributeValue value;  // kValue
  std::vector<Operand> args;
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct ConditionNode {
  enum class Kind : uint8_t {
    kCompare,      // operands[0] op operands[1]
    kBetween,      // operands[0] BETWEEN operands[1] AND operands[2]
    kIn,           // operands[0] IN (operands[1..])
    kAnd,          // children[0] AND children[1] ...
    kOr,           // children[0] OR children[1] ...
    kNot,          // NOT children[0]
    kExists,       // attribute_exists(operands[0])
    kNotExists,    // attribute_not_exists(operands[0])
    kType,         // attribute_type(operands[0], type)
    kBeginsWith,   // begins_with(operands[0], operands[1])
    kContains,     // contains(operands[0], operands[1])
    kNotContains,  // legacy NOT_CONTAINS: false when operands[0] is missing
    kTrue,         // an empty legacy condition
  };
  Kind kind = Kind::kTrue;
  CompareOp op = CompareOp::kEq;
  AttrType type = AttrType::kS;  // kType
  std::vector<Operand> operands;
  std::vector<std::unique_ptr<ConditionNode>> children;
};

struct UpdateAction {
  enum class Kind : uint8_t { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Operand value;  // kSet: the new value; kAdd / kDelete: a kValue operand
  // Legacy AttributeUpdates word their runtime type errors differently.
  bool legacy = false;
};

struct UpdatePlan {
  std::vector<UpdateAction> actions;  // in expression order
  std::vector<Path> updated_paths;    // the target of each action
};

// ---- Helpers shared inside the layer --------------------------------------

// True when `word` is one of DynamoDB's reserved words (case-insensitive).
bool IsReservedWord(std::string_view word);

// "[a, b, [2]]": how DynamoDB prints document paths in validation messages.
std::string PathToMessageString(const Path& p);

// "Invalid <which>: <message>" as a ValidationException.
Error InvalidExpression(std::string_view which, std::string_view message);

// Mutable lookup used by the update applier; null when missing.
AttributeValue* ResolvePathMutable(Item& item, const Path& path);

// True when a and b are equal document paths.
bool SamePath(const Path& a, const Path& b);

// Shared validation of document paths collected by the update and projection
// parsers: DynamoDB's "Two document paths overlap / conflict" errors. Returns
// the error message (without the "Invalid X: " prefix) or an empty string.
std::string CheckPathsDisjoint(const std::vector<Path>& paths);

// Evaluates one condition operand against an item. Returns null when the
// operand has no value (missing path, size() of a type without a size).
// `scratch` holds computed values (size()).
const AttributeValue* EvaluateOperand(const Operand& op, const Item& item, AttributeValue& scratch);

// size() of a value, or -1 when the type has no size.
int64_t ValueSize(const AttributeValue& v);

}  // namespace ddb::expr
