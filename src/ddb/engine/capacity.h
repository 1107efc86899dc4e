// Capacity: what a request costs in DynamoDB's read and write units, broken
// down per table and per index (ReturnConsumedCapacity=INDEXES), and how it
// is written into responses. All capacity arithmetic lives here (the
// Consumed type itself: jobs/capacity_units.h, as the throttler draws it).
//
// The rules (Amazon DynamoDB Developer Guide, "Read/write capacity mode",
// "Provisioned throughput considerations for global secondary indexes" and
// "... for local secondary indexes"):
//  - a read costs 4 KB units of the bytes read (at least 1), half when
//    eventually consistent; Query/Scan sum the bytes first, then round;
//  - a write costs 1 KB units (at least 1) of the larger of the item before
//    and after;
//  - every index the write touches costs a write of the size of its entry
//    (the projected attributes): an entry added or removed is one write, an
//    entry whose index key changes is two (a delete of the old entry and a
//    put of the new one), an entry whose projected attributes change in place
//    is one, and an item outside the index before and after costs nothing;
//  - a Query/Scan of an index charges that index; a local secondary index
//    read that fetches non-projected attributes also charges the table for
//    the fetched items.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ddb/engine/item_common.h"
#include "ddb/format/catalog.h"
#include "ddb/jobs/capacity_units.h"
#include "ddb/model/json_codec.h"

namespace ddb {

// What one item write (put, update or delete; `old_item`/`new_item` null when
// absent) costs, and how much it grows the item collection of its partition
// (table item plus local-index entries; meaningful for tables with LSIs).
struct WriteCharge {
  Consumed units;
  int64_t collection_delta = 0;
};
WriteCharge ChargeForWrite(const TableInfo& table, const Item* old_item, size_t old_size,
                           const Item* new_item, size_t new_size);

// The cost of a failed conditional write: the table alone, for the item read.
Consumed ChargeForFailedWrite(size_t old_size);

// Writes one ConsumedCapacity object ({TableName, CapacityUnits, ...}) for
// `mode` (kTotal or kIndexes). `read` selects ReadCapacityUnits vs
// WriteCapacityUnits.
void WriteCapacityObject(CapacityMode mode, const std::string& table_name, const Consumed& c,
                         bool read, JsonWriter& w);
// "ConsumedCapacity": {...} when mode != kNone.
void WriteConsumedCapacity(CapacityMode mode, const std::string& table_name, const Consumed& c,
                           bool read, JsonWriter& w);

// Per-table totals of a multi-table request (batches, transactions), in table
// name order.
class CapacityByTable {
 public:
  void Add(const std::string& table_name, const Consumed& c) { by_table_[table_name].Add(c); }
  bool empty() const { return by_table_.empty(); }
  // "ConsumedCapacity": [...] when mode != kNone.
  void Write(CapacityMode mode, bool read, JsonWriter& w) const;

 private:
  std::map<std::string, Consumed> by_table_;
};

}  // namespace ddb
