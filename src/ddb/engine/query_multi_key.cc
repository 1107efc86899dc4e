#include "ddb/engine/query_multi_key.h"

#include "ddb/engine/item_common.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/keys.h"
#include "ddb/model/number.h"

namespace ddb::ops {
namespace {

using Part = expr::KeyCondition::Sort;

Status CheckType(const KeyAttr& attr, const AttributeValue& v) {
  if (v.type != attr.type) {
    return Validation(
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type");
  }
  return Status::Ok();
}

// The checks a sort-key condition gets in a one-attribute Query
// (query_scan.cc), with the same messages.
Status CheckRangePart(const KeyAttr& attr, const Part& p) {
  RETURN_IF_ERROR(CheckType(attr, p.v1));
  if (p.op == expr::SortOp::kBetween) {
    RETURN_IF_ERROR(CheckType(attr, p.v2));
    if (CompareScalar(p.v1, p.v2) > 0) {
      return Validation(
          "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
          "greater than or equal to lower bound; lower bound operand: AttributeValue: {" +
          std::string(AttrTypeName(p.v1.type)) + ":" + p.v1.scalar +
          "}, upper bound operand: AttributeValue: {" + std::string(AttrTypeName(p.v2.type)) + ":" +
          p.v2.scalar + "}");
    }
  }
  if (p.op == expr::SortOp::kBeginsWith && p.v1.type == AttrType::kN) {
    return Validation(
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
        "operator or function: begins_with, operand type: N");
  }
  return Status::Ok();
}

const Part* Find(const std::vector<Part>& parts, const std::string& name) {
  for (const Part& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Error Missed(const std::string& name) {
  return Validation("Query condition missed key schema element: " + name);
}

}  // namespace

Result<QueryRange> PlanMultiKeyQuery(const IndexInfo& index, const std::vector<Part>& parts) {
  const std::vector<const KeyAttr*> hash = index.key.HashAttrs();
  const std::vector<const KeyAttr*> range = index.key.RangeAttrs();
  // Every partition-key attribute, with an equality (as a one-attribute
  // key's "missed key schema element").
  std::vector<AttributeValue> hash_values;
  for (const KeyAttr* a : hash) {
    const Part* p = Find(parts, a->name);
    if (!p || p->op != expr::SortOp::kEq) return Missed(a->name);
    RETURN_IF_ERROR(CheckType(*a, p->v1));
    RETURN_IF_ERROR(CheckQueryPartitionValue(*a, p->v1));
    hash_values.push_back(p->v1);
  }
  // The sort-key attributes given: a prefix of the sort key. A condition
  // on another attribute, or one that skips a sort-key attribute, names
  // the first sort-key attribute missing (a guess, after the one-attribute
  // message).
  size_t given = 0;
  while (given < range.size() && Find(parts, range[given]->name)) ++given;
  if (hash.size() + given != parts.size()) {
    if (given < range.size()) return Missed(range[given]->name);
    for (const Part& p : parts) {
      bool known = false;
      for (const KeyAttr* a : index.key.AllAttrs()) known |= a->name == p.name;
      if (!known) return Missed(p.name);  // Guess.
    }
    return Validation("Query key condition not supported");  // unreachable: names are unique
  }
  QueryRange out;
  out.partition = IndexPartitionPrefix(index.id, hash_values);
  std::string prefix = out.partition;
  for (size_t i = 0; i + 1 < given; ++i) {
    const Part& p = *Find(parts, range[i]->name);
    if (p.op != expr::SortOp::kEq) {
      // Guess: DynamoDB's wording for a range condition on a sort-key
      // attribute that is not the last one given is not documented.
      return Validation(
          "Invalid KeyConditionExpression: only the last sort key attribute in the condition "
          "may use an operator other than =: " +
          p.name);
    }
    RETURN_IF_ERROR(CheckType(*range[i], p.v1));
    AppendDelimitedSortKey(p.v1, &prefix);
  }
  out.lower = prefix;
  out.upper = keys::PrefixEnd(prefix);
  if (given == 0) return out;
  const Part& last = *Find(parts, range[given - 1]->name);
  RETURN_IF_ERROR(CheckRangePart(*range[given - 1], last));
  auto encode = [&](const AttributeValue& v) {
    std::string k = prefix;
    AppendDelimitedSortKey(v, &k);
    return k;
  };
  std::string v1 = encode(last.v1);
  switch (last.op) {
    case expr::SortOp::kEq:
      out.lower = v1;
      out.upper = keys::PrefixEnd(v1);
      break;
    case expr::SortOp::kLt:
      out.upper = v1;
      break;
    case expr::SortOp::kLe:
      out.upper = keys::PrefixEnd(v1);
      break;
    case expr::SortOp::kGt:
      out.lower = keys::PrefixEnd(v1);
      break;
    case expr::SortOp::kGe:
      out.lower = v1;
      break;
    case expr::SortOp::kBetween:
      out.lower = v1;
      out.upper = keys::PrefixEnd(encode(last.v2));
      break;
    case expr::SortOp::kBeginsWith: {
      std::string p = prefix;
      AppendEscapedSortKeyPrefix(last.v1, &p);
      out.lower = p;
      out.upper = keys::PrefixEnd(p);
      break;
    }
  }
  return out;
}

}  // namespace ddb::ops
