// Catalog: the set of tables, kept in memory and persisted in the store
// under the catalog prefix. Safe for concurrent use.
//
// A table is handed out as a shared_ptr<Table>; its TableInfo is immutable
// (updates swap in a new Table sharing the same statistics), so a reader
// holding one never sees a half-changed schema.
#pragma once

#include <atomic>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/format/table_info.h"
#include "ddb/storage/store.h"

namespace ddb {

// Live counters of a table, shared by all versions of its Table.
struct LiveStats {
  std::atomic<int64_t> item_count{0};
  std::atomic<int64_t> size_bytes{0};
  // Adds to an index's counters.
  void AddIndex(uint64_t index_id, int64_t items, int64_t bytes) {
    std::lock_guard lock(index_mu);
    auto& s = indexes[index_id];
    s.item_count += items;
    s.size_bytes += bytes;
  }
  TableStats Snapshot() const {
    TableStats s{item_count.load(), size_bytes.load()};
    std::lock_guard lock(index_mu);
    s.indexes = indexes;
    return s;
  }
  mutable std::mutex index_mu;
  std::map<uint64_t, TableStats::Index> indexes;
};

struct Table {
  TableInfo info;
  std::shared_ptr<LiveStats> stats;
};
using TablePtr = std::shared_ptr<const Table>;

// True if a table in `status` serves data-plane calls: ACTIVE or UPDATING.
// DynamoDB refuses them on a CREATING or DELETING table with
// ResourceNotFoundException (dynalite's getTable, checked against DynamoDB).
bool IsServing(std::string_view status);

// Ok if `table` may be changed (DeleteTable, UpdateTable); for a CREATING
// table ResourceInUseException "Attempt to change a resource which is still
// in use: Table is being created: <name>" (DynamoDB's answer, as dynalite's
// deleteTable and updateTable tests record it).
Status CheckChangeable(const Table& table);

// Serializes the read-modify-write changes of the catalog (the table
// operations, a backfill marking its index ACTIVE, restores): two updates of
// one table never lose each other's change, and a table cannot be dropped or
// re-created between an update's read and write.
std::mutex& SchemaMutex();

class Catalog {
 public:
  // `max_tables`: how many tables Create allows to exist at once
  // (EngineOptions::max_tables); no limit for a catalog opened to be read.
  explicit Catalog(Store* store, size_t max_tables = std::numeric_limits<size_t>::max());

  // Loads all tables from the store with their counters: those a clean
  // shutdown saved (SaveStats; the record is deleted before Load returns),
  // else recounted from every item and index entry. recounted() tells which.
  Status Load();

  // Saves every table's counters for the next Load (saved_stats.h). Call it
  // once nothing writes any more (Engine::Close): a write after it would
  // make the saved counters wrong.
  Status SaveStats();

  // True if the last Load recounted the items (no saved counters).
  bool recounted() const { return recounted_; }

  // The table for data-plane access (items, queries, batches, transactions,
  // PartiQL), or ResourceNotFoundException "Requested resource not found"
  // (DynamoDB's wording for an unknown table in data-plane calls) if it is
  // absent or not serving (IsServing: a table being created by an import or
  // a restore answers as if it did not exist, as DynamoDB does).
  Result<TablePtr> Get(std::string_view name) const;
  // The table whatever its status, or null if absent: for the control plane
  // (DescribeTable shows CREATING) and the jobs that fill a CREATING table.
  TablePtr Find(std::string_view name) const;

  // Adds a new table (assigning info.id and index ids). ResourceInUseException
  // "Table already exists: <name>" if the name is taken; LimitExceededException
  // "Subscriber limit exceeded: There is a limit of <max_tables> tables per
  // subscriber" (DynamoDB's wording) if `max_tables` tables exist already.
  Result<TablePtr> Create(TableInfo info);

  // Replaces the table's info (same name, same id), persisting it.
  Result<TablePtr> Replace(const TableInfo& info);

  // Removes the table and all its items, index entries and point-in-time
  // log in one batch.
  Result<TablePtr> Drop(std::string_view name);

  // All table names in ascending order.
  std::vector<std::string> Names() const;

  // A fresh id for an index added later.
  uint64_t NextId();

 private:
  Store* store_;
  const size_t max_tables_;
  mutable std::shared_mutex mu_;
  std::map<std::string, TablePtr, std::less<>> tables_;
  std::atomic<uint64_t> next_id_{1};
  bool recounted_ = false;
};

}  // namespace ddb
