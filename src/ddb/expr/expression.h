// The DynamoDB expression language: one parser and AST for condition,
// filter, key-condition, projection and update expressions, and one
// evaluator. The legacy parameters (Expected, KeyConditions, QueryFilter,
// ScanFilter, AttributeUpdates, AttributesToGet) are translated into the same
// AST (see legacy.h).
//
// Parse a request's expressions once, with one ExpressionContext, then call
// ctx.CheckAllUsed() to raise DynamoDB's "unused placeholder" errors.
// Evaluation never re-reads text.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/model/attribute_value.h"

namespace ddb::expr {

// The placeholders a request supplied, and which of them its expressions
// used. `names` / `values` are null when the request did not supply
// ExpressionAttributeNames / ExpressionAttributeValues.
struct ExpressionContext {
  const std::map<std::string, std::string>* names = nullptr;
  const Item* values = nullptr;
  std::set<std::string> used_names;
  std::set<std::string> used_values;

  // After all expressions of a request are parsed: ValidationException
  // "Value provided in ExpressionAttributeNames unused in expressions: keys:
  // {#a, #b}" or "Value provided in ExpressionAttributeValues unused in
  // expressions: keys: {:v}" when a supplied placeholder was never used.
  Status CheckAllUsed() const;
};

// A document path: a top-level name followed by map keys and list indexes,
// e.g. a.b[2].c  ->  {name a}{name b}{index 2}{name c}. Names are resolved
// (no '#' placeholders left).
struct PathElement {
  std::string name;  // when !is_index
  int index = 0;     // when is_index
  bool is_index = false;
};
using Path = std::vector<PathElement>;
// Renders a path for messages: a.b[2].c
std::string PathToString(const Path& p);

// Looks a path up in an item; null when any step is missing or has the
// wrong type.
const AttributeValue* ResolvePath(const Item& item, const Path& path);

// ---- Condition and filter expressions --------------------------------------

struct ConditionNode;  // AST, defined in ast.h
using Condition = std::shared_ptr<const ConditionNode>;

// `which` names the parameter in messages: "ConditionExpression",
// "FilterExpression". Errors are ValidationExceptions worded as DynamoDB does,
// e.g. "Invalid ConditionExpression: Syntax error; token: \"<\", near: \"a <\"",
// "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved
// keyword: name", "Value provided in ExpressionAttributeValues unused...",
// "Invalid ConditionExpression: An expression attribute value used in
// expression is not defined; attribute value: :v", "Invalid
// ConditionExpression: An expression attribute name used in the document path
// is not defined; attribute name: #n", expression size over 4 KB, more than
// 100 IN operands, nesting deeper than 32.
Result<Condition> ParseCondition(std::string_view text, std::string_view which,
                                 ExpressionContext& ctx);

// Adds the top-level attribute names the condition reads to `out`.
void CollectTopLevelNames(const ConditionNode& cond, std::set<std::string>* out);

// True when the condition holds for `item` (an empty Item stands for "no
// item"). Type mismatches make comparisons false, as in DynamoDB.
bool Evaluate(const ConditionNode& cond, const Item& item);

// ---- Key conditions (Query) ---------------------------------------------------

enum class SortOp { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

struct KeyCondition {
  std::string hash_name;
  AttributeValue hash_value;
  struct Sort {
    std::string name;
    SortOp op = SortOp::kEq;
    AttributeValue v1;
    AttributeValue v2;  // BETWEEN's upper bound
  };
  std::optional<Sort> sort;
};

// Parses a KeyConditionExpression: `hash = :v` optionally AND-ed with one
// sort-key condition (=, <, <=, >, >=, BETWEEN .. AND .., begins_with). The
// order of the two conjuncts is free. Checks against the schema are the
// caller's (it knows the key names); this reports shape errors such as
// "Invalid operator used in KeyConditionExpression: OR" and "Query key
// condition not supported".
Result<KeyCondition> ParseKeyCondition(std::string_view text, ExpressionContext& ctx);

// The conjuncts of a KeyConditionExpression, in the expression's order, with
// ParseKeyCondition's shape checks but not its "1 or 2 conditions" rule:
// a GSI with multi-attribute keys takes up to 8 (its caller checks them
// against the schema).
Result<std::vector<KeyCondition::Sort>> ParseKeyConditionParts(std::string_view text,
                                                               ExpressionContext& ctx);
// ParseKeyCondition's second half: the rules that make `parts` one hash-key
// equality and at most one sort-key condition.
Result<KeyCondition> KeyConditionFromParts(std::vector<KeyCondition::Sort> parts);

// When both conjuncts are equalities the parser cannot tell the hash key from
// the sort key: it takes the first as the hash. Given the schema's hash key
// name, swaps the two when that guess was wrong.
void NormalizeKeyCondition(KeyCondition& kc, std::string_view hash_key_name);

// ---- Projection expressions ------------------------------------------------------

struct Projection {
  std::vector<Path> paths;
};
Result<Projection> ParseProjection(std::string_view text, ExpressionContext& ctx);
// The item restricted to the projection's paths (nested paths keep the
// enclosing maps; list elements keep their relative order, as DynamoDB does).
Item Project(const Projection& p, const Item& item);

// ---- Update expressions -------------------------------------------------------------

struct UpdatePlan;  // defined in ast.h
using Update = std::shared_ptr<const UpdatePlan>;

// Parses SET / REMOVE / ADD / DELETE clauses (each at most once, in any
// order). Errors as DynamoDB words them, e.g. "Invalid UpdateExpression: The
// "SET" section can only be used once in an update expression;", "Invalid
// UpdateExpression: Two document paths overlap with each other; must remove
// or rewrite one of these paths; path one: [a], path two: [a, b]".
Result<Update> ParseUpdate(std::string_view text, ExpressionContext& ctx);

// Applies the update to `item` (an item that exists) in place. Runtime errors
// are ValidationExceptions, e.g. "The provided expression refers to an
// attribute that does not exist in the item", "An operand in the update
// expression has an incorrect data type", "The document path provided in the
// update expression is invalid for update", "Number overflow. Attempting to
// store a number with magnitude larger than supported range" (also for a sum
// that needs more than 38 significant digits, as DynamoDB words it) and
// "Number underflow. ...". Several SETs of elements of one list are written
// in ascending index order, so SETs past the end append in index order.
Status ApplyUpdate(const UpdatePlan& update, Item& item);

// The item an UpdateItem (or a transaction's Update) leaves under a key.
// `current` is the stored item, null when there is none; `key` holds the
// request's key attributes; `update` is null when the request has neither
// UpdateExpression nor AttributeUpdates. Returns the new item, or nullopt
// when there is none: as DynamoDB does, a missing item is created (from `key`)
// only by an update that writes a value (SET, ADD, AttributeUpdates PUT/ADD),
// by an empty AttributeUpdates or by no update at all; one made only of
// REMOVE and DELETE actions (AttributeUpdates: only Action DELETE) leaves it
// missing. On a missing item, REMOVE and DELETE do nothing whatever their
// path (DynamoDB accepts REMOVE x.y there). Errors as ApplyUpdate; nothing is
// checked against the schema or the size limit here.
Result<std::optional<Item>> UpdatedItem(const UpdatePlan* update, const Item* current,
                                        const Item& key);

// The paths an update writes or removes (for UPDATED_OLD / UPDATED_NEW, and
// for "Cannot update attribute pk. This attribute is part of the key").
const std::vector<Path>& UpdatedPaths(const UpdatePlan& update);

}  // namespace ddb::expr
