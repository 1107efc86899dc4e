// The point-in-time log's records on disk (key layout: keys.h, prefix
// "\x06"; the log that writes and trims them: pitr_log.h):
//   "\x06" "\x00" <table id:8> <time:8> <n:4>   undo record n of a commit:
//       <1: 0 absent | 1 present> <item key length:4> <item key> [<stored item>]
//       where <item key> is the item's storage key without its table prefix
//       and the stored item (stored_item.h) is its image before the commit
//   "\x06" "\x01" <restore id:8> <item key>     a restore's scratch: 1 byte
//       absent|present, then the stored item (engine/pitr_restore.h)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/common/error.h"

namespace ddb::pitr {

// An undo record's value, decoded (views into the stored bytes).
struct UndoRecord {
  bool present = false;
  std::string_view item_key;
  std::string_view stored;  // the previous item when present
};

// The value of an undo record: the item at `item_key` was absent before the
// commit, or present as `stored`.
std::string EncodeUndoRecord(bool present, std::string_view item_key, std::string_view stored);
// InternalServerError "corrupt point-in-time log record" if malformed.
Result<UndoRecord> ParseUndoRecord(std::string_view value);

// The table id of an undo record's key.
uint64_t TableIdOfUndoKey(std::string_view key);

// A restore's scratch value: the item's image at the restore time.
std::string EncodeScratchValue(const UndoRecord& r);
struct ScratchImage {
  bool present = false;
  std::string_view stored;  // when present
};
ScratchImage ParseScratchValue(std::string_view value);

}  // namespace ddb::pitr
