// ParseCondition and ParseKeyCondition: the two passes of parser.h, then,
// for key conditions, DynamoDB's shape rules.
#include <memory>

#include "ddb/expr/parser.h"

namespace ddb::expr {

namespace {

Result<std::unique_ptr<ConditionNode>> ParseConditionNode(std::string_view text,
                                                          std::string_view which,
                                                          ExpressionContext& ctx) {
  RETURN_IF_ERROR(CheckExpressionText(text, which));
  SyntaxParser parser(text, which);
  ASSIGN_OR_RETURN(RawCondition raw, parser.ParseCondition());
  Resolver resolver(which, ctx, Resolver::Mode::kCondition);
  std::unique_ptr<ConditionNode> node = resolver.Condition(raw);
  if (auto error = resolver.Finish()) return std::move(*error);
  return node;
}

struct KeyPart {
  const Path* path;
  SortOp op;
  const AttributeValue* v1;
  const AttributeValue* v2;
};

SortOp Flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return SortOp::kGt;
    case CompareOp::kLe:
      return SortOp::kGe;
    case CompareOp::kGt:
      return SortOp::kLt;
    case CompareOp::kGe:
      return SortOp::kLe;
    default:
      return SortOp::kEq;
  }
}

SortOp Direct(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return SortOp::kLt;
    case CompareOp::kLe:
      return SortOp::kLe;
    case CompareOp::kGt:
      return SortOp::kGt;
    case CompareOp::kGe:
      return SortOp::kGe;
    default:
      return SortOp::kEq;
  }
}

// Collects the conjuncts of a key condition (DynamoDB's checks, in the order
// dynalite documents them). It recurses into nested ANDs, at most
// kMaxTreeDepth deep (the parser already bounds the tree).
Status CollectKeyParts(const ConditionNode& node, std::vector<KeyPart>& out, size_t depth) {
  using K = ConditionNode::Kind;
  if (depth >= kMaxTreeDepth) return Validation("Conditions can be of length 1 or 2 only");
  auto invalid_operator = [](std::string_view op) {
    return Validation("Invalid operator used in KeyConditionExpression: " + std::string(op));
  };
  switch (node.kind) {
    case K::kAnd:
      for (const auto& c : node.children) RETURN_IF_ERROR(CollectKeyParts(*c, out, depth + 1));
      return Status::Ok();
    case K::kOr:
      return invalid_operator("OR");
    case K::kNot:
      return invalid_operator("NOT");
    case K::kIn:
      return invalid_operator("IN");
    case K::kExists:
      return invalid_operator("attribute_exists");
    case K::kNotExists:
      return invalid_operator("attribute_not_exists");
    case K::kType:
      return invalid_operator("attribute_type");
    case K::kContains:
    case K::kNotContains:
      return invalid_operator("contains");
    case K::kTrue:
      return Validation("Query key condition not supported");
    case K::kCompare:
      if (node.op == CompareOp::kNe) return invalid_operator("<>");
      break;
    case K::kBetween:
    case K::kBeginsWith:
      if (node.operands[0].kind != Operand::Kind::kPath) {
        return Validation(std::string("Invalid condition in KeyConditionExpression: ") +
                          (node.kind == K::kBetween ? "BETWEEN" : "begins_with") +
                          " operator must have the key attribute as its first operand");
      }
      break;
  }
  const Path* path = nullptr;
  size_t path_index = 0;
  for (size_t i = 0; i < node.operands.size(); ++i) {
    const Operand& o = node.operands[i];
    if (o.kind == Operand::Kind::kSize) {
      return Validation("KeyConditionExpressions cannot contain nested operations");
    }
    if (o.kind != Operand::Kind::kPath) continue;
    if (path != nullptr) {
      return Validation(
          "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
          "condition");
    }
    if (o.path.size() > 1) {
      return Validation("KeyConditionExpressions cannot have conditions on nested attributes");
    }
    path = &o.path;
    path_index = i;
  }
  if (path == nullptr) {
    return Validation("Invalid condition in KeyConditionExpression: No key attribute specified");
  }
  for (const KeyPart& p : out) {
    if (SamePath(*p.path, *path)) {
      return Validation("KeyConditionExpressions must only contain one condition per key");
    }
  }
  KeyPart part{path, SortOp::kEq, nullptr, nullptr};
  if (node.kind == K::kCompare) {
    part.op = path_index == 0 ? Direct(node.op) : Flip(node.op);
    part.v1 = &node.operands[path_index == 0 ? 1 : 0].value;
  } else if (node.kind == K::kBetween) {
    part.op = SortOp::kBetween;
    part.v1 = &node.operands[1].value;
    part.v2 = &node.operands[2].value;
  } else {
    part.op = SortOp::kBeginsWith;
    part.v1 = &node.operands[1].value;
  }
  out.push_back(part);
  return Status::Ok();
}

}  // namespace

Result<Condition> ParseCondition(std::string_view text, std::string_view which,
                                 ExpressionContext& ctx) {
  ASSIGN_OR_RETURN(std::unique_ptr<ConditionNode> node, ParseConditionNode(text, which, ctx));
  return Condition(std::move(node));
}

Result<std::vector<KeyCondition::Sort>> ParseKeyConditionParts(std::string_view text,
                                                               ExpressionContext& ctx) {
  ASSIGN_OR_RETURN(std::unique_ptr<ConditionNode> node,
                   ParseConditionNode(text, "KeyConditionExpression", ctx));
  std::vector<KeyPart> parts;
  RETURN_IF_ERROR(CollectKeyParts(*node, parts, 0));
  std::vector<KeyCondition::Sort> out;
  for (const KeyPart& p : parts) {
    KeyCondition::Sort s;
    s.name = (*p.path)[0].name;
    s.op = p.op;
    s.v1 = *p.v1;
    if (p.v2 != nullptr) s.v2 = *p.v2;
    out.push_back(std::move(s));
  }
  return out;
}

Result<KeyCondition> KeyConditionFromParts(std::vector<KeyCondition::Sort> parts) {
  if (parts.size() > 2) return Validation("Conditions can be of length 1 or 2 only");
  // The hash key condition is the (first) equality.
  size_t hash = parts.size();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].op == SortOp::kEq) {
      hash = i;
      break;
    }
  }
  if (hash == parts.size()) return Validation("Query key condition not supported");
  KeyCondition kc;
  kc.hash_name = std::move(parts[hash].name);
  kc.hash_value = std::move(parts[hash].v1);
  if (parts.size() == 2) kc.sort = std::move(parts[1 - hash]);
  return kc;
}

Result<KeyCondition> ParseKeyCondition(std::string_view text, ExpressionContext& ctx) {
  ASSIGN_OR_RETURN(auto parts, ParseKeyConditionParts(text, ctx));
  return KeyConditionFromParts(std::move(parts));
}

void NormalizeKeyCondition(KeyCondition& kc, std::string_view hash_key_name) {
  if (kc.hash_name == hash_key_name || !kc.sort || kc.sort->op != SortOp::kEq ||
      kc.sort->name != hash_key_name) {
    return;
  }
  std::swap(kc.hash_name, kc.sort->name);
  std::swap(kc.hash_value, kc.sort->v1);
}

}  // namespace ddb::expr
