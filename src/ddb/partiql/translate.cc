#include "ddb/partiql/translate.h"

#include <set>
#include <vector>

#include "ddb/partiql/expression_text.h"
#include "ddb/partiql/json_value.h"

namespace ddb::partiql {
namespace {

using Conjuncts = std::vector<const Expr*>;

// The top-level conjuncts of a WHERE clause (none without one).
Conjuncts Split(const std::optional<Expr>& where) {
  Conjuncts out;
  if (!where) return out;
  if (where->kind == Expr::Kind::kAnd) {
    for (const Expr& a : where->args) out.push_back(&a);
  } else {
    out.push_back(&*where);
  }
  return out;
}

bool IsAttribute(const Expr& e, const std::string& name) {
  return e.kind == Expr::Kind::kPath && e.path.size() == 1 && !e.path[0].is_index &&
         e.path[0].name == name;
}

// `name = value` or `value = name`: the value.
const AttributeValue* EqualityOn(const Expr& e, const std::string& name) {
  if (e.kind != Expr::Kind::kCompare || e.op != "=") return nullptr;
  if (IsAttribute(e.args[0], name) && e.args[1].kind == Expr::Kind::kValue) {
    return &e.args[1].value;
  }
  if (IsAttribute(e.args[1], name) && e.args[0].kind == Expr::Kind::kValue) {
    return &e.args[0].value;
  }
  return nullptr;
}

void TopNames(const Expr& e, std::set<std::string>* out) {
  if (e.kind == Expr::Kind::kPath && !e.path.empty() && !e.path[0].is_index) {
    out->insert(e.path[0].name);
  }
  for (const Expr& a : e.args) TopNames(a, out);
}

bool Mentions(const Conjuncts& c, const KeyNames& k) {
  std::set<std::string> names;
  for (const Expr* e : c) TopNames(*e, &names);
  for (const KeyPart& p : k.HashParts()) {
    if (names.count(p.name)) return true;
  }
  for (const KeyPart& p : k.RangeParts()) {
    if (names.count(p.name)) return true;
  }
  return false;
}

bool IsKeyAttribute(const KeyNames& k, const std::string& name) {
  for (const KeyPart& p : k.HashParts()) {
    if (p.name == name) return true;
  }
  for (const KeyPart& p : k.RangeParts()) {
    if (p.name == name) return true;
  }
  return false;
}

// The conjunction of `c`, without enclosing parentheses (callers embedding
// it add one pair).
Result<std::string> AndOf(ExpressionBuilder& b, const Conjuncts& c) {
  if (c.size() == 1) return b.Condition(*c[0]);
  std::string out;
  for (const Expr* e : c) {
    ASSIGN_OR_RETURN(std::string t, b.Conjunct(*e));
    out += (out.empty() ? "" : " AND ") + t;
  }
  return out;
}

// A sort-key condition the Query's key condition can hold: = < <= > >= on a
// value of the key's type, BETWEEN two such values, begins_with.
bool IsSortCondition(const Expr& e, const KeyPart& k) {
  const std::string& name = k.name;
  auto typed = [&](const Expr& v) {
    return v.kind == Expr::Kind::kValue && v.value.type == k.type;
  };
  switch (e.kind) {
    case Expr::Kind::kCompare:
      if (e.op == "<>") return false;
      return (IsAttribute(e.args[0], name) && typed(e.args[1])) ||
             (IsAttribute(e.args[1], name) && typed(e.args[0]));
    case Expr::Kind::kBetween:
      return IsAttribute(e.args[0], name) && typed(e.args[1]) && typed(e.args[2]);
    case Expr::Kind::kCall:
      return e.op == "begins_with" && e.args.size() == 2 && IsAttribute(e.args[0], name) &&
             typed(e.args[1]) && k.type != AttrType::kN;
    default:
      return false;
  }
}

// The key condition text of a sort-key condition accepted above.
// Placeholders are made in reading order (each in its own statement: the
// order of evaluation of a + b is unspecified).
std::string SortConditionText(ExpressionBuilder& b, const Expr& e, const std::string& name) {
  const std::string key = b.Name(name);
  if (e.kind == Expr::Kind::kBetween) {
    std::string low = b.Value(e.args[1].value);
    std::string high = b.Value(e.args[2].value);
    return key + " BETWEEN " + low + " AND " + high;
  }
  if (e.kind == Expr::Kind::kCall) {
    return "begins_with(" + key + ", " + b.Value(e.args[1].value) + ")";
  }
  if (IsAttribute(e.args[0], name)) return key + " " + e.op + " " + b.Value(e.args[1].value);
  // value op key: flip the operator.
  std::string op = e.op;
  if (op == "<") {
    op = ">";
  } else if (op == ">") {
    op = "<";
  } else if (op == "<=") {
    op = ">=";
  } else if (op == ">=") {
    op = "<=";
  }
  return key + " " + op + " " + b.Value(e.args[0].value);
}

bool SamePath(const expr::Path& a, const expr::Path& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_index != b[i].is_index || a[i].name != b[i].name || a[i].index != b[i].index) {
      return false;
    }
  }
  return true;
}

rapidjson::Document NewBody(const std::string& table) {
  rapidjson::Document d;
  d.SetObject();
  d.AddMember("TableName", JsonString(table, d.GetAllocator()), d.GetAllocator());
  return d;
}

void AddString(rapidjson::Document& d, const char* member, std::string_view value) {
  d.AddMember(rapidjson::StringRef(member), JsonString(value, d.GetAllocator()), d.GetAllocator());
}

Error MissingKey() {
  return Validation("Where clause does not contain a mandatory equality on all key attributes");
}

// The item's key from the WHERE clause's equalities on every key attribute
// of the table; `rest` receives the other conjuncts.
Result<Item> FullKey(const Conjuncts& conj, const KeyNames& k, Conjuncts* rest) {
  Item key;
  for (const Expr* e : conj) {
    const AttributeValue* v = EqualityOn(*e, k.hash);
    std::string name = k.hash;
    if (!v && k.range) {
      v = EqualityOn(*e, *k.range);
      name = *k.range;
    }
    if (v && !key.count(name)) {
      key.emplace(name, *v);
    } else {
      rest->push_back(e);
    }
  }
  if (!key.count(k.hash) || (k.range && !key.count(*k.range))) return MissingKey();
  return key;
}

std::string ProjectionText(ExpressionBuilder& b, const Statement& s) {
  std::string out;
  for (const auto& p : s.projection) out += (out.empty() ? "" : ", ") + b.PathText(p);
  return out;
}

// UPDATE's SET and REMOVE clauses as an UpdateExpression. set_add and
// set_delete of the SET's own path become ADD and DELETE.
Result<std::string> UpdateText(ExpressionBuilder& b, const Statement& s) {
  std::string set, add, del, remove;
  auto append = [](std::string& clause, const std::string& part) {
    clause += (clause.empty() ? "" : ", ") + part;
  };
  for (const SetClause& c : s.sets) {
    const Expr& v = c.value;
    if (v.kind == Expr::Kind::kCall && (v.op == "set_add" || v.op == "set_delete")) {
      if (v.args.size() != 2 || v.args[0].kind != Expr::Kind::kPath ||
          !SamePath(v.args[0].path, c.path) || v.args[1].kind != Expr::Kind::kValue) {
        return Unsupported(v.op + " must name the attribute it sets and a set value");
      }
      append(v.op == "set_add" ? add : del, b.PathText(c.path) + " " + b.Value(v.args[1].value));
      continue;
    }
    std::string target = b.PathText(c.path);
    ASSIGN_OR_RETURN(std::string value, b.SetValue(v));
    append(set, target + " = " + value);
  }
  for (const auto& p : s.removes) append(remove, b.PathText(p));
  std::string out;
  if (!set.empty()) out += "SET " + set;
  if (!remove.empty()) out += (out.empty() ? "" : " ") + std::string("REMOVE ") + remove;
  if (!add.empty()) out += (out.empty() ? "" : " ") + std::string("ADD ") + add;
  if (!del.empty()) out += (out.empty() ? "" : " ") + std::string("DELETE ") + del;
  return out;
}

const char* ReturnValuesName(Returning r) {
  switch (r) {
    case Returning::kAllOld:
      return "ALL_OLD";
    case Returning::kModifiedOld:
      return "UPDATED_OLD";
    case Returning::kAllNew:
      return "ALL_NEW";
    case Returning::kModifiedNew:
      return "UPDATED_NEW";
    case Returning::kNone:
      break;
  }
  return "NONE";
}

}  // namespace

std::vector<KeyPart> KeyNames::HashParts() const {
  std::vector<KeyPart> out{{hash, hash_type}};
  out.insert(out.end(), more_hash.begin(), more_hash.end());
  return out;
}

std::vector<KeyPart> KeyNames::RangeParts() const {
  std::vector<KeyPart> out;
  if (range) out.push_back({*range, range_type});
  out.insert(out.end(), more_range.begin(), more_range.end());
  return out;
}

Result<EngineRequest> TranslateSelect(const Statement& s, const TableKeys& keys) {
  const KeyNames* target = &keys.table;
  EngineRequest r;
  r.body = NewBody(s.table);
  if (s.index) {
    auto it = keys.indexes.find(*s.index);
    if (it == keys.indexes.end()) {
      return Validation("The table does not have the specified index: " + *s.index);
    }
    target = &it->second;
    AddString(r.body, "IndexName", *s.index);
  }
  Conjuncts conj = Split(s.where);
  // A Query needs an equality on every partition-key attribute with a value
  // of its type; the sort-key attributes join the key condition left to
  // right, each with an equality but the last, which may have any sort-key
  // condition (the Query path's rule for multi-attribute keys, and the one
  // sort-key condition of a one-attribute key). The other conjuncts become
  // the filter, which may not name key attributes (DynamoDB's rule for
  // Query filters): then the whole clause is a Scan's filter instead.
  std::vector<std::pair<std::string, const AttributeValue*>> hash;
  std::set<const Expr*> used;
  for (const KeyPart& p : target->HashParts()) {
    for (const Expr* e : conj) {
      const AttributeValue* v = EqualityOn(*e, p.name);
      if (!used.count(e) && v && v->type == p.type) {
        hash.emplace_back(p.name, v);
        used.insert(e);
        break;
      }
    }
  }
  std::vector<std::pair<std::string, const Expr*>> sort;  // in sort-key order
  for (const KeyPart& p : target->RangeParts()) {
    const Expr* eq = nullptr;
    const Expr* other = nullptr;
    for (const Expr* e : conj) {
      if (used.count(e) || !IsSortCondition(*e, p)) continue;
      if (!eq && e->kind == Expr::Kind::kCompare && e->op == "=") {
        eq = e;
      } else if (!other) {
        other = e;
      }
    }
    const Expr* chosen = eq ? eq : other;
    if (!chosen) break;
    sort.emplace_back(p.name, chosen);
    used.insert(chosen);
    if (!eq) break;
  }
  Conjuncts rest;
  for (const Expr* e : conj) {
    if (!used.count(e)) rest.push_back(e);
  }
  const bool query = hash.size() == target->HashParts().size() && !Mentions(rest, *target);
  ExpressionBuilder b;
  if (!s.projection.empty()) AddString(r.body, "ProjectionExpression", ProjectionText(b, s));
  if (query) {
    r.op = EngineRequest::Op::kQuery;
    std::string kc;
    for (const auto& [name, value] : hash) {
      std::string key = b.Name(name);
      kc += (kc.empty() ? "" : " AND ") + key + " = " + b.Value(*value);
    }
    for (const auto& [name, e] : sort) kc += " AND " + SortConditionText(b, *e, name);
    AddString(r.body, "KeyConditionExpression", kc);
    if (!rest.empty()) {
      ASSIGN_OR_RETURN(std::string filter, AndOf(b, rest));
      AddString(r.body, "FilterExpression", filter);
    }
    if (s.order_by) {
      if (!IsKeyAttribute(*target, *s.order_by)) {
        // Wording is this engine's.
        return Validation(
            "ORDER BY is only supported on the key attributes of the table or "
            "index read");
      }
      r.body.AddMember("ScanIndexForward", !s.order_desc, r.body.GetAllocator());
    }
  } else {
    r.op = EngineRequest::Op::kScan;
    if (s.order_by) {
      // As DynamoDB words it (recalled, not in the documentation).
      return Validation(
          "Must have at least one non-optional hash key condition in WHERE clause when using "
          "ORDER BY clause.");
    }
    if (s.where) {
      ASSIGN_OR_RETURN(std::string filter, b.Condition(*s.where));
      AddString(r.body, "FilterExpression", filter);
    }
  }
  b.AddTo(r.body);
  return r;
}

Result<EngineRequest> TranslateGet(const Statement& s, const TableKeys& keys) {
  if (s.index) return Unsupported("reading an index in a batch or transaction");
  if (s.order_by) return Unsupported("ORDER BY in a batch or transaction");
  Conjuncts rest;
  ASSIGN_OR_RETURN(Item key, FullKey(Split(s.where), keys.table, &rest));
  if (!rest.empty()) {
    // Wording is this engine's: such reads name one item by its key alone.
    return Unsupported("a SELECT in a batch or transaction may only have key equalities");
  }
  EngineRequest r;
  r.op = EngineRequest::Op::kGetItem;
  r.body = NewBody(s.table);
  auto& alloc = r.body.GetAllocator();
  r.body.AddMember("Key", JsonItem(key, alloc), alloc);
  ExpressionBuilder b;
  if (!s.projection.empty()) AddString(r.body, "ProjectionExpression", ProjectionText(b, s));
  b.AddTo(r.body);
  return r;
}

Result<EngineRequest> TranslateWrite(const Statement& s, const TableKeys& keys) {
  EngineRequest r;
  r.body = NewBody(s.table);
  auto& alloc = r.body.GetAllocator();
  ExpressionBuilder b;
  const KeyNames& k = keys.table;
  if (s.kind == Statement::Kind::kInsert) {
    r.op = EngineRequest::Op::kPutItem;
    r.is_insert = true;
    r.body.AddMember("Item", JsonItem(s.item, alloc), alloc);
    AddString(r.body, "ConditionExpression", "attribute_not_exists(" + b.Name(k.hash) + ")");
    b.AddTo(r.body);
    return r;
  }
  if (s.kind == Statement::Kind::kSelect) return Unsupported("SELECT as a write");
  if (s.index) return Unsupported("writing through an index");
  Conjuncts rest;
  ASSIGN_OR_RETURN(Item key, FullKey(Split(s.where), k, &rest));
  r.body.AddMember("Key", JsonItem(key, alloc), alloc);
  std::string cond;
  switch (s.kind) {
    case Statement::Kind::kUpdate: {
      r.op = EngineRequest::Op::kUpdateItem;
      ASSIGN_OR_RETURN(std::string update, UpdateText(b, s));
      AddString(r.body, "UpdateExpression", update);
      cond = "attribute_exists(" + b.Name(k.hash) + ")";
      if (!rest.empty()) {
        ASSIGN_OR_RETURN(std::string more, AndOf(b, rest));
        cond += " AND (" + more + ")";
      }
      if (s.returning != Returning::kNone) {
        AddString(r.body, "ReturnValues", ReturnValuesName(s.returning));
      }
      break;
    }
    case Statement::Kind::kDelete:
      r.op = EngineRequest::Op::kDeleteItem;
      // A missing item is no failure (the statement deletes nothing); an
      // existing one must satisfy the rest of the WHERE clause.
      if (!rest.empty()) {
        ASSIGN_OR_RETURN(std::string more, AndOf(b, rest));
        std::string hash = b.Name(k.hash);
        cond = "attribute_not_exists(" + hash + ") OR (" + more + ")";
      }
      if (s.returning != Returning::kNone) {
        AddString(r.body, "ReturnValues", ReturnValuesName(s.returning));
      }
      break;
    case Statement::Kind::kExists: {
      r.op = EngineRequest::Op::kConditionCheck;
      cond = "attribute_exists(" + b.Name(k.hash) + ")";
      if (!rest.empty()) {
        ASSIGN_OR_RETURN(std::string more, AndOf(b, rest));
        cond += " AND (" + more + ")";
      }
      break;
    }
    default:
      return Unsupported("statement");
  }
  if (!cond.empty()) AddString(r.body, "ConditionExpression", cond);
  b.AddTo(r.body);
  return r;
}

}  // namespace ddb::partiql
