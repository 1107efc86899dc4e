// Secondary-index entries: their keys, their projected values, and the
// batch operations that keep them exact.
//
// An entry's key is
//   "\x03" <index id:8> <index partition part> [<index sort part, delimited>]
//   <base partition part> [<base sort part>]
// The index sort part is escaped and terminated (0x00 -> 0x00 0xFF, end
// 0x00 0x01) so that it stays order-preserving when the base key follows it.
// An item lacking an index key attribute has no entry (sparse indexes).
//
// A GSI with a multi-attribute key (table_info.h) has as its partition part
// the partition parts (hash and value, key_codec.h) of its partition-key
// attributes one after the other, and as its sort part the delimited sort
// parts of its sort-key attributes one after the other: the entries of one
// partition are ordered by the sort-key attributes left to right, and a
// Query with equality on the first k sort-key attributes reads one prefix.
// A one-attribute key encodes as above, unchanged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ddb/format/table_info.h"
#include "ddb/model/attribute_value.h"
#include "ddb/storage/store.h"

namespace ddb {

// Prefix of all entries of an index, and its exclusive end.
std::string IndexPrefix(uint64_t index_id);
std::string IndexPrefixEnd(uint64_t index_id);
// Prefix of one index partition.
std::string IndexPartitionPrefix(uint64_t index_id, const AttributeValue& hash);
// Prefix of one partition of an index whose partition key has these values
// (one per partition-key attribute, in KeySchema order; one value gives the
// same prefix as the overload above).
std::string IndexPartitionPrefix(uint64_t index_id, const std::vector<AttributeValue>& hash);
// The order-preserving, self-delimiting form of an index sort key value.
void AppendDelimitedSortKey(const AttributeValue& v, std::string* out);
// The escaped bytes of a value without the terminator (for begins_with).
void AppendEscapedSortKeyPrefix(const AttributeValue& v, std::string* out);

// The entry key of `item` in `index`, or nullopt when the item lacks one of
// the index key attributes (or has it with another type).
std::optional<std::string> IndexEntryKey(const TableInfo& table, const IndexInfo& index,
                                         const Item& item);

// The attributes an index stores for `item` (keys of table and index, plus
// the projection).
Item ProjectForIndex(const TableInfo& table, const IndexInfo& index, const Item& item);

// The change in one index's entry count and size caused by a write.
struct IndexDelta {
  uint64_t index_id = 0;
  int64_t items = 0;
  int64_t bytes = 0;
  bool operator==(const IndexDelta&) const = default;
};

// The two states of an item across a write (either may be null: insert /
// delete), with what the write already knows of them: their DynamoDB sizes
// and the new item's stored form (stored_item.h). An index projecting ALL
// stores exactly that form, so it reuses it instead of copying, measuring
// and encoding the item once more.
struct ItemTransition {
  const Item* old_item = nullptr;
  size_t old_size = 0;  // ItemSize(*old_item), when there is one
  const Item* new_item = nullptr;
  size_t new_size = 0;  // ItemSize(*new_item), when there is one
  // EncodeStoredItem(*new_item, new_size), or null to have it encoded here.
  const std::string* new_stored = nullptr;
};

// Adds to `batch` the changes that take every index of `table` from the old
// item to the new one. When `deltas` is not null, appends each index's
// statistics change.
void AddIndexChanges(const TableInfo& table, const ItemTransition& t, WriteBatch& batch,
                     std::vector<IndexDelta>* deltas = nullptr);

}  // namespace ddb
