// ApplyUpdate: runs an UpdatePlan against an item.
//
// Order, as DynamoDB behaves: every SET value is computed from the item as it
// was before the update; then the SETs are written, the REMOVEs run (list
// elements by descending index, so that every index refers to the original
// list), and the ADDs and DELETEs are applied.
#include <algorithm>
#include <numeric>

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
      ASSIGN_OR_RETURN(std::string n, op.kind == Operand::Kind::kPlus
                                          ? AddNumbers(a.scalar, b.scalar)
                                          : SubtractNumbers(a.scalar, b.scalar));
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
    ASSIGN_OR_RETURN(target->scalar, AddNumbers(target->scalar, v.scalar));
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

}  // namespace

Status ApplyUpdate(const UpdatePlan& update, Item& item) {
  using K = UpdateAction::Kind;
  std::vector<AttributeValue> set_values;
  for (const UpdateAction& a : update.actions) {
    if (a.kind != K::kSet) continue;
    ASSIGN_OR_RETURN(AttributeValue v, Compute(a.value, item, 0));
    set_values.push_back(std::move(v));
  }
  size_t next = 0;
  std::vector<const UpdateAction*> removes;
  for (const UpdateAction& a : update.actions) {
    if (a.kind == K::kSet) {
      RETURN_IF_ERROR(SetAt(item, a.path, std::move(set_values[next++])));
    } else if (a.kind == K::kRemove) {
      removes.push_back(&a);
    }
  }
  std::stable_sort(
      removes.begin(), removes.end(),
      [](const UpdateAction* a, const UpdateAction* b) { return RemoveBefore(a->path, b->path); });
  for (const UpdateAction* a : removes) RETURN_IF_ERROR(RemoveAt(item, a->path));
  for (const UpdateAction& a : update.actions) {
    if (a.kind == K::kAdd) RETURN_IF_ERROR(Add(item, a));
    if (a.kind == K::kDelete) RETURN_IF_ERROR(Delete(item, a));
  }
  return Status::Ok();
}

}  // namespace ddb::expr
