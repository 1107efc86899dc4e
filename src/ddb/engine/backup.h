// On-demand backups (CreateBackup, DescribeBackup, ListBackups,
// DeleteBackup, RestoreTableFromBackup: ops.h) and the restore machinery
// point-in-time recovery shares.
//
// A backup is a copy of a table's items taken from one consistent snapshot
// of the store (a RocksDB iterator), so writes never stop while it is made.
// How it is stored: format/backup_records.h. Index entries are not copied: a
// restore rebuilds them from the items, under the indexes the restored table
// has (the backup's, or the overrides).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/format/catalog.h"
#include "ddb/storage/store.h"

namespace ddb::backups {

// Reads the overrides of a restore request (BillingModeOverride,
// ProvisionedThroughputOverride, GlobalSecondaryIndexOverride,
// LocalSecondaryIndexOverride, SSESpecificationOverride) and makes the
// restored table's TableInfo from `source`: named `target`, status CREATING,
// no tags, stream, TTL, PITR or deletion protection (DynamoDB restores none
// of them). Shape errors are added to `c` by ParseRestoreOverrides; the
// semantic ones are returned by MakeRestoredInfo.
struct RestoreOverrides {
  std::optional<std::string> billing_mode;
  ops::tables::ThroughputReq throughput;
  std::optional<std::vector<ops::tables::IndexReq>> gsis, lsis;
};
Result<RestoreOverrides> ParseRestoreOverrides(const rapidjson::Value& req,
                                               ops::tables::Constraints& c);
Result<TableInfo> MakeRestoredInfo(EngineContext& ctx, const TableInfo& source,
                                   const RestoreOverrides& overrides, const std::string& target);

// The items a restore copies: each call yields the next item's key (its
// storage key without the table prefix) and its stored form, or false once
// there are no more.
using RestoreSource = std::function<Result<bool>(std::string* item_key, std::string* stored)>;

// Creates the restored table (TableAlreadyExistsException "Table already
// exists: <name>" if the name is taken), copies the items of `next` into it
// with their index entries, then makes it ACTIVE.
Result<TablePtr> RestoreInto(EngineContext& ctx, TableInfo info, const RestoreSource& next);
// The same with the items of `cursor`: each key is the table prefix plus
// the cursor key after `key_prefix_len` bytes.
Result<TablePtr> RestoreInto(EngineContext& ctx, TableInfo info, Cursor& cursor,
                             size_t key_prefix_len);

// TableNotFoundException "Table not found: <name>" (backup and PITR calls).
Error TableNotFoundForBackup(const std::string& name);

}  // namespace ddb::backups
