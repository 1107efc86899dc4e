#include "ddb/engine/backup.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>

#include "ddb/common/clock.h"
#include "ddb/common/mix64.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/service_write.h"
#include "ddb/engine/table_description.h"
#include "ddb/format/backup_records.h"
#include "ddb/format/catalog.h"
#include "ddb/format/keys.h"

namespace ddb {
namespace backups {
namespace {

using namespace ops::tables;  // NOLINT: Constraints, CheckName, index validation

constexpr size_t kCopyBatch = 256;
constexpr size_t kMinArnLength = 37;
constexpr int64_t kMaxListLimit = 100;

// DynamoDB's form: <table arn>/backup/<ms since epoch, 14 digits>-<8 hex>.
std::string MakeArn(const TableInfo& t, double created, uint64_t id) {
  auto ms = static_cast<long long>(created * 1000.0 + 0.5);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%014lld-%08" PRIx64, ms,
                Mix64(id ^ static_cast<uint64_t>(ms)) & uint64_t{0xffffffff});
  return t.Arn() + "/backup/" + buf;
}

// ---- Wire form -------------------------------------------------------------------

Error BackupNotFound(std::string_view arn) {
  return Error{ErrorCode::kBackupNotFound, "Backup not found: " + std::string(arn)};
}

void WriteCapacity(const Throughput& t, JsonWriter& w) {
  w.StartObject();
  w.Key("ReadCapacityUnits");
  w.Int64(t.read);
  w.Key("WriteCapacityUnits");
  w.Int64(t.write);
  w.EndObject();
}

void WriteBackupDetails(const Backup& b, JsonWriter& w) {
  w.StartObject();
  w.Key("BackupArn");
  w.String(b.arn);
  w.Key("BackupName");
  w.String(b.name);
  w.Key("BackupSizeBytes");
  w.Int64(b.size_bytes);
  w.Key("BackupStatus");
  w.String(b.status);
  w.Key("BackupType");
  w.String(b.type);
  w.Key("BackupCreationDateTime");
  w.Double(b.created);
  w.EndObject();
}

void WriteBackupDescription(const Backup& b, JsonWriter& w) {
  const TableInfo& t = b.table;
  w.StartObject();
  w.Key("BackupDescription");
  w.StartObject();
  w.Key("BackupDetails");
  WriteBackupDetails(b, w);
  w.Key("SourceTableDetails");
  w.StartObject();
  w.Key("TableName");
  w.String(t.name);
  w.Key("TableId");
  w.String(TableIdOf(t));
  w.Key("TableArn");
  w.String(t.Arn());
  w.Key("TableSizeBytes");
  w.Int64(b.size_bytes);
  w.Key("KeySchema");
  WriteKeySchemaDescription(t.key, w);
  w.Key("TableCreationDateTime");
  w.Double(t.creation_time);
  w.Key("ProvisionedThroughput");
  WriteCapacity(t.throughput, w);
  w.Key("ItemCount");
  w.Int64(b.item_count);
  w.Key("BillingMode");
  w.String(t.billing_mode);
  w.EndObject();
  w.Key("SourceTableFeatureDetails");
  w.StartObject();
  // LocalSecondaryIndexes, then GlobalSecondaryIndexes (with throughput).
  auto write_indexes = [&](const char* key, const std::vector<IndexInfo>& indexes, bool global) {
    if (indexes.empty()) return;
    w.Key(key);
    w.StartArray();
    for (const auto& i : indexes) {
      w.StartObject();
      w.Key("IndexName");
      w.String(i.name);
      w.Key("KeySchema");
      WriteKeySchemaDescription(i.key, w);
      w.Key("Projection");
      WriteProjectionDescription(i, w);
      if (global) {
        w.Key("ProvisionedThroughput");
        WriteCapacity(i.throughput, w);
      }
      w.EndObject();
    }
    w.EndArray();
  };
  write_indexes("LocalSecondaryIndexes", t.lsis, false);
  write_indexes("GlobalSecondaryIndexes", t.gsis, true);
  if (t.stream_enabled) {
    w.Key("StreamDescription");
    w.StartObject();
    w.Key("StreamEnabled");
    w.Bool(true);
    w.Key("StreamViewType");
    w.String(t.stream_view_type);
    w.EndObject();
  }
  w.Key("TimeToLiveDescription");
  w.StartObject();
  w.Key("TimeToLiveStatus");
  w.String(t.ttl_enabled ? "ENABLED" : "DISABLED");
  if (t.ttl_enabled) {
    w.Key("AttributeName");
    w.String(t.ttl_attribute);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

// BackupArn: required, at least 37 characters.
void CheckArn(Constraints& c, const std::optional<std::string>& arn, const std::string& path,
              bool required) {
  if (!arn) {
    if (required) c.Null(path);
  } else if (arn->size() < kMinArnLength) {
    c.Fail(Quote(*arn), path, "Member must have length greater than or equal to 37");
  } else if (arn->size() > 1024) {
    c.Fail(Quote(*arn), path, "Member must have length less than or equal to 1024");
  }
}

Result<std::optional<double>> OptTime(const rapidjson::Value& req, std::string_view name) {
  const auto* v = Member(req, name);
  if (!v) return std::optional<double>();
  if (!v->IsNumber()) return Serialization("Unexpected value type in payload");
  return std::optional<double>(v->GetDouble());
}

}  // namespace

Error TableNotFoundForBackup(const std::string& name) {
  return Error{ErrorCode::kTableNotFound, "Table not found: " + name};
}

// ---- Restore -----------------------------------------------------------------

Result<RestoreOverrides> ParseRestoreOverrides(const rapidjson::Value& req, Constraints& c) {
  RestoreOverrides o;
  ASSIGN_OR_RETURN(o.billing_mode, OptString(req, "BillingModeOverride"));
  CheckEnum(c, o.billing_mode, "billingModeOverride", {"PROVISIONED", "PAY_PER_REQUEST"},
            "[PROVISIONED, PAY_PER_REQUEST]");
  ASSIGN_OR_RETURN(const Value* pt,
                   OptStruct(req, "ProvisionedThroughputOverride", "ProvisionedThroughput"));
  if (pt) {
    o.throughput.present = true;
    ASSIGN_OR_RETURN(o.throughput.write, OptInt(*pt, "WriteCapacityUnits"));
    ASSIGN_OR_RETURN(o.throughput.read, OptInt(*pt, "ReadCapacityUnits"));
    auto check = [&](const std::optional<int64_t>& v, const char* field) {
      std::string path = std::string("provisionedThroughputOverride.") + field;
      if (!v) {
        c.Null(path);
      } else if (*v < 1) {
        c.Fail(Quote(std::to_string(*v)), path,
               "Member must have value greater than or equal to 1");
      }
    };
    check(o.throughput.write, "writeCapacityUnits");
    check(o.throughput.read, "readCapacityUnits");
  }
  ASSIGN_OR_RETURN(o.gsis, ParseIndexes(req, "GlobalSecondaryIndexOverride",
                                        "globalSecondaryIndexOverride", true, c));
  ASSIGN_OR_RETURN(o.lsis, ParseIndexes(req, "LocalSecondaryIndexOverride",
                                        "localSecondaryIndexOverride", false, c));
  RETURN_IF_ERROR(OptStruct(req, "SSESpecificationOverride", "SSESpecification"));
  return o;
}

Result<TableInfo> MakeRestoredInfo(EngineContext& ctx, const TableInfo& source,
                                   const RestoreOverrides& o, const std::string& target) {
  const bool on_demand = o.billing_mode ? *o.billing_mode == "PAY_PER_REQUEST"
                                        : source.billing_mode == "PAY_PER_REQUEST";
  if (on_demand && o.throughput.present) {
    return Validation(std::string(kInvalid) +
                      "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                      "BillingMode is PAY_PER_REQUEST");
  }
  RETURN_IF_ERROR(CheckCapacityBounds(o.throughput));
  TableInfo info = source;
  info.name = target;
  info.billing_mode = on_demand ? "PAY_PER_REQUEST" : "PROVISIONED";
  if (on_demand) {
    info.throughput = Throughput{};
  } else if (o.throughput.present) {
    info.throughput = Throughput{};
    info.throughput.read = *o.throughput.read;
    info.throughput.write = *o.throughput.write;
  } else {
    Throughput t;
    t.read = source.throughput.read;
    t.write = source.throughput.write;
    info.throughput = t;
    if (t.read < 1 || t.write < 1) {
      return Validation(std::string(kInvalid) +
                        "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                        "BillingMode is PROVISIONED");
    }
  }

  // Index overrides, checked as CreateTable checks its indexes, against the
  // backup's attribute definitions.
  std::vector<KeyElem> defs, table_key;
  for (const auto& a : source.attribute_definitions) {
    defs.push_back({a.name, std::string(KeyAttrTypeName(a.type))});
  }
  table_key.push_back({source.key.hash.name, std::string("HASH")});
  if (source.key.range) table_key.push_back({source.key.range->name, std::string("RANGE")});
  std::vector<std::string> def_names = Names(defs);
  std::set<std::string> index_names;
  if (o.lsis) {
    if (!o.lsis->empty()) {
      RETURN_IF_ERROR(CheckIndexes(*o.lsis, false, table_key, def_names, on_demand, &index_names));
    }
    info.lsis.clear();
    for (const auto& r : *o.lsis) info.lsis.push_back(ToIndexInfo(r, defs, true));
  } else {
    for (const auto& i : info.lsis) index_names.insert(i.name);
  }
  if (o.gsis) {
    if (!o.gsis->empty()) {
      RETURN_IF_ERROR(CheckIndexes(*o.gsis, true, table_key, def_names, on_demand, &index_names));
    }
    info.gsis.clear();
    for (const auto& r : *o.gsis) info.gsis.push_back(ToIndexInfo(r, defs, on_demand));
  } else {
    for (auto& i : info.gsis) {
      if (!index_names.insert(i.name).second) {
        return Validation(std::string(kInvalid) + "Duplicate index name: " + i.name);
      }
      if (on_demand) {
        i.throughput = Throughput{};
      } else if (i.throughput.read < 1 || i.throughput.write < 1) {
        // An on-demand source restored as PROVISIONED: the indexes take the
        // table's throughput.
        i.throughput = Throughput{};
        i.throughput.read = info.throughput.read;
        i.throughput.write = info.throughput.write;
      } else {
        Throughput t;
        t.read = i.throughput.read;
        t.write = i.throughput.write;
        i.throughput = t;
      }
    }
  }
  for (auto* list : {&info.gsis, &info.lsis}) {
    for (auto& i : *list) {
      i.status = "ACTIVE";
      i.backfilling = false;
      i.id = 0;
    }
  }
  // Only the attribute definitions the keys still use.
  std::vector<std::string> used = {source.key.hash.name};
  if (source.key.range) used.push_back(source.key.range->name);
  for (const auto* list : {&info.gsis, &info.lsis}) {
    for (const auto& i : *list) {
      used.push_back(i.key.hash.name);
      if (i.key.range) used.push_back(i.key.range->name);
    }
  }
  std::vector<KeyAttr> kept;
  for (const auto& a : source.attribute_definitions) {
    if (Contains(used, a.name)) kept.push_back(a);
  }
  info.attribute_definitions = std::move(kept);

  const double now = NowEpochSeconds();
  info.id = 0;
  info.creation_time = now;
  info.status = "CREATING";
  info.tags.clear();
  info.deletion_protection = false;
  info.stream_enabled = false;
  info.stream_view_type.clear();
  info.stream_label.clear();
  info.ttl_enabled = false;
  info.ttl_attribute.clear();
  info.ttl_modified_time = 0;
  info.pitr_enabled = false;
  info.pitr_enabled_time = 0;
  info.pitr_recovery_days = ctx.options.pitr_recovery_days;
  info.restore_source_backup_arn.clear();
  info.restore_source_table_arn.clear();
  info.restore_time = now;
  info.region = ctx.options.region;
  info.account = ctx.options.account;
  return info;
}

Result<TablePtr> RestoreInto(EngineContext& ctx, TableInfo info, const RestoreSource& next) {
  const std::string name = info.name;
  TablePtr table;
  {
    std::lock_guard lock(SchemaMutex());
    if (ctx.catalog.Find(name)) {
      return Error{ErrorCode::kTableAlreadyExists, "Table already exists: " + name};
    }
    auto created = ctx.catalog.Create(std::move(info));
    if (!created.ok()) {
      if (created.error().code == ErrorCode::kResourceInUse) {
        return Error{ErrorCode::kTableAlreadyExists, "Table already exists: " + name};
      }
      return std::move(created).error();
    }
    table = *created;
  }
  const std::string prefix = keys::TablePrefix(table->info.id);
  std::string item_key, stored;
  while (true) {
    ASSIGN_OR_RETURN(bool more, next(&item_key, &stored));
    if (!more) break;
    std::string key = prefix + item_key;
    ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
    ItemWrite w{table, key, std::move(item), StoredItemSize(stored)};
    SyncAtExit synced(*ctx.store);  // waits after the lock is released
    std::lock_guard lock(ctx.locks.For(key));
    RETURN_IF_ERROR(w.Load(ctx));
    if (w.old_item) continue;  // written to the new table meanwhile: that write wins
    RETURN_IF_ERROR(ApplyServiceWrite(ctx, w));
  }
  std::lock_guard lock(SchemaMutex());
  TablePtr now = ctx.catalog.Find(name);
  if (!now || now->info.id != table->info.id) return table;  // dropped meanwhile
  TableInfo active = now->info;
  active.status = "ACTIVE";
  return ctx.catalog.Replace(active);
}

Result<TablePtr> RestoreInto(EngineContext& ctx, TableInfo info, Cursor& cursor,
                             size_t key_prefix_len) {
  cursor.SeekToStart();
  RestoreSource next = [&](std::string* item_key, std::string* stored) -> Result<bool> {
    for (; cursor.Valid(); cursor.Next()) {
      std::string_view k = cursor.key();
      if (k.size() < key_prefix_len) continue;
      item_key->assign(k.substr(key_prefix_len));
      stored->assign(cursor.value());
      cursor.Next();
      return true;
    }
    RETURN_IF_ERROR(cursor.status());
    return false;
  };
  return RestoreInto(ctx, std::move(info), next);
}

}  // namespace backups

// ---- Operations -----------------------------------------------------------------

namespace ops {

using namespace tables;  // NOLINT
using backups::Backup;

Status CreateBackup(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  ASSIGN_OR_RETURN(auto backup_name, OptString(req, "BackupName"));
  if (!name) {
    c.Null("tableName");
  } else {
    CheckName(c, *name, "tableName");
  }
  if (!backup_name) {
    c.Null("backupName");
  } else {
    CheckName(c, *backup_name, "backupName");
  }
  RETURN_IF_ERROR(c.ToStatus());
  TablePtr table = ctx.catalog.Find(*name);
  // A CREATING table is "Table not found: NAME", as DynamoDB answers a
  // CreateBackup right after CreateTable (ack-api-quirks' probes, DDB-BACKUP-001).
  if (!table || !IsServing(table->info.status)) return backups::TableNotFoundForBackup(*name);

  Backup b;
  b.id = ctx.catalog.NextId();
  b.name = *backup_name;
  b.created = NowEpochSeconds();
  b.table = table->info;
  b.arn = backups::MakeArn(table->info, b.created, b.id);
  // One snapshot: the items as of this instant, while writes go on.
  const uint64_t tid = table->info.id;
  auto cur = ctx.store->NewCursor(keys::TablePrefix(tid), keys::TablePrefixEnd(tid));
  const std::string prefix = keys::BackupItemsPrefix(b.id);
  const size_t table_prefix_len = keys::TablePrefix(tid).size();
  auto batch = std::make_unique<WriteBatch>();
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    batch->Put(prefix + std::string(cur->key().substr(table_prefix_len)), cur->value());
    ++b.item_count;
    b.size_bytes += static_cast<int64_t>(StoredItemSize(cur->value()));
    if (batch->Count() >= backups::kCopyBatch) {
      RETURN_IF_ERROR(ctx.store->Write(*batch));
      batch = std::make_unique<WriteBatch>();
    }
  }
  RETURN_IF_ERROR(cur->status());
  // The metadata last: a backup is listed only once all its items are in.
  batch->Put(keys::BackupMetaKey(b.arn), backups::SerializeBackup(b));
  RETURN_IF_ERROR(ctx.store->Write(*batch));

  out.StartObject();
  out.Key("BackupDetails");
  backups::WriteBackupDetails(b, out);
  out.EndObject();
  return Status::Ok();
}

Status DescribeBackup(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto arn, OptString(req, "BackupArn"));
  backups::CheckArn(c, arn, "backupArn", true);
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(auto b, backups::LoadBackup(*ctx.store, *arn));
  if (!b) return backups::BackupNotFound(*arn);
  backups::WriteBackupDescription(*b, out);
  return Status::Ok();
}

Status DeleteBackup(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto arn, OptString(req, "BackupArn"));
  backups::CheckArn(c, arn, "backupArn", true);
  RETURN_IF_ERROR(c.ToStatus());
  static std::mutex delete_mu;  // two deletes of one backup: one succeeds
  std::lock_guard lock(delete_mu);
  ASSIGN_OR_RETURN(auto b, backups::LoadBackup(*ctx.store, *arn));
  if (!b) return backups::BackupNotFound(*arn);
  WriteBatch batch;
  batch.Delete(keys::BackupMetaKey(b->arn));
  std::string prefix = keys::BackupItemsPrefix(b->id);
  batch.DeleteRange(prefix, keys::PrefixEnd(prefix));
  RETURN_IF_ERROR(ctx.store->Write(batch));
  b->status = "DELETED";
  backups::WriteBackupDescription(*b, out);
  return Status::Ok();
}

Status ListBackups(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  ASSIGN_OR_RETURN(auto limit, OptInt32(req, "Limit"));
  ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartBackupArn"));
  ASSIGN_OR_RETURN(auto type, OptString(req, "BackupType"));
  ASSIGN_OR_RETURN(auto lower, backups::OptTime(req, "TimeRangeLowerBound"));
  ASSIGN_OR_RETURN(auto upper, backups::OptTime(req, "TimeRangeUpperBound"));
  if (name) CheckName(c, *name, "tableName");
  if (limit && *limit < 1) {
    c.Fail(Quote(std::to_string(*limit)), "limit",
           "Member must have value greater than or equal to 1");
  } else if (limit && *limit > backups::kMaxListLimit) {
    c.Fail(Quote(std::to_string(*limit)), "limit",
           "Member must have value less than or equal to 100");
  }
  backups::CheckArn(c, start, "exclusiveStartBackupArn", false);
  CheckEnum(c, type, "backupType", {"USER", "SYSTEM", "AWS_BACKUP", "ALL"},
            "[USER, SYSTEM, AWS_BACKUP, ALL]");
  RETURN_IF_ERROR(c.ToStatus());
  if (lower && upper && *lower > *upper) {
    return Validation("TimeRangeUpperBound must be greater than TimeRangeLowerBound");
  }

  ASSIGN_OR_RETURN(std::vector<Backup> all, backups::LoadAll(*ctx.store));
  const std::string want_type = type.value_or("USER");
  std::vector<const Backup*> matching;
  for (const auto& b : all) {
    if (name && b.table.name != *name) continue;
    if (lower && b.created < *lower) continue;
    if (upper && b.created >= *upper) continue;
    if (want_type != "ALL" && b.type != want_type) continue;
    matching.push_back(&b);
  }
  size_t first = 0;
  if (start) {
    // After the named backup in (creation time, arn) order, wherever it is.
    auto pos =
        std::find_if(all.begin(), all.end(), [&](const Backup& b) { return b.arn == *start; });
    if (pos != all.end()) {
      while (first < matching.size() &&
             (matching[first]->created < pos->created ||
              (matching[first]->created == pos->created && matching[first]->arn <= pos->arn))) {
        ++first;
      }
    }
  }
  const size_t page = limit ? static_cast<size_t>(*limit) : matching.size();
  const size_t end = std::min(matching.size(), first + page);
  out.StartObject();
  out.Key("BackupSummaries");
  out.StartArray();
  for (size_t i = first; i < end; ++i) {
    const Backup& b = *matching[i];
    out.StartObject();
    out.Key("TableName");
    out.String(b.table.name);
    out.Key("TableId");
    out.String(TableIdOf(b.table));
    out.Key("TableArn");
    out.String(b.table.Arn());
    out.Key("BackupArn");
    out.String(b.arn);
    out.Key("BackupName");
    out.String(b.name);
    out.Key("BackupCreationDateTime");
    out.Double(b.created);
    out.Key("BackupStatus");
    out.String(b.status);
    out.Key("BackupType");
    out.String(b.type);
    out.Key("BackupSizeBytes");
    out.Int64(b.size_bytes);
    out.EndObject();
  }
  out.EndArray();
  if (end < matching.size() && end > first) {
    out.Key("LastEvaluatedBackupArn");
    out.String(matching[end - 1]->arn);
  }
  out.EndObject();
  return Status::Ok();
}

Status RestoreTableFromBackup(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  ASSIGN_OR_RETURN(auto target, OptString(req, "TargetTableName"));
  ASSIGN_OR_RETURN(auto arn, OptString(req, "BackupArn"));
  if (!target) {
    c.Null("targetTableName");
  } else {
    CheckName(c, *target, "targetTableName");
  }
  backups::CheckArn(c, arn, "backupArn", true);
  ASSIGN_OR_RETURN(backups::RestoreOverrides overrides, backups::ParseRestoreOverrides(req, c));
  RETURN_IF_ERROR(c.ToStatus());
  ASSIGN_OR_RETURN(auto b, backups::LoadBackup(*ctx.store, *arn));
  if (!b) return backups::BackupNotFound(*arn);
  if (ctx.catalog.Find(*target)) {
    return Error{ErrorCode::kTableAlreadyExists, "Table already exists: " + *target};
  }
  ASSIGN_OR_RETURN(TableInfo info, backups::MakeRestoredInfo(ctx, b->table, overrides, *target));
  info.restore_source_backup_arn = b->arn;
  info.restore_source_table_arn = b->table.Arn();
  // The backup's items, from one snapshot (a concurrent DeleteBackup does not
  // disturb it).
  std::string prefix = keys::BackupItemsPrefix(b->id);
  auto cur = ctx.store->NewCursor(prefix, keys::PrefixEnd(prefix));
  ASSIGN_OR_RETURN(TablePtr table,
                   backups::RestoreInto(ctx, std::move(info), *cur, keys::kBackupItemsPrefixLen));
  WriteDescription("TableDescription", *table, out);
  return Status::Ok();
}

}  // namespace ops
}  // namespace ddb
