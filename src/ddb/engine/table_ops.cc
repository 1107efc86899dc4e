// DescribeTable, DeleteTable, ListTables, DescribeLimits, DescribeEndpoints:
// the table operations that read the catalog or drop a table. CreateTable,
// UpdateTable and the tagging operations have files of their own.
#include <algorithm>
#include <mutex>

#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT: the shared helpers of the table operations

// DynamoDB's account-level limits, as DescribeLimits reports them by default.
constexpr int64_t kAccountMaxCapacityUnits = 80000;
constexpr int64_t kTableMaxCapacityUnits = 40000;
constexpr int64_t kListTablesMaxLimit = 100;

}  // namespace

Status DescribeTable(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(CheckTableNamePresent(req));
  ASSIGN_OR_RETURN(std::string name, RequireTableName(req));
  TablePtr table = ctx.catalog.Find(name);
  if (!table) return TableNotFound(name);
  WriteDescription("Table", *table, out);
  return Status::Ok();
}

Status DeleteTable(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(CheckTableNamePresent(req));
  ASSIGN_OR_RETURN(std::string name, RequireTableName(req));
  std::lock_guard lock(SchemaMutex());  // the protection check and the drop, atomically
  TablePtr table = ctx.catalog.Find(name);
  if (!table) return TableNotFound(name);
  RETURN_IF_ERROR(CheckChangeable(*table));
  if (table->info.deletion_protection) {
    return Validation(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  }
  auto dropped = ctx.catalog.Drop(name);
  if (!dropped.ok()) {
    if (dropped.error().code == ErrorCode::kResourceNotFound) return TableNotFound(name);
    return std::move(dropped).error();
  }
  TableInfo info = (*dropped)->info;
  info.status = "DELETING";
  WriteDescription("TableDescription", info,
                   (*dropped)->stats ? (*dropped)->stats->Snapshot() : TableStats{}, out);
  return Status::Ok();
}

Status ListTables(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartTableName"));
  ASSIGN_OR_RETURN(auto limit, OptInt32(req, "Limit"));
  if (start) RETURN_IF_ERROR(ValidateTableName(*start, "exclusiveStartTableName"));
  if (limit && (*limit < 1 || *limit > kListTablesMaxLimit)) {
    return Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value " +
                      (*limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
  }
  const size_t page = static_cast<size_t>(limit.value_or(kListTablesMaxLimit));
  std::vector<std::string> names = ctx.catalog.Names();  // ascending
  auto first = start ? std::upper_bound(names.begin(), names.end(), *start) : names.begin();
  size_t available = static_cast<size_t>(names.end() - first);
  size_t count = std::min(available, page);
  out.StartObject();
  out.Key("TableNames");
  out.StartArray();
  for (size_t i = 0; i < count; ++i) out.String(first[i]);
  out.EndArray();
  if (count < available) {
    out.Key("LastEvaluatedTableName");
    out.String(first[count - 1]);
  }
  out.EndObject();
  return Status::Ok();
}

Status DescribeLimits(EngineContext& ctx, const Request& req, JsonWriter& out) {
  out.StartObject();
  out.Key("AccountMaxReadCapacityUnits");
  out.Int64(kAccountMaxCapacityUnits);
  out.Key("AccountMaxWriteCapacityUnits");
  out.Int64(kAccountMaxCapacityUnits);
  out.Key("TableMaxReadCapacityUnits");
  out.Int64(kTableMaxCapacityUnits);
  out.Key("TableMaxWriteCapacityUnits");
  out.Int64(kTableMaxCapacityUnits);
  out.EndObject();
  return Status::Ok();
}

Status DescribeEndpoints(EngineContext& ctx, const Request& req, JsonWriter& out) {
  out.StartObject();
  out.Key("Endpoints");
  out.StartArray();
  out.StartObject();
  out.Key("Address");
  out.String("dynamodb." + ctx.options.region + ".amazonaws.com");
  out.Key("CachePeriodInMinutes");
  out.Int64(1440);
  out.EndObject();
  out.EndArray();
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
