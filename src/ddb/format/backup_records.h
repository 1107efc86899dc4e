// On-demand backups on disk (key layout: keys.h, prefix "\x05"):
//   "\x05" "m" <backup arn>                 the backup's metadata (SerializeBackup's
//                                           JSON, with the table's TableInfo at
//                                           backup time)
//   "\x05" "i" <backup id:8> <item key>     a copied item, stored as in the table;
//                                           <item key> is the item's storage key
//                                           without its table prefix
// Index entries are not copied: a restore rebuilds them from the items. The
// operations that make, list and restore backups: engine/backup.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/format/table_info.h"
#include "ddb/storage/store.h"

namespace ddb::backups {

struct Backup {
  std::string arn, name;
  std::string type = "USER";
  std::string status = "AVAILABLE";
  uint64_t id = 0;
  double created = 0;
  int64_t size_bytes = 0;
  int64_t item_count = 0;
  TableInfo table;  // as it was when the backup was made
};

std::string SerializeBackup(const Backup& b);
// InternalServerError "corrupt backup metadata" if malformed.
Result<Backup> ParseBackup(std::string_view json);

// The backup with `arn`, or nullopt.
Result<std::optional<Backup>> LoadBackup(const Store& store, std::string_view arn);
// Every backup, oldest first.
Result<std::vector<Backup>> LoadAll(const Store& store);

}  // namespace ddb::backups
