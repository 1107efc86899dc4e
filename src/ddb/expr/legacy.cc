// The legacy request parameters translated into the AST of ast.h.
#include "ddb/expr/legacy.h"

#include <set>
#include <string>

#include "ddb/expr/ast.h"
#include "ddb/model/json_codec.h"

namespace ddb::expr {

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

Error Invalid(std::string message) { return Validation(std::string(kInvalid) + message); }

bool Has(const rapidjson::Value& obj, const char* key) {
  return obj.IsObject() && obj.HasMember(key) && !obj[key].IsNull();
}

Result<std::vector<AttributeValue>> DecodeList(const rapidjson::Value& json) {
  std::vector<AttributeValue> out;
  if (!json.IsArray()) return Validation("AttributeValueList must be a list");
  for (const auto& v : json.GetArray()) {
    ASSIGN_OR_RETURN(AttributeValue av, DecodeAttributeValue(v));
    out.push_back(std::move(av));
  }
  return out;
}

Operand PathOperand(const std::string& name) {
  Operand o;
  o.kind = Operand::Kind::kPath;
  o.path.push_back(PathElement{name, 0, false});
  return o;
}

Operand ValueOperand(AttributeValue v) {
  Operand o;
  o.kind = Operand::Kind::kValue;
  o.value = std::move(v);
  return o;
}

enum class CountRule { kOne, kNone, kSomeOrMore, kTwo };

struct OperatorInfo {
  std::string_view name;
  CountRule count;
  bool scalar_only;  // arguments must be S, N or B
};

constexpr OperatorInfo kOperators[] = {
    {"EQ", CountRule::kOne, false},         {"NE", CountRule::kOne, false},
    {"LE", CountRule::kOne, true},          {"LT", CountRule::kOne, true},
    {"GE", CountRule::kOne, true},          {"GT", CountRule::kOne, true},
    {"NOT_NULL", CountRule::kNone, false},  {"NULL", CountRule::kNone, false},
    {"CONTAINS", CountRule::kOne, true},    {"NOT_CONTAINS", CountRule::kOne, true},
    {"BEGINS_WITH", CountRule::kOne, true}, {"IN", CountRule::kSomeOrMore, true},
    {"BETWEEN", CountRule::kTwo, true},
};

const OperatorInfo* FindOperator(std::string_view name) {
  for (const OperatorInfo& op : kOperators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

bool CountOk(CountRule rule, size_t n) {
  switch (rule) {
    case CountRule::kOne:
      return n == 1;
    case CountRule::kNone:
      return n == 0;
    case CountRule::kSomeOrMore:
      return n >= 1;
    case CountRule::kTwo:
      return n == 2;
  }
  return false;
}

Error BadOperatorName(std::string_view param, const std::string& attr, std::string_view op) {
  return Validation("1 validation error detected: Value '" + std::string(op) + "' at '" +
                    std::string(param) + "." + attr +
                    ".member.comparisonOperator' failed to satisfy constraint: Member must "
                    "satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
                    "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
}

// One "attribute <op> values" condition. `count_error` words a wrong number
// of arguments.
Result<std::unique_ptr<ConditionNode>> Comparison(const std::string& attr, const OperatorInfo& op,
                                                  std::vector<AttributeValue> values,
                                                  const Error& count_error) {
  if (!CountOk(op.count, values.size())) return count_error;
  for (const AttributeValue& v : values) {
    bool ok = op.scalar_only ? v.is_scalar_key_type() : true;
    if (op.name == "BEGINS_WITH") ok = v.type == AttrType::kS || v.type == AttrType::kB;
    if (!ok) {
      return Invalid("ComparisonOperator " + std::string(op.name) + " is not valid for " +
                     std::string(AttrTypeName(v.type)) + " AttributeValue type");
    }
  }
  if (op.name == "BETWEEN" && values[0].type != values[1].type) {
    return Invalid("AttributeValues inside AttributeValueList must be of same type");
  }
  auto node = std::make_unique<ConditionNode>();
  using K = ConditionNode::Kind;
  node->operands.push_back(PathOperand(attr));
  for (AttributeValue& v : values) node->operands.push_back(ValueOperand(std::move(v)));
  std::string_view n = op.name;
  if (n == "NOT_NULL") {
    node->kind = K::kExists;
  } else if (n == "NULL") {
    node->kind = K::kNotExists;
  } else if (n == "CONTAINS") {
    node->kind = K::kContains;
  } else if (n == "NOT_CONTAINS") {
    node->kind = K::kNotContains;
  } else if (n == "BEGINS_WITH") {
    node->kind = K::kBeginsWith;
  } else if (n == "IN") {
    node->kind = K::kIn;
  } else if (n == "BETWEEN") {
    node->kind = K::kBetween;
  } else {
    node->kind = K::kCompare;
    node->op = n == "EQ"   ? CompareOp::kEq
               : n == "NE" ? CompareOp::kNe
               : n == "LE" ? CompareOp::kLe
               : n == "LT" ? CompareOp::kLt
               : n == "GE" ? CompareOp::kGe
                           : CompareOp::kGt;
  }
  return node;
}

Result<bool> UseOr(const rapidjson::Value* conditional_operator) {
  if (conditional_operator == nullptr || conditional_operator->IsNull()) return false;
  if (conditional_operator->IsString()) {
    std::string_view v = conditional_operator->GetString();
    if (v == "AND") return false;
    if (v == "OR") return true;
  }
  return Validation(
      "1 validation error detected: Value at 'conditionalOperator' failed to satisfy constraint: "
      "Member must satisfy enum value set: [AND, OR]");
}

Condition Combine(std::vector<std::unique_ptr<ConditionNode>> parts, bool use_or) {
  if (parts.size() == 1) return Condition(std::move(parts[0]));
  auto node = std::make_unique<ConditionNode>();
  node->kind = parts.empty() ? ConditionNode::Kind::kTrue
                             : (use_or ? ConditionNode::Kind::kOr : ConditionNode::Kind::kAnd);
  node->children = std::move(parts);
  return Condition(std::move(node));
}

Result<std::vector<AttributeValue>> ArgumentList(const rapidjson::Value& cond) {
  if (!Has(cond, "AttributeValueList")) return std::vector<AttributeValue>();
  return DecodeList(cond["AttributeValueList"]);
}

}  // namespace

Result<Condition> TranslateExpected(const rapidjson::Value& expected,
                                    const rapidjson::Value* conditional_operator) {
  ASSIGN_OR_RETURN(bool use_or, UseOr(conditional_operator));
  if (!expected.IsObject()) return Validation("Expected must be a map");
  std::vector<std::unique_ptr<ConditionNode>> parts;
  for (const auto& member : expected.GetObject()) {
    std::string attr(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& cond = member.value;
    if (!cond.IsObject()) return Validation("Expected." + attr + " must be a structure");
    if (Has(cond, "ComparisonOperator")) {
      if (Has(cond, "Exists")) {
        return Invalid("Exists and ComparisonOperator cannot be used together for Attribute: " +
                       attr);
      }
      if (Has(cond, "AttributeValueList") && Has(cond, "Value")) {
        return Invalid("Value and AttributeValueList cannot be used together for Attribute: " +
                       attr);
      }
      const rapidjson::Value& opj = cond["ComparisonOperator"];
      std::string op_name = opj.IsString() ? opj.GetString() : "";
      const OperatorInfo* op = FindOperator(op_name);
      if (op == nullptr) return BadOperatorName("expected", attr, op_name);
      std::vector<AttributeValue> values;
      if (Has(cond, "Value")) {
        ASSIGN_OR_RETURN(AttributeValue v, DecodeAttributeValue(cond["Value"]));
        values.push_back(std::move(v));
      } else {
        ASSIGN_OR_RETURN(values, ArgumentList(cond));
      }
      ASSIGN_OR_RETURN(auto node, Comparison(attr, *op, std::move(values),
                                             Invalid("Invalid number of argument(s) for the " +
                                                     op_name + " ComparisonOperator")));
      parts.push_back(std::move(node));
      continue;
    }
    if (Has(cond, "AttributeValueList")) {
      return Invalid(
          "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attr);
    }
    bool has_exists = Has(cond, "Exists");
    bool exists = !has_exists || (cond["Exists"].IsBool() && cond["Exists"].GetBool());
    bool has_value = Has(cond, "Value");
    if (exists && !has_value) {
      return Invalid(std::string("Value must be provided when Exists is ") +
                     (has_exists ? "true" : "null") + " for Attribute: " + attr);
    }
    if (!exists && has_value) {
      return Invalid("Value cannot be used when Exists is false for Attribute: " + attr);
    }
    auto node = std::make_unique<ConditionNode>();
    node->operands.push_back(PathOperand(attr));
    if (exists) {
      ASSIGN_OR_RETURN(AttributeValue v, DecodeAttributeValue(cond["Value"]));
      node->kind = ConditionNode::Kind::kCompare;
      node->op = CompareOp::kEq;
      node->operands.push_back(ValueOperand(std::move(v)));
    } else {
      node->kind = ConditionNode::Kind::kNotExists;
    }
    parts.push_back(std::move(node));
  }
  return Combine(std::move(parts), use_or);
}

Result<Condition> TranslateFilter(const rapidjson::Value& filter,
                                  const rapidjson::Value* conditional_operator) {
  ASSIGN_OR_RETURN(bool use_or, UseOr(conditional_operator));
  if (!filter.IsObject()) return Validation("The filter must be a map");
  std::vector<std::unique_ptr<ConditionNode>> parts;
  for (const auto& member : filter.GetObject()) {
    std::string attr(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& cond = member.value;
    if (!Has(cond, "ComparisonOperator")) {
      return Validation("1 validation error detected: Value null at 'filter." + attr +
                        ".member.comparisonOperator' failed to satisfy constraint: Member must "
                        "not be null");
    }
    const rapidjson::Value& opj = cond["ComparisonOperator"];
    std::string op_name = opj.IsString() ? opj.GetString() : "";
    const OperatorInfo* op = FindOperator(op_name);
    if (op == nullptr) return BadOperatorName("filter", attr, op_name);
    ASSIGN_OR_RETURN(auto values, ArgumentList(cond));
    ASSIGN_OR_RETURN(
        auto node,
        Comparison(attr, *op, std::move(values),
                   Validation("The attempted filter operation is not supported for the provided "
                              "filter argument count")));
    parts.push_back(std::move(node));
  }
  return Combine(std::move(parts), use_or);
}

namespace {

// One KeyConditions entry: its attribute, operator and values.
struct KeyPart {
  std::string attr;
  SortOp op;
  std::vector<AttributeValue> values;
};

// The KeyConditions entries in the request's order, each checked alone
// (operator name, argument count, an indexable operator).
Result<std::vector<KeyPart>> ReadKeyParts(const rapidjson::Value& key_conditions) {
  std::vector<KeyPart> parts;
  for (const auto& member : key_conditions.GetObject()) {
    std::string attr(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& cond = member.value;
    std::string op_name = Has(cond, "ComparisonOperator") && cond["ComparisonOperator"].IsString()
                              ? cond["ComparisonOperator"].GetString()
                              : "";
    const OperatorInfo* info = FindOperator(op_name);
    if (info == nullptr) return BadOperatorName("keyConditions", attr, op_name);
    ASSIGN_OR_RETURN(auto values, ArgumentList(cond));
    if (!CountOk(info->count, values.size())) {
      return Validation(
          "The attempted filter operation is not supported for the provided filter argument "
          "count");
    }
    SortOp op;
    if (op_name == "EQ") {
      op = SortOp::kEq;
    } else if (op_name == "LE") {
      op = SortOp::kLe;
    } else if (op_name == "LT") {
      op = SortOp::kLt;
    } else if (op_name == "GE") {
      op = SortOp::kGe;
    } else if (op_name == "GT") {
      op = SortOp::kGt;
    } else if (op_name == "BEGINS_WITH") {
      op = SortOp::kBeginsWith;
    } else if (op_name == "BETWEEN") {
      op = SortOp::kBetween;
    } else {
      return Validation("Attempted conditional constraint is not an indexable operation");
    }
    parts.push_back(KeyPart{attr, op, std::move(values)});
  }
  return parts;
}

KeyCondition::Sort AsSort(const KeyPart& p) {
  KeyCondition::Sort sort;
  sort.name = p.attr;
  sort.op = p.op;
  sort.v1 = p.values[0];
  if (p.values.size() > 1) sort.v2 = p.values[1];
  return sort;
}

Error BadLength() { return Validation("Conditions can be of length 1 or 2 only"); }

}  // namespace

Result<KeyCondition> TranslateKeyConditions(const rapidjson::Value& key_conditions) {
  if (!key_conditions.IsObject()) return Validation("KeyConditions must be a map");
  size_t n = key_conditions.MemberCount();
  if (n < 1 || n > 2) return BadLength();
  ASSIGN_OR_RETURN(std::vector<KeyPart> parts, ReadKeyParts(key_conditions));
  size_t hash = parts.size();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].op == SortOp::kEq) {
      hash = i;
      break;
    }
  }
  if (hash == parts.size()) return Validation("Query key condition not supported");
  KeyCondition kc;
  kc.hash_name = parts[hash].attr;
  kc.hash_value = parts[hash].values[0];
  if (parts.size() == 2) kc.sort = AsSort(parts[1 - hash]);
  return kc;
}

Result<std::vector<KeyCondition::Sort>> TranslateKeyConditionParts(
    const rapidjson::Value& key_conditions) {
  if (!key_conditions.IsObject()) return Validation("KeyConditions must be a map");
  size_t n = key_conditions.MemberCount();
  if (n < 1 || n > kMaxKeyConditionParts) return BadLength();
  ASSIGN_OR_RETURN(std::vector<KeyPart> parts, ReadKeyParts(key_conditions));
  std::vector<KeyCondition::Sort> out;
  for (const KeyPart& p : parts) out.push_back(AsSort(p));
  return out;
}

Result<Update> TranslateAttributeUpdates(const rapidjson::Value& attribute_updates) {
  if (!attribute_updates.IsObject()) return Validation("AttributeUpdates must be a map");
  auto plan = std::make_shared<UpdatePlan>();
  for (const auto& member : attribute_updates.GetObject()) {
    std::string attr(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& upd = member.value;
    std::string action = "PUT";
    if (Has(upd, "Action")) {
      if (!upd["Action"].IsString()) return Validation("Action must be a string");
      action = upd["Action"].GetString();
    }
    UpdateAction a;
    a.legacy = true;
    a.path.push_back(PathElement{attr, 0, false});
    bool has_value = Has(upd, "Value");
    AttributeValue v;
    if (has_value) {
      ASSIGN_OR_RETURN(v, DecodeAttributeValue(upd["Value"]));
    }
    if (action == "PUT") {
      if (!has_value) {
        return Invalid("Only DELETE action is allowed when no attribute value is specified");
      }
      a.kind = UpdateAction::Kind::kSet;
    } else if (action == "ADD") {
      if (!has_value) {
        return Invalid("Only DELETE action is allowed when no attribute value is specified");
      }
      if (v.type == AttrType::kL) {
        // ADD of a list appends to the attribute's list, or creates it (types
        // N, sets and L are accepted: dynalite's tests, checked against
        // DynamoDB): SET a = list_append(if_not_exists(a, []), value).
        Operand existing;
        existing.kind = Operand::Kind::kIfNotExists;
        existing.path = a.path;
        AttributeValue empty;
        empty.type = AttrType::kL;
        existing.args.push_back(ValueOperand(std::move(empty)));
        Operand append;
        append.kind = Operand::Kind::kListAppend;
        append.args.push_back(std::move(existing));
        append.args.push_back(ValueOperand(std::move(v)));
        a.kind = UpdateAction::Kind::kSet;
        a.value = std::move(append);
        plan->updated_paths.push_back(a.path);
        plan->actions.push_back(std::move(a));
        continue;
      }
      if (v.type != AttrType::kN && !v.is_set()) {
        return Invalid("ADD action is not supported for the type " +
                       std::string(AttrTypeName(v.type)));
      }
      a.kind = UpdateAction::Kind::kAdd;
    } else if (action == "DELETE") {
      if (has_value && !v.is_set()) {
        return Invalid("DELETE action with value is not supported for the type " +
                       std::string(AttrTypeName(v.type)));
      }
      a.kind = has_value ? UpdateAction::Kind::kDelete : UpdateAction::Kind::kRemove;
    } else {
      return Validation("1 validation error detected: Value '" + action +
                        "' at 'attributeUpdates." + attr +
                        ".member.action' failed to satisfy constraint: Member must satisfy enum "
                        "value set: [ADD, PUT, DELETE]");
    }
    if (has_value) a.value = ValueOperand(std::move(v));
    plan->updated_paths.push_back(a.path);
    plan->actions.push_back(std::move(a));
  }
  return Update(std::move(plan));
}

Result<Projection> TranslateAttributesToGet(const rapidjson::Value& attributes_to_get) {
  if (!attributes_to_get.IsArray()) return Validation("AttributesToGet must be a list");
  if (attributes_to_get.Empty()) {
    return Validation(
        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1");
  }
  Projection out;
  std::set<std::string> seen;
  for (const auto& v : attributes_to_get.GetArray()) {
    if (!v.IsString()) return Validation("AttributesToGet must contain strings");
    std::string name(v.GetString(), v.GetStringLength());
    if (!seen.insert(name).second) {
      return Invalid("Duplicate value in attribute name: " + name);
    }
    out.paths.push_back(Path{PathElement{name, 0, false}});
  }
  return out;
}

}  // namespace ddb::expr
