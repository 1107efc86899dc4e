// Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups
// and RestoreTableToPointInTime.
//
// The server keeps no history of a table's changes, so the only point it can
// restore is the latest one: UseLatestRestorableTime (or a RestoreDateTime
// at the latest restorable time, i.e. now) restores a consistent snapshot of
// the table as it is at the moment of the call. An earlier RestoreDateTime
// is refused with InvalidRestoreTimeException rather than answered with the
// wrong data.
#include <mutex>

#include "ddb/engine/backup.h"
#include "ddb/engine/clock.h"
#include "ddb/engine/keys.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT

constexpr int64_t kMaxRecoveryDays = 35;
// How close to "now" a RestoreDateTime must be to count as the latest time.
constexpr double kLatestSlackSeconds = 1.0;

double EarliestRestorable(const TableInfo& t, double now) {
  return std::max(t.pitr_enabled_time, now - static_cast<double>(t.pitr_recovery_days) * 86400);
}

void WriteContinuousBackups(const TableInfo& t, JsonWriter& out) {
  const double now = NowEpochSeconds();
  out.StartObject();
  out.Key("ContinuousBackupsDescription");
  out.StartObject();
  out.Key("ContinuousBackupsStatus");
  out.String("ENABLED");
  out.Key("PointInTimeRecoveryDescription");
  out.StartObject();
  out.Key("PointInTimeRecoveryStatus");
  out.String(t.pitr_enabled ? "ENABLED" : "DISABLED");
  if (t.pitr_enabled) {
    out.Key("RecoveryPeriodInDays");
    out.Int64(t.pitr_recovery_days);
    out.Key("EarliestRestorableDateTime");
    out.Double(EarliestRestorable(t, now));
    out.Key("LatestRestorableDateTime");
    out.Double(now);
  }
  out.EndObject();
  out.EndObject();
  out.EndObject();
}

Error PitrUnavailable(const std::string& name) {
  return Error{"PointInTimeRecoveryUnavailableException",
               "Point in time recovery is not enabled for table '" + name + "'"};
}

}  // namespace

Status DescribeContinuousBackups(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(std::string name, RequireTableName(req));
  TablePtr table = ctx.catalog.Find(name);
  if (!table) return backups::TableNotFoundForBackup(name);
  WriteContinuousBackups(table->info, out);
  return Status::Ok();
}

Status UpdateContinuousBackups(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  DDB_ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  if (!name) {
    c.Null("tableName");
  } else {
    CheckName(c, *name, "tableName");
  }
  DDB_ASSIGN_OR_RETURN(const Value* spec, OptStruct(req, "PointInTimeRecoverySpecification",
                                                    "PointInTimeRecoverySpecification"));
  std::optional<bool> enabled;
  std::optional<int64_t> days;
  if (!spec) {
    c.Null("pointInTimeRecoverySpecification");
  } else {
    DDB_ASSIGN_OR_RETURN(enabled, OptBool(*spec, "PointInTimeRecoveryEnabled"));
    DDB_ASSIGN_OR_RETURN(days, OptInt(*spec, "RecoveryPeriodInDays"));
    if (!enabled) c.Null("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
    if (days && *days < 1) {
      c.Fail(Quote(std::to_string(*days)), "pointInTimeRecoverySpecification.recoveryPeriodInDays",
             "Member must have value greater than or equal to 1");
    } else if (days && *days > kMaxRecoveryDays) {
      c.Fail(Quote(std::to_string(*days)), "pointInTimeRecoverySpecification.recoveryPeriodInDays",
             "Member must have value less than or equal to 35");
    }
  }
  DDB_RETURN_IF_ERROR(c.ToStatus());
  if (days && !*enabled) {
    return Validation(
        "RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true");
  }
  std::lock_guard lock(SchemaMutex());
  TablePtr table = ctx.catalog.Find(*name);
  if (!table) return backups::TableNotFoundForBackup(*name);
  TableInfo info = table->info;
  if (*enabled) {
    if (!info.pitr_enabled) {
      info.pitr_enabled_time = NowEpochSeconds();
      info.pitr_recovery_days = ctx.options.pitr_recovery_days;
    }
    info.pitr_enabled = true;
    if (days) info.pitr_recovery_days = *days;
  } else {
    info.pitr_enabled = false;
  }
  DDB_ASSIGN_OR_RETURN(TablePtr replaced, ctx.catalog.Replace(info));
  WriteContinuousBackups(replaced->info, out);
  return Status::Ok();
}

Status RestoreTableToPointInTime(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  DDB_ASSIGN_OR_RETURN(auto target, OptString(req, "TargetTableName"));
  DDB_ASSIGN_OR_RETURN(auto source_name, OptString(req, "SourceTableName"));
  DDB_ASSIGN_OR_RETURN(auto source_arn, OptString(req, "SourceTableArn"));
  DDB_ASSIGN_OR_RETURN(auto latest, OptBool(req, "UseLatestRestorableTime"));
  const auto* when = Member(req, "RestoreDateTime");
  if (when && !when->IsNumber()) return Serialization("Unexpected value type in payload");
  if (!target) {
    c.Null("targetTableName");
  } else {
    CheckName(c, *target, "targetTableName");
  }
  if (source_name) CheckName(c, *source_name, "sourceTableName");
  DDB_ASSIGN_OR_RETURN(backups::RestoreOverrides overrides, backups::ParseRestoreOverrides(req, c));
  DDB_RETURN_IF_ERROR(c.ToStatus());
  if (!source_name && !source_arn) {
    return Validation("Either source table name or source table arn must be specified");
  }
  std::string name;
  if (source_name) {
    name = *source_name;
  } else {
    auto slash = source_arn->find(":table/");
    name = slash == std::string::npos ? *source_arn : source_arn->substr(slash + 7);
  }
  const bool use_latest = latest.value_or(false);
  if (use_latest && when) {
    return Validation("Only one of RestoreDateTime or UseLatestRestorableTime can be specified");
  }
  if (!use_latest && !when) {
    return Validation("Either RestoreDateTime or UseLatestRestorableTime must be specified");
  }
  TablePtr table = ctx.catalog.Find(name);
  if (!table || (source_arn && table->info.Arn() != *source_arn)) {
    return backups::TableNotFoundForBackup(name);
  }
  if (!table->info.pitr_enabled) return PitrUnavailable(name);
  const double now = NowEpochSeconds();
  if (when) {
    const double t = when->GetDouble();
    if (t < EarliestRestorable(table->info, now) || t > now + kLatestSlackSeconds) {
      return Error{"InvalidRestoreTimeException",
                   "RestoreDateTime is not within the restorable window of the source table"};
    }
    if (t < now - kLatestSlackSeconds) {
      return Error{"InvalidRestoreTimeException",
                   "This server keeps no point-in-time history: only the latest restorable "
                   "time (UseLatestRestorableTime) can be restored"};
    }
  }
  if (ctx.catalog.Find(*target)) {
    return Error{"TableAlreadyExistsException", "Table already exists: " + *target};
  }
  DDB_ASSIGN_OR_RETURN(TableInfo info,
                       backups::MakeRestoredInfo(ctx, table->info, overrides, *target));
  info.restore_source_table_arn = table->info.Arn();
  const uint64_t id = table->info.id;
  auto cur = ctx.store->NewCursor(keys::TablePrefix(id), keys::TablePrefixEnd(id));
  info.restore_time = NowEpochSeconds();  // the instant of the snapshot
  DDB_ASSIGN_OR_RETURN(TablePtr restored, backups::RestoreInto(ctx, std::move(info), *cur,
                                                               keys::TablePrefix(id).size()));
  WriteDescription("TableDescription", *restored, out);
  return Status::Ok();
}

}  // namespace ddb::ops
