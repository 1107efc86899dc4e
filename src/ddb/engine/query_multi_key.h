// Query on a GSI with multi-attribute keys (DynamoDB, November 2025): the
// key condition's rules and the range of index entries it reads.
//
// Every partition-key attribute needs an equality; the sort-key attributes
// may be given left to right, each but the last with an equality, the last
// with =, <, <=, >, >=, BETWEEN or begins_with (the Developer Guide's
// "Multi-attribute keys pattern" page). The entry layout is index_keys.h's.
#pragma once

#include <string>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/expr/expression.h"
#include "ddb/format/table_info.h"

namespace ddb::ops {

// The storage keys a Query reads: [lower, upper), inside the partition
// whose entries all start with `partition`.
struct QueryRange {
  std::string partition;
  std::string lower;
  std::string upper;
};

// Checks `parts` (the key condition's conjuncts, any order) against the
// key schema of `index`, which is multi-attribute, and returns the range
// they select. On error returns a ValidationException with DynamoDB's
// message where known (the others are marked as guesses in the source).
Result<QueryRange> PlanMultiKeyQuery(const IndexInfo& index,
                                     const std::vector<expr::KeyCondition::Sort>& parts);

}  // namespace ddb::ops
