// ItemChange: one item's change as the logs record it (a stream record,
// stream_log.h; a point-in-time undo record, pitr_log.h). The write path
// (engine/item_write.h) describes each write it commits with one, so the
// logs need nothing of the operations above them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ddb/format/table_info.h"
#include "ddb/model/attribute_value.h"

namespace ddb {

// The userIdentity of a stream record. Unset on ordinary writes; TTL
// deletions carry StreamIdentity::TimeToLive().
struct StreamIdentity {
  std::string type;
  std::string principal_id;
  static StreamIdentity TimeToLive() { return {"Service", "dynamodb.amazonaws.com"}; }
};

// Views of the write's parts; valid while the write is.
struct ItemChange {
  const TableInfo* table = nullptr;  // the schema the write was made under
  std::string_view key;              // the item's storage key (keys.h)
  const Item* old_item = nullptr;    // null: the item was absent
  size_t old_size = 0;
  std::string_view old_stored;     // old_item as stored (stored_item.h)
  const Item* new_item = nullptr;  // null: the item is deleted
  size_t new_size = 0;
  std::string_view new_stored;               // new_item as stored, if known (else empty)
  const StreamIdentity* identity = nullptr;  // null: an ordinary write
};

}  // namespace ddb
