// The parsed form of one PartiQL statement as DynamoDB accepts it: SELECT,
// INSERT, UPDATE, DELETE, and EXISTS(SELECT ...) (transactions only).
// Literals and `?` parameters are already AttributeValues; paths are
// expr::Paths (no placeholders). Made by Parse (parser.h), read by the
// translation into the engine's operations (translate.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ddb/expr/expression.h"
#include "ddb/model/attribute_value.h"

namespace ddb::partiql {

// One node of a WHERE clause or of a SET value: PartiQL does not tell
// conditions from values syntactically, so both are one tree; the
// translation checks each node is used where it makes sense.
struct Expr {
  enum class Kind : uint8_t {
    kPath,       // path
    kValue,      // value (a literal or a parameter)
    kCall,       // name(args...), name lower-cased: size, begins_with, ...
    kCompare,    // args[0] op args[1]; op one of = <> < <= > >=
    kArith,      // args[0] op args[1]; op one of + -
    kAnd,        // args[0] AND args[1] AND ...
    kOr,         // args[0] OR args[1] OR ...
    kNot,        // NOT args[0]
    kBetween,    // args[0] BETWEEN args[1] AND args[2]
    kIn,         // args[0] IN [args[1], ...]
    kIsMissing,  // args[0] IS MISSING (negated: IS NOT MISSING)
    kIsNull,     // args[0] IS NULL (negated: IS NOT NULL)
  };
  Kind kind = Kind::kValue;
  std::string op;  // kCompare, kArith; the function name of kCall
  bool negated = false;
  expr::Path path;
  AttributeValue value;
  std::vector<Expr> args;
};

// RETURNING of UPDATE and DELETE.
enum class Returning : uint8_t { kNone, kAllOld, kModifiedOld, kAllNew, kModifiedNew };

// One SET of UPDATE: path = value.
struct SetClause {
  expr::Path path;
  Expr value;
};

struct Statement {
  enum class Kind : uint8_t { kSelect, kInsert, kUpdate, kDelete, kExists };
  Kind kind = Kind::kSelect;
  std::string table;
  std::optional<std::string> index;  // SELECT ... FROM "table"."index"

  // SELECT: the projection (empty = `*`), ORDER BY.
  std::vector<expr::Path> projection;
  std::optional<std::string> order_by;
  bool order_desc = false;

  // SELECT, UPDATE, DELETE, EXISTS (its SELECT's): the WHERE clause.
  std::optional<Expr> where;

  // INSERT: the item.
  Item item;

  // UPDATE: the SET and REMOVE clauses in statement order.
  std::vector<SetClause> sets;
  std::vector<expr::Path> removes;
  Returning returning = Returning::kNone;

  bool is_read() const { return kind == Kind::kSelect; }
};

}  // namespace ddb::partiql
