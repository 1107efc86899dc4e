// Time to live: UpdateTimeToLive / DescribeTimeToLive (ops.h), and the
// engine's side of the background sweeper (jobs/ttl_sweeper.h, which finds
// the expired items): deleting one.
//
// Each deletion is an ItemWrite marked with StreamIdentity::TimeToLive(), so
// its REMOVE stream record carries userIdentity {"type": "Service",
// "principalId": "dynamodb.amazonaws.com"}.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/engine/engine_context.h"

namespace ddb {

// Deletes the item at `key` of table `table_name` (instance `table_id`) if
// it is still expired at `now`, under its lock, after re-reading it; false
// if the table changed, the item is held by a transaction (the next pass
// retries) or is no longer expired. The sweeper's DeleteExpiredFn.
bool DeleteExpiredItem(EngineContext& ctx, const std::string& table_name, uint64_t table_id,
                       const std::string& key, double now);

}  // namespace ddb
