// Time to live: UpdateTimeToLive / DescribeTimeToLive (ops.h) and the
// background sweeper that deletes expired items.
//
// An item expires when its TTL attribute is a Number of epoch seconds not
// after now (and not more than five years in the past, which DynamoDB
// ignores). The sweeper visits the tables with TTL enabled every
// EngineOptions::ttl_sweep_seconds and deletes each expired item under the
// item's lock, after re-reading it: an item rewritten meanwhile with a later
// expiry (or without one) stays. Each deletion is an ItemWrite marked with
// StreamIdentity::TimeToLive(), so its REMOVE stream record carries
// userIdentity {"type": "Service", "principalId": "dynamodb.amazonaws.com"}. Until it is swept an
// expired item is still returned by reads, as in DynamoDB.
#pragma once

#include <atomic>
#include <cstddef>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_write.h"

namespace ddb {

// True if `item` has expired at `now` under TTL attribute `attribute`.
bool TtlExpired(const Item& item, const std::string& attribute, double now);

// One pass over every table with TTL enabled; returns the number of items
// deleted. Stops early when `stopping` becomes true.
size_t SweepExpiredItems(EngineContext& ctx, const std::atomic<bool>* stopping = nullptr);

// Starts the periodic sweeper on ctx.background (no-op when the period is 0).
void StartTtlSweeper(EngineContext& ctx);

// A write the service makes itself (a TTL deletion, a restored item), not a
// client: no capacity charged, no condition. The caller holds the item's
// lock and has Load()ed `w`. Keeps indexes, statistics and (LSI tables)
// item-collection sizes exact.
Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w);

}  // namespace ddb
