// TranslateSelectAll (translate.h): a SELECT whose WHERE clause enumerates
// the values of a partition-key attribute (`pk IN [...]`, `pk = a OR pk = b`)
// read as one Query per value, the "multi-partition" reads of
// ql-reference.select.html.
#include <string>
#include <utility>
#include <vector>

#include "ddb/partiql/translate.h"

namespace ddb::partiql {
namespace {

bool IsAttribute(const Expr& e, const std::string& name) {
  return e.kind == Expr::Kind::kPath && e.path.size() == 1 && !e.path[0].is_index &&
         e.path[0].name == name;
}

bool IsTyped(const Expr& e, const KeyPart& k) {
  return e.kind == Expr::Kind::kValue && e.value.type == k.type;
}

// The path operand of `name = value` / `value = name` with a value of the
// key's type, and the value; nullptrs if `e` is not such an equality.
std::pair<const Expr*, const Expr*> Equality(const Expr& e, const KeyPart& k) {
  if (e.kind != Expr::Kind::kCompare || e.op != "=") return {nullptr, nullptr};
  if (IsAttribute(e.args[0], k.name) && IsTyped(e.args[1], k)) return {&e.args[0], &e.args[1]};
  if (IsAttribute(e.args[1], k.name) && IsTyped(e.args[0], k)) return {&e.args[1], &e.args[0]};
  return {nullptr, nullptr};
}

void AddUnique(const AttributeValue& v, std::vector<AttributeValue>* out) {
  for (const AttributeValue& have : *out) {
    if (have == v) return;
  }
  out->push_back(v);
}

// When `e` enumerates values of attribute `k` (an IN list, or an OR of
// equalities, every value of the key's type): its path operand, with the
// values (in order, without duplicates) in `values`. Else nullptr.
const Expr* Enumeration(const Expr& e, const KeyPart& k, std::vector<AttributeValue>* values) {
  values->clear();
  if (e.kind == Expr::Kind::kIn) {
    if (!IsAttribute(e.args[0], k.name)) return nullptr;
    for (size_t i = 1; i < e.args.size(); ++i) {
      if (!IsTyped(e.args[i], k)) return nullptr;
      AddUnique(e.args[i].value, values);
    }
    return &e.args[0];
  }
  if (e.kind == Expr::Kind::kOr) {
    const Expr* path = nullptr;
    for (const Expr& a : e.args) {
      auto [p, v] = Equality(a, k);
      if (!p) return nullptr;
      path = p;
      AddUnique(v->value, values);
    }
    return path;
  }
  return nullptr;
}

// `path = value`.
Expr EqualityExpr(const Expr& path, const AttributeValue& value) {
  Expr v;
  v.kind = Expr::Kind::kValue;
  v.value = value;
  Expr e;
  e.kind = Expr::Kind::kCompare;
  e.op = "=";
  e.args.push_back(path);
  e.args.push_back(std::move(v));
  return e;
}

const KeyNames* Target(const Statement& s, const TableKeys& keys) {
  if (!s.index) return &keys.table;
  auto it = keys.indexes.find(*s.index);
  return it == keys.indexes.end() ? nullptr : &it->second;
}

Result<std::vector<EngineRequest>> One(const Statement& s, const TableKeys& keys) {
  std::vector<EngineRequest> out;
  ASSIGN_OR_RETURN(EngineRequest r, TranslateSelect(s, keys));
  out.push_back(std::move(r));
  return out;
}

}  // namespace

Result<std::vector<EngineRequest>> TranslateSelectAll(const Statement& s, const TableKeys& keys) {
  const KeyNames* target = Target(s, keys);
  if (!target || !s.where) return One(s, keys);
  // The conjunct enumerating a partition-key attribute (the first one).
  const bool is_and = s.where->kind == Expr::Kind::kAnd;
  const size_t count = is_and ? s.where->args.size() : 1;
  for (size_t i = 0; i < count; ++i) {
    const Expr& conjunct = is_and ? s.where->args[i] : *s.where;
    for (const KeyPart& part : target->HashParts()) {
      std::vector<AttributeValue> values;
      const Expr* path = Enumeration(conjunct, part, &values);
      if (!path) continue;
      std::vector<EngineRequest> out;
      for (const AttributeValue& v : values) {
        Statement one = s;
        Expr& slot = is_and ? one.where->args[i] : *one.where;
        slot = EqualityExpr(*path, v);
        ASSIGN_OR_RETURN(EngineRequest r, TranslateSelect(one, keys));
        // Not a Query (say, the rest of the clause names a key attribute):
        // the whole statement is one read, as without the enumeration.
        if (r.op != EngineRequest::Op::kQuery) return One(s, keys);
        if (values.size() > kMaxPartitionValues) {
          // The limit is ql-operators.html's ("at max 50 hash attribute
          // values"); the wording is a guess.
          return Validation("IN operator on a partition key supports at most " +
                            std::to_string(kMaxPartitionValues) +
                            " values; number of values: " + std::to_string(values.size()));
        }
        out.push_back(std::move(r));
      }
      return out;
    }
  }
  return One(s, keys);
}

}  // namespace ddb::partiql
