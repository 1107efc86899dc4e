// Time to live: the background sweeper that deletes expired items. (The
// operations UpdateTimeToLive / DescribeTimeToLive, and the deletion itself:
// engine/ttl.h.)
//
// An item expires when its TTL attribute is a Number of epoch seconds not
// after now (and not more than five years in the past, which DynamoDB
// ignores). The sweeper visits the tables with TTL enabled every
// EngineOptions::ttl_sweep_seconds and hands each expired item it finds to
// the engine's deletion, which deletes it under the item's lock after
// re-reading it: an item rewritten meanwhile with a later expiry (or without
// one) stays. Until it is swept an expired item is still returned by reads,
// as in DynamoDB.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "ddb/jobs/job_context.h"
#include "ddb/model/attribute_value.h"

namespace ddb {

// True if `item` has expired at `now` under TTL attribute `attribute`.
bool TtlExpired(const Item& item, const std::string& attribute, double now);

// Deletes the item at storage key `key` of table `table_name` (instance
// `table_id`) if it is still expired at `now`; true if it did.
using DeleteExpiredFn = std::function<bool(const std::string& table_name, uint64_t table_id,
                                           const std::string& key, double now)>;

// One pass over every table with TTL enabled; returns the number of items
// deleted. Stops early when `stopping` becomes true.
size_t SweepExpiredItems(const JobContext& jobs, const DeleteExpiredFn& delete_expired,
                         const std::atomic<bool>* stopping = nullptr);

// Starts the periodic sweeper on jobs.background, one pass every
// `period_seconds` (no-op when the period is 0 or less).
void StartTtlSweeper(const JobContext& jobs, double period_seconds, DeleteExpiredFn delete_expired);

}  // namespace ddb
