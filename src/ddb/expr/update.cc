// ApplyUpdate and UpdatedItem: run an UpdatePlan against an item.
//
// Order, as DynamoDB behaves: every SET value is computed from the item as it
// was before the update; then the SETs are written (the elements of one list
// by ascending index, so that several SETs past the end append in index
// order), the REMOVEs run (list elements by descending index, so that every
// index refers to the original list), and the ADDs and DELETEs are applied.
#include <algorithm>
#include <numeric>
#include <optional>

#include "ddb/expr/ast.h"
#include "ddb/expr/limits.h"
#include "ddb/model/number.h"

namespace ddb::expr {

namespace {

Error InvalidPath() {
  return Validation("The document path provided in the update expression is invalid for update");
}
Error WrongType() {
  return Validation("An operand in the update expression has an incorrect data type");
}
Error Missing() {
  return Validation(
      "The provided expression refers to an attribute that does not exist in the item");
}
Error Overflow() {
  return Validation(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}

// a + b (or a - b) for an update's arithmetic (SET's + and -, ADD). DynamoDB
// reports a result that needs more than 38 significant digits as an
// overflow, not with the 38-digit message of a number a client sends
// (ScyllaDB's test_update_expression_plus_imprecise records DynamoDB's answer
// to 1e50 + 1); an underflow keeps its own message. The model's sum reports
// the three errors alike (ValidationExceptions), so they are told apart by
// arithmetic, not by message: an underflowing sum is below 1e-130 and has
// digits no lower than 1e-167 (those of operands in range), so it has at
// most 37 digits, and the same sum scaled by 1e100 is in range and exact;
// an overflowing or too precise sum stays one when scaled.
Result<std::string> Arithmetic(const std::string& a, const std::string& b, bool subtract) {
  auto sum = [subtract](std::string_view x, std::string_view y) {
    return subtract ? SubtractNumbers(x, y) : AddNumbers(x, y);
  };
  Result<std::string> r = sum(a, b);
  if (r.ok()) return r;
  auto scaled = [](const std::string& x) {
    Result<std::string> plain = NormalizeNumber(x);  // no exponent of its own
    return (plain.ok() ? *plain : x) + "e100";
  };
  if (sum(scaled(a), scaled(b)).ok()) return r;  // an underflow
  return Overflow();
}

// The container that holds the last element of `path`: the item itself for
// top-level paths (returns nullptr and sets *top), else the map or list value.
AttributeValue* Parent(Item& item, const Path& path, bool* top) {
  *top = path.size() == 1;
  if (*top) return nullptr;
  Path prefix(path.begin(), path.end() - 1);
  return ResolvePathMutable(item, prefix);
}

Result<AttributeValue> Compute(const Operand& op, const Item& item, size_t depth) {
  if (depth >= kMaxTreeDepth) {
    // Unreachable for plans of the parser, which stops at the same depth.
    return InvalidExpression(
        "UpdateExpression",
        "The expression has too many nesting levels; nesting levels: " + std::to_string(depth + 1));
  }
  switch (op.kind) {
    case Operand::Kind::kValue:
      return op.value;
    case Operand::Kind::kPath: {
      const AttributeValue* v = ResolvePath(item, op.path);
      if (v == nullptr) return Missing();
      return *v;
    }
    case Operand::Kind::kIfNotExists: {
      const AttributeValue* v = ResolvePath(item, op.path);
      if (v != nullptr) return *v;
      return Compute(op.args[0], item, depth + 1);
    }
    case Operand::Kind::kListAppend: {
      ASSIGN_OR_RETURN(AttributeValue a, Compute(op.args[0], item, depth + 1));
      ASSIGN_OR_RETURN(AttributeValue b, Compute(op.args[1], item, depth + 1));
      if (a.type != AttrType::kL || b.type != AttrType::kL) return WrongType();
      for (AttributeValue& e : b.list) a.list.push_back(std::move(e));
      return a;
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      ASSIGN_OR_RETURN(AttributeValue a, Compute(op.args[0], item, depth + 1));
      ASSIGN_OR_RETURN(AttributeValue b, Compute(op.args[1], item, depth + 1));
      if (a.type != AttrType::kN || b.type != AttrType::kN) return WrongType();
      ASSIGN_OR_RETURN(std::string n,
                       Arithmetic(a.scalar, b.scalar, op.kind == Operand::Kind::kMinus));
      return AttributeValue::N(std::move(n));
    }
    case Operand::Kind::kSize:
      break;
  }
  return WrongType();
}

// Writes `v` at `path` (an index past the end of a list appends).
Status SetAt(Item& item, const Path& path, AttributeValue v) {
  bool top;
  AttributeValue* parent = Parent(item, path, &top);
  const PathElement& last = path.back();
  if (top) {
    item.insert_or_assign(last.name, std::move(v));
    return Status::Ok();
  }
  if (parent == nullptr) return InvalidPath();
  if (last.is_index) {
    if (parent->type != AttrType::kL) return InvalidPath();
    if (static_cast<size_t>(last.index) < parent->list.size()) {
      parent->list[last.index] = std::move(v);
    } else {
      parent->list.push_back(std::move(v));
    }
  } else {
    if (parent->type != AttrType::kM) return InvalidPath();
    parent->map.insert_or_assign(last.name, std::move(v));
  }
  return Status::Ok();
}

Status RemoveAt(Item& item, const Path& path) {
  bool top;
  AttributeValue* parent = Parent(item, path, &top);
  const PathElement& last = path.back();
  if (top) {
    item.erase(last.name);
    return Status::Ok();
  }
  if (parent == nullptr) return InvalidPath();
  if (last.is_index) {
    if (parent->type != AttrType::kL) return InvalidPath();
    if (static_cast<size_t>(last.index) < parent->list.size()) {
      parent->list.erase(parent->list.begin() + last.index);
    }
  } else {
    if (parent->type != AttrType::kM) return InvalidPath();
    parent->map.erase(last.name);
  }
  return Status::Ok();
}

Status Add(Item& item, const UpdateAction& action) {
  const AttributeValue& v = action.value.value;
  AttributeValue* target = ResolvePathMutable(item, action.path);
  if (target == nullptr) return SetAt(item, action.path, v);
  Error mismatch =
      action.legacy ? Validation("Type mismatch for attribute to update") : WrongType();
  if (v.type != target->type) return mismatch;
  if (v.type == AttrType::kN) {
    ASSIGN_OR_RETURN(target->scalar, Arithmetic(target->scalar, v.scalar, false));
    return Status::Ok();
  }
  if (!v.is_set()) return mismatch;
  for (const std::string& m : v.set) {
    if (std::find(target->set.begin(), target->set.end(), m) == target->set.end()) {
      target->set.push_back(m);
    }
  }
  return Status::Ok();
}

Status Delete(Item& item, const UpdateAction& action) {
  const AttributeValue& v = action.value.value;
  AttributeValue* target = ResolvePathMutable(item, action.path);
  if (target == nullptr) {
    bool top;
    if (Parent(item, action.path, &top) == nullptr && !top) return InvalidPath();
    return Status::Ok();
  }
  if (v.type != target->type || !v.is_set()) {
    return action.legacy ? Validation("Type mismatch for attribute to update") : WrongType();
  }
  auto& members = target->set;
  members.erase(std::remove_if(members.begin(), members.end(),
                               [&v](const std::string& m) {
                                 return std::find(v.set.begin(), v.set.end(), m) != v.set.end();
                               }),
                members.end());
  if (members.empty()) return RemoveAt(item, action.path);
  return Status::Ok();
}

// Descending document order, so list elements go from the highest index.
bool RemoveBefore(const Path& a, const Path& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].is_index != b[i].is_index) return a[i].is_index;
    if (a[i].is_index) {
      if (a[i].index != b[i].index) return a[i].index > b[i].index;
    } else if (a[i].name != b[i].name) {
      return a[i].name > b[i].name;
    }
  }
  return a.size() > b.size();
}

// The order in which the SETs are written: expression order, except that the
// SETs of elements of one list (same parent path, last step an index) take
// the places of that group in ascending index order. DynamoDB sorts them so
// (Developer Guide, "Using update expressions", SET: "If you add multiple
// elements in a single SET operation, the elements are sorted in order by
// element number"), which makes several SETs past the end append in index
// order and keeps a replaced element from being overwritten by an append.
std::vector<size_t> SetOrder(const std::vector<const UpdateAction*>& sets) {
  std::vector<size_t> order(sets.size());
  std::iota(order.begin(), order.end(), 0);
  auto is_element = [&](size_t i) { return sets[i]->path.back().is_index; };
  auto same_list = [&](size_t i, size_t j) {
    const Path& a = sets[i]->path;
    const Path& b = sets[j]->path;
    return a.size() == b.size() && std::equal(a.begin(), a.end() - 1, b.begin(),
                                              [](const PathElement& x, const PathElement& y) {
                                                return x.is_index == y.is_index &&
                                                       x.index == y.index && x.name == y.name;
                                              });
  };
  std::vector<bool> grouped(sets.size(), false);
  for (size_t i = 0; i < sets.size(); ++i) {
    if (grouped[i] || !is_element(i)) continue;
    std::vector<size_t> slots;  // positions of the group, in expression order
    for (size_t j = i; j < sets.size(); ++j) {
      if (!grouped[j] && is_element(j) && same_list(i, j)) {
        grouped[j] = true;
        slots.push_back(j);
      }
    }
    std::vector<size_t> by_index = slots;
    std::sort(by_index.begin(), by_index.end(), [&](size_t a, size_t b) {
      return sets[a]->path.back().index < sets[b]->path.back().index;
    });
    for (size_t k = 0; k < slots.size(); ++k) order[slots[k]] = by_index[k];
  }
  return order;
}

// The plan applied to `item`; `present` is false when the item does not
// exist (it then holds only the key): REMOVE and DELETE have nothing to act
// on and are skipped, whatever their path.
Status Apply(const UpdatePlan& update, Item& item, bool present) {
  using K = UpdateAction::Kind;
  std::vector<const UpdateAction*> sets;
  std::vector<AttributeValue> set_values;
  for (const UpdateAction& a : update.actions) {
    if (a.kind != K::kSet) continue;
    ASSIGN_OR_RETURN(AttributeValue v, Compute(a.value, item, 0));
    sets.push_back(&a);
    set_values.push_back(std::move(v));
  }
  for (size_t i : SetOrder(sets)) {
    RETURN_IF_ERROR(SetAt(item, sets[i]->path, std::move(set_values[i])));
  }
  std::vector<const UpdateAction*> removes;
  if (present) {
    for (const UpdateAction& a : update.actions) {
      if (a.kind == K::kRemove) removes.push_back(&a);
    }
  }
  std::stable_sort(
      removes.begin(), removes.end(),
      [](const UpdateAction* a, const UpdateAction* b) { return RemoveBefore(a->path, b->path); });
  for (const UpdateAction* a : removes) RETURN_IF_ERROR(RemoveAt(item, a->path));
  for (const UpdateAction& a : update.actions) {
    if (a.kind == K::kAdd) RETURN_IF_ERROR(Add(item, a));
    if (a.kind == K::kDelete && present) RETURN_IF_ERROR(Delete(item, a));
  }
  return Status::Ok();
}

// True when the plan writes a value (SET, ADD), or is empty (an empty
// AttributeUpdates still creates the item, as an UpdateItem without an
// update does).
bool WritesAValue(const UpdatePlan& update) {
  if (update.actions.empty()) return true;
  return std::any_of(update.actions.begin(), update.actions.end(), [](const UpdateAction& a) {
    return a.kind == UpdateAction::Kind::kSet || a.kind == UpdateAction::Kind::kAdd;
  });
}

}  // namespace

Status ApplyUpdate(const UpdatePlan& update, Item& item) { return Apply(update, item, true); }

Result<std::optional<Item>> UpdatedItem(const UpdatePlan* update, const Item* current,
                                        const Item& key) {
  if (current != nullptr) {
    Item next = *current;
    if (update != nullptr) RETURN_IF_ERROR(Apply(*update, next, true));
    return std::optional<Item>(std::move(next));
  }
  if (update != nullptr && !WritesAValue(*update)) return std::optional<Item>();
  Item next = key;
  if (update != nullptr) RETURN_IF_ERROR(Apply(*update, next, false));
  return std::optional<Item>(std::move(next));
}

}  // namespace ddb::expr
