// The semantic pass: raw trees -> AST, with DynamoDB's validation messages.
#include <string>

#include "ddb/expr/parser.h"
#include "ddb/model/attribute_value.h"

namespace ddb::expr {

namespace {

constexpr std::string_view kRedundantParens = "The expression has redundant parentheses;";

std::string OperandTypeError(std::string_view fn, std::string_view type) {
  return "Incorrect operand type for operator or function; operator or function: " +
         std::string(fn) + ", operand type: " + std::string(type);
}

std::string BoundText(const AttributeValue& v) {
  std::string out = "AttributeValue: {";
  out += AttrTypeName(v.type);
  out += ":";
  out += v.scalar;
  return out + "}";
}

}  // namespace

bool IsConditionFunction(std::string_view name) {
  return name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type" ||
         name == "begins_with" || name == "contains" || name == "size";
}

bool IsUpdateFunction(std::string_view name) {
  return name == "if_not_exists" || name == "list_append";
}

std::string_view OperandTypeName(const Operand& op) {
  if (op.kind == Operand::Kind::kValue) return AttrTypeName(op.value.type);
  if (op.kind == Operand::Kind::kSize || op.kind == Operand::Kind::kPlus ||
      op.kind == Operand::Kind::kMinus) {
    return "N";
  }
  if (op.kind == Operand::Kind::kListAppend) return "L";
  return "";
}

Status CheckExpressionText(std::string_view text, std::string_view which) {
  if (text.empty()) return InvalidExpression(which, "The expression can not be empty;");
  if (text.size() > kMaxExpressionBytes) {
    return InvalidExpression(
        which, "Expression size has exceeded the maximum allowed size; expression size: " +
                   std::to_string(text.size()));
  }
  return Status::Ok();
}

void Resolver::Record(Slot slot, std::string message) {
  if (!errors_[slot]) errors_[slot] = std::move(message);
}

std::optional<Error> Resolver::Finish() const {
  static constexpr Slot kConditionOrder[] = {
      kParens,       kUnknownFunction, kMisusedFunction, kReserved, kDepth,   kName,       kValue,
      kOperandCount, kDistinct,        kFunction,        kSection,  kOverlap, kOperandType};
  static constexpr Slot kUpdateOrder[] = {
      kReserved, kUnknownFunction, kMisusedFunction, kSection,  kDepth,    kName,  kValue,
      kOverlap,  kOperandType,     kOperandCount,    kDistinct, kFunction, kParens};
  const Slot* order = mode_ == Mode::kCondition ? kConditionOrder : kUpdateOrder;
  for (size_t i = 0; i < kSlotCount; ++i) {
    if (errors_[order[i]]) return InvalidExpression(which_, *errors_[order[i]]);
  }
  return std::nullopt;
}

bool Resolver::Entered(const DepthGuard& level) {
  if (level.ok()) return true;
  // Unreachable for trees of the syntax pass, which stops nesting earlier
  // with a syntax error; worded like DynamoDB's document-path depth error.
  Record(kDepth,
         "The expression has too many nesting levels; nesting levels: " + std::to_string(depth_));
  return false;
}

Path Resolver::ResolvePath(const std::vector<RawPathElement>& raw) {
  if (raw.size() > kMaxPathDepth) {
    Record(kDepth, "The document path has too many nesting levels; nesting levels: " +
                       std::to_string(raw.size()));
  }
  Path out;
  out.reserve(raw.size());
  for (const RawPathElement& e : raw) {
    PathElement pe;
    if (e.is_index) {
      pe.is_index = true;
      pe.index = static_cast<int>(e.index);
    } else if (!e.text.empty() && e.text[0] == '#') {
      std::string key(e.text);
      ctx_.used_names.insert(key);
      auto it = ctx_.names ? ctx_.names->find(key) : decltype(ctx_.names->end()){};
      if (ctx_.names == nullptr || it == ctx_.names->end()) {
        Record(kName,
               "An expression attribute name used in the document path is not defined; "
               "attribute name: " +
                   key);
      } else {
        pe.name = it->second;
      }
    } else {
      if (IsReservedWord(e.text)) {
        Record(kReserved,
               "Attribute name is a reserved keyword; reserved keyword: " + std::string(e.text));
      }
      pe.name = std::string(e.text);
    }
    out.push_back(std::move(pe));
  }
  return out;
}

std::optional<AttributeValue> Resolver::ResolveValue(std::string_view placeholder) {
  std::string key(placeholder);
  ctx_.used_values.insert(key);
  if (ctx_.values != nullptr) {
    auto it = ctx_.values->find(key);
    if (it != ctx_.values->end()) return it->second;
  }
  Record(
      kValue,
      "An expression attribute value used in expression is not defined; attribute value: " + key);
  return std::nullopt;
}

void Resolver::CheckFunctionArity(std::string_view name, size_t got, size_t want) {
  if (got != want) {
    Record(kOperandCount,
           "Incorrect number of operands for operator or function; operator or function: " +
               std::string(name) + ", number of operands: " + std::to_string(got));
  }
}

void Resolver::CheckDistinct(std::string_view op, const std::vector<Operand>& operands) {
  if (operands.size() < 2 || operands[0].kind != Operand::Kind::kPath) return;
  for (size_t i = 1; i < operands.size(); ++i) {
    if (operands[i].kind == Operand::Kind::kPath && SamePath(operands[0].path, operands[i].path)) {
      Record(kDistinct,
             "The first operand must be distinct from the remaining operands for this operator "
             "or function; operator: " +
                 std::string(op) + ", first operand: " + PathToMessageString(operands[0].path));
      return;
    }
  }
}

void Resolver::CheckComparable(std::string_view op, const std::vector<Operand>& operands) {
  for (const Operand& o : operands) {
    std::string_view type = OperandTypeName(o);
    if (!type.empty() && type != "S" && type != "N" && type != "B") {
      Record(kFunction, OperandTypeError(op, type));
      return;
    }
  }
}

Operand Resolver::ConditionOperand(const RawOperand& raw) {
  if (raw.parens >= 2) Record(kParens, std::string(kRedundantParens));
  Operand out;
  DepthGuard level(depth_, kMaxTreeDepth);
  if (!Entered(level)) return out;
  switch (raw.kind) {
    case RawOperand::Kind::kPath:
      out.kind = Operand::Kind::kPath;
      out.path = ResolvePath(raw.path);
      return out;
    case RawOperand::Kind::kValue:
      out.kind = Operand::Kind::kValue;
      if (auto v = ResolveValue(raw.text)) out.value = std::move(*v);
      return out;
    default:
      return FunctionOperand(raw, /*update=*/false);
  }
}

Operand Resolver::UpdateValue(const RawOperand& raw) {
  Operand out;
  DepthGuard level(depth_, kMaxTreeDepth);
  if (!Entered(level)) return out;
  switch (raw.kind) {
    case RawOperand::Kind::kPath:
      out.kind = Operand::Kind::kPath;
      out.path = ResolvePath(raw.path);
      return out;
    case RawOperand::Kind::kValue:
      out.kind = Operand::Kind::kValue;
      if (auto v = ResolveValue(raw.text)) out.value = std::move(*v);
      return out;
    case RawOperand::Kind::kPlus:
    case RawOperand::Kind::kMinus: {
      out.kind = raw.kind == RawOperand::Kind::kPlus ? Operand::Kind::kPlus : Operand::Kind::kMinus;
      for (const RawOperand& a : raw.args) out.args.push_back(UpdateValue(a));
      for (const Operand& a : out.args) {
        if (a.kind == Operand::Kind::kValue && a.value.type != AttrType::kN) {
          Record(kFunction, OperandTypeError(raw.text, AttrTypeName(a.value.type)));
        }
      }
      return out;
    }
    default:
      return FunctionOperand(raw, /*update=*/true);
  }
}

Operand Resolver::FunctionOperand(const RawOperand& raw, bool update) {
  std::string_view name = raw.text;
  std::vector<Operand> args;
  for (const RawOperand& a : raw.args) {
    args.push_back(update ? UpdateValue(a) : ConditionOperand(a));
  }
  Operand out;
  out.kind = Operand::Kind::kValue;  // placeholder when the call is invalid
  if (!IsConditionFunction(name) && !IsUpdateFunction(name)) {
    Record(kUnknownFunction, "Invalid function name; function: " + std::string(name));
    return out;
  }
  if (!update) {
    if (IsUpdateFunction(name)) {
      Record(kMisusedFunction, "The function is not allowed in a condition expression; function: " +
                                   std::string(name));
      return out;
    }
    if (name != "size") {
      Record(kMisusedFunction,
             "The function is not allowed to be used this way in an expression; function: " +
                 std::string(name));
      return out;
    }
    CheckFunctionArity(name, args.size(), 1);
    if (args.size() != 1) return out;
    std::string_view type = OperandTypeName(args[0]);
    if (type == "N" || type == "BOOL" || type == "NULL") {
      Record(kFunction, OperandTypeError(name, type));
    }
    out.kind = Operand::Kind::kSize;
    out.args = std::move(args);
    return out;
  }
  if (IsConditionFunction(name)) {
    Record(kMisusedFunction,
           "The function is not allowed in an update expression; function: " + std::string(name));
    return out;
  }
  CheckFunctionArity(name, args.size(), 2);
  if (args.size() != 2) return out;
  if (name == "if_not_exists") {
    if (args[0].kind != Operand::Kind::kPath) {
      Record(kFunction,
             "Operator or function requires a document path; operator or function: "
             "if_not_exists");
      return out;
    }
    out.kind = Operand::Kind::kIfNotExists;
    out.path = std::move(args[0].path);
    out.args.push_back(std::move(args[1]));
    return out;
  }
  for (const Operand& a : args) {
    std::string_view type = OperandTypeName(a);
    if (!type.empty() && type != "L") Record(kFunction, OperandTypeError(name, type));
  }
  out.kind = Operand::Kind::kListAppend;
  out.args = std::move(args);
  return out;
}

std::unique_ptr<ConditionNode> Resolver::Condition(const RawCondition& raw) {
  if (raw.parens >= 2) Record(kParens, std::string(kRedundantParens));
  auto node = std::make_unique<ConditionNode>();
  DepthGuard level(depth_, kMaxTreeDepth);
  if (!Entered(level)) return node;
  using K = RawCondition::Kind;
  switch (raw.kind) {
    case K::kOperand:  // never leaves the syntax pass
      return node;
    case K::kAnd:
    case K::kOr:
    case K::kNot:
      node->kind = raw.kind == K::kAnd  ? ConditionNode::Kind::kAnd
                   : raw.kind == K::kOr ? ConditionNode::Kind::kOr
                                        : ConditionNode::Kind::kNot;
      for (const RawCondition& c : raw.children) node->children.push_back(Condition(c));
      return node;
    case K::kCompare:
    case K::kBetween:
    case K::kIn: {
      for (const RawOperand& o : raw.operands) node->operands.push_back(ConditionOperand(o));
      node->op = raw.op;
      node->kind = raw.kind == K::kCompare   ? ConditionNode::Kind::kCompare
                   : raw.kind == K::kBetween ? ConditionNode::Kind::kBetween
                                             : ConditionNode::Kind::kIn;
      if (raw.kind == K::kIn && node->operands.size() - 1 > kMaxInOperands) {
        Record(kFunction,
               "The IN operator is provided with too many operands; number of operands: " +
                   std::to_string(node->operands.size() - 1));
      }
      CheckDistinct(raw.op_text, node->operands);
      bool ordered =
          raw.kind == K::kBetween ||
          (raw.kind == K::kCompare && raw.op != CompareOp::kEq && raw.op != CompareOp::kNe);
      if (ordered) CheckComparable(raw.op_text, node->operands);
      if (raw.kind == K::kBetween && node->operands[1].kind == Operand::Kind::kValue &&
          node->operands[2].kind == Operand::Kind::kValue) {
        const AttributeValue& lo = node->operands[1].value;
        const AttributeValue& hi = node->operands[2].value;
        std::string bounds =
            "lower bound operand: " + BoundText(lo) + ", upper bound operand: " + BoundText(hi);
        if (lo.type != hi.type) {
          Record(
              kFunction,
              "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
        } else if (lo.is_scalar_key_type() && CompareScalar(lo, hi) > 0) {
          Record(kFunction,
                 "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                 "bound; " +
                     bounds);
        }
      }
      return node;
    }
    case K::kFunction:
      break;
  }
  std::string name(raw.function);
  for (const RawOperand& o : raw.operands) node->operands.push_back(ConditionOperand(o));
  auto& args = node->operands;
  if (!IsConditionFunction(name) && !IsUpdateFunction(name)) {
    Record(kUnknownFunction, "Invalid function name; function: " + name);
    return node;
  }
  if (IsUpdateFunction(name)) {
    Record(kMisusedFunction,
           "The function is not allowed in a condition expression; function: " + name);
    return node;
  }
  if (name == "size") {
    Record(kMisusedFunction,
           "The function is not allowed to be used this way in an expression; function: size");
    return node;
  }
  if (name == "attribute_exists" || name == "attribute_not_exists") {
    node->kind =
        name == "attribute_exists" ? ConditionNode::Kind::kExists : ConditionNode::Kind::kNotExists;
    CheckFunctionArity(name, args.size(), 1);
    if (args.size() == 1 && args[0].kind != Operand::Kind::kPath) {
      Record(kFunction,
             "Operator or function requires a document path; operator or function: " + name);
    }
    return node;
  }
  CheckFunctionArity(name, args.size(), 2);
  if (args.size() != 2) return node;
  CheckDistinct(name, args);
  if (name == "attribute_type") {
    node->kind = ConditionNode::Kind::kType;
    std::string_view type = OperandTypeName(args[1]);
    if (type != "S") {
      Record(kFunction,
             OperandTypeError(name, type.empty() ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type));
    } else if (!ParseAttrTypeName(args[1].value.scalar, &node->type)) {
      Record(kFunction, "Invalid attribute type name found; type: " + args[1].value.scalar +
                            ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    }
    return node;
  }
  if (name == "begins_with") {
    node->kind = ConditionNode::Kind::kBeginsWith;
    for (const Operand& a : args) {
      std::string_view type = OperandTypeName(a);
      if (!type.empty() && type != "S" && type != "B") {
        Record(kFunction, OperandTypeError(name, type));
        break;
      }
    }
    return node;
  }
  node->kind = ConditionNode::Kind::kContains;
  return node;
}

}  // namespace ddb::expr
