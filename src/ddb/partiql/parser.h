// Parsing of DynamoDB's PartiQL statements into the Statement tree
// (statement.h).
//
// Accepted (keywords case-insensitive, names bare or "double-quoted"):
//   SELECT * | path, ... FROM table[.index] [WHERE cond]
//          [ORDER BY name [ASC|DESC]]
//   INSERT INTO table VALUE {'name': value, ...}      (or VALUE ?)
//   UPDATE table (SET path = value | REMOVE path)... WHERE cond
//          [RETURNING ALL OLD * | MODIFIED OLD * | ALL NEW * | MODIFIED NEW *]
//   DELETE FROM table WHERE cond [RETURNING ALL OLD *]
//   EXISTS(SELECT ...)                                  (transactions)
// Conditions: = <> != < <= > >=, [NOT] BETWEEN x AND y, [NOT] IN [..] / (..),
// IS [NOT] MISSING, AND, OR, NOT, parentheses, function calls
// (begins_with, contains, size, attribute_type, attribute_exists,
// attribute_not_exists; which calls are allowed where is the translation's
// concern) and + / - in SET values. Values: 'strings', numbers, TRUE,
// FALSE, NULL, {'map': ...}, [lists], <<sets>> and `?` parameters. Paths:
// a.b[0]."c d".
#pragma once

#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/partiql/statement.h"

namespace ddb::partiql {

// Parses `text` with the request's `params` substituted for its `?`s, in
// order. Errors are ValidationExceptions: "Statement wasn't well formed,
// can't be processed: <detail>" for syntax errors; "Number of parameters in
// request and statement don't match." when the counts differ; the model's
// number and set errors for bad literals.
Result<Statement> Parse(std::string_view text, const std::vector<AttributeValue>& params);

}  // namespace ddb::partiql
