// An item's primary key: taken from the item and turned into its storage
// key (keys.h). Validating a key a client sent is the operations' business
// (engine/item_common.h).
#pragma once

#include <optional>
#include <string>

#include "ddb/format/table_info.h"
#include "ddb/model/attribute_value.h"

namespace ddb {

struct PrimaryKey {
  AttributeValue hash;
  std::optional<AttributeValue> range;
};

// The primary key of a stored item (which has all key attributes).
PrimaryKey KeyOfItem(const KeySchema& schema, const Item& item);
std::string StorageKey(const TableInfo& table, const PrimaryKey& key);
// The key attributes of `item` as an Item (for LastEvaluatedKey): every
// attribute of a multi-attribute key.
Item KeyItem(const KeySchema& schema, const Item& item);

}  // namespace ddb
