// Translation of a parsed PartiQL statement (statement.h) into a request of
// one of the engine's JSON operations (GetItem, Query, Scan, PutItem,
// UpdateItem, DeleteItem, and the Get / Put / Update / Delete /
// ConditionCheck entries of TransactGetItems / TransactWriteItems), with
// the WHERE clause as a KeyConditionExpression, FilterExpression or
// ConditionExpression. Running the operation is the caller's (the engine's
// partiql_ops.cc): PartiQL thereby reads and writes through exactly the
// JSON API's paths (indexes, streams, capacity, throttling, transactions).
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/partiql/statement.h"

namespace ddb::partiql {

// One key attribute: its name and type (S, N or B).
struct KeyPart {
  std::string name;
  AttrType type = AttrType::kS;
};

// A key schema's attribute names and types.
struct KeyNames {
  std::string hash;
  AttrType hash_type = AttrType::kS;
  std::optional<std::string> range;
  AttrType range_type = AttrType::kS;
  // A GSI with a multi-attribute key: its partition-key and sort-key
  // attributes after the first of each, in KeySchema order (empty for
  // one-attribute keys). A Query on it needs an equality on every
  // partition-key attribute.
  std::vector<KeyPart> more_hash;
  std::vector<KeyPart> more_range;

  // Every partition-key (sort-key) attribute in KeySchema order.
  std::vector<KeyPart> HashParts() const;
  std::vector<KeyPart> RangeParts() const;
};

// The key schemas a statement on one table may use.
struct TableKeys {
  KeyNames table;
  std::map<std::string, KeyNames> indexes;  // GSIs and LSIs by name
};

// One request for an engine operation.
struct EngineRequest {
  enum class Op : uint8_t {
    kGetItem,
    kQuery,
    kScan,
    kPutItem,
    kUpdateItem,
    kDeleteItem,
    kConditionCheck,  // a TransactWriteItems ConditionCheck entry
  };
  Op op = Op::kScan;
  // The request body: TableName, Key / Item, IndexName, the expressions and
  // their placeholders, ScanIndexForward, ReturnValues. The caller adds what
  // comes from the PartiQL request (Limit, ConsistentRead,
  // ExclusiveStartKey, ReturnConsumedCapacity,
  // ReturnValuesOnConditionCheckFailure).
  rapidjson::Document body;
  // INSERT: a failed condition means the key exists (DuplicateItemException).
  bool is_insert = false;
};

// SELECT for ExecuteStatement: a Query when the WHERE clause has an equality
// on every partition-key attribute of the table or index read (with the
// sort-key conditions the Query path accepts, left to right, in the key
// condition, the rest as the filter),
// else a Scan with the whole WHERE clause as the filter. Errors:
// "The table does not have the specified index: <name>"; ORDER BY without
// a partition-key equality; unsupported constructs.
Result<EngineRequest> TranslateSelect(const Statement& s, const TableKeys& keys);

// SELECT for ExecuteStatement, with an IN list (or an OR of equalities) on
// a partition-key attribute read as one Query per value ("multi-partition"
// reads, ql-reference.select.html): the requests in the list's order,
// duplicates dropped, each TranslateSelect's of the statement with that
// condition an equality. Otherwise, or when a value's statement would not
// be a Query, the one request TranslateSelect makes. Errors: TranslateSelect's,
// and more than kMaxPartitionValues values.
inline constexpr size_t kMaxPartitionValues = 50;  // ql-operators.html
Result<std::vector<EngineRequest>> TranslateSelectAll(const Statement& s, const TableKeys& keys);

// SELECT naming one item (BatchExecuteStatement, ExecuteTransaction): a
// GetItem. The WHERE clause must be equalities on every key attribute and
// nothing else.
Result<EngineRequest> TranslateGet(const Statement& s, const TableKeys& keys);

// INSERT (PutItem, condition: the key is free), UPDATE (UpdateItem,
// condition: the item exists, and the rest of the WHERE clause), DELETE
// (DeleteItem, condition: the rest of the WHERE clause holds if the item
// exists) and EXISTS (ConditionCheck: the item exists and the rest holds).
// UPDATE, DELETE and EXISTS need an equality on every key attribute:
// "Where clause does not contain a mandatory equality on all key
// attributes".
Result<EngineRequest> TranslateWrite(const Statement& s, const TableKeys& keys);

}  // namespace ddb::partiql
