// UpdateTable: billing mode, provisioned throughput (of the table and its
// global secondary indexes), streams, table class and deletion protection.
// Creating or deleting a global secondary index comes with index maintenance.
#include <map>
#include <set>

#include "ddb/common/clock.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/stream_log.h"
#include "ddb/jobs/index_backfill.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT: the shared helpers of the table operations

// ---- Throughput changes ----------------------------------------------------------

int64_t UtcDay(double epoch_seconds) { return static_cast<int64_t>(epoch_seconds) / 86400; }

// Applies new capacity to `t`, keeping DynamoDB's increase/decrease records.
void ApplyCapacity(Throughput& t, int64_t read, int64_t write, double now) {
  if (read > t.read || write > t.write) t.last_increase = now;
  if (read < t.read || write < t.write) {
    if (UtcDay(t.last_decrease) != UtcDay(now)) t.decreases_today = 0;
    ++t.decreases_today;
    t.last_decrease = now;
  }
  t.read = read;
  t.write = write;
}

std::string UnchangedCapacity(std::string_view what, const Throughput& cur, int64_t read,
                              int64_t write) {
  std::string w(what);
  return "The provisioned throughput for the " + w +
         " will not change. The requested value equals the current value. Current "
         "ReadCapacityUnits provisioned for the " +
         w + ": " + std::to_string(cur.read) +
         ". Requested ReadCapacityUnits: " + std::to_string(read) +
         ". Current WriteCapacityUnits provisioned for the " + w + ": " +
         std::to_string(cur.write) + ". Requested WriteCapacityUnits: " + std::to_string(write) +
         ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
         "higher limits.";
}

// One entry of UpdateTable's GlobalSecondaryIndexUpdates.
struct IndexUpdateReq {
  int actions = 0;  // how many of Update, Create, Delete are set
  std::string action;
  std::optional<std::string> name;
  ThroughputReq throughput;  // Update and Create
  IndexReq create;           // Create only
};

// An absent list reads as empty: both mean "no index updates".
Result<std::vector<IndexUpdateReq>> ParseIndexUpdates(const Value& req, Constraints& c) {
  std::vector<IndexUpdateReq> out;
  ASSIGN_OR_RETURN(const Value* list, OptList(req, "GlobalSecondaryIndexUpdates"));
  if (!list) return out;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& e = (*list)[i];
    RETURN_IF_ERROR(CheckElement(e, "GlobalSecondaryIndexUpdate"));
    std::string p = ElemPath("globalSecondaryIndexUpdates", i);
    IndexUpdateReq u;
    for (const char* action : {"Update", "Create", "Delete"}) {
      ASSIGN_OR_RETURN(const Value* a,
                       OptStruct(e, action, std::string(action) + "GlobalSecondaryIndexAction"));
      if (!a) continue;
      ++u.actions;
      if (!u.action.empty()) continue;
      u.action = action;
      std::string ap = p + "." +
                       (action[0] == 'U'   ? "update"
                        : action[0] == 'C' ? "create"
                                           : "delete");
      ASSIGN_OR_RETURN(u.name, OptString(*a, "IndexName"));
      if (!u.name) {
        c.Null(ap + ".indexName");
      } else {
        CheckName(c, *u.name, ap + ".indexName");
      }
      if (u.action == "Update") {
        ASSIGN_OR_RETURN(u.throughput, ParseThroughput(*a, ap + ".provisionedThroughput", c));
        if (!u.throughput.present) c.Null(ap + ".provisionedThroughput");
      } else if (u.action == "Create") {
        u.create.name = u.name;
        ASSIGN_OR_RETURN(u.create.key,
                         ParseKeySchema(*a, ap + ".keySchema", c, 2 * kMaxKeyAttrsPerRole));
        ASSIGN_OR_RETURN(u.create.projection, ParseProjection(*a, ap + ".projection", c));
        ASSIGN_OR_RETURN(u.create.throughput,
                         ParseThroughput(*a, ap + ".provisionedThroughput", c));
        u.throughput = u.create.throughput;
      }
    }
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace

// ---- UpdateTable -------------------------------------------------------------------

Status UpdateTable(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(CheckTableNamePresent(req));
  Constraints c;
  ASSIGN_OR_RETURN(auto defs, ParseAttributeDefinitions(req, c, false));
  ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  if (!name) {
    c.Null("tableName");
  } else if (name->rfind("arn:", 0) != 0) {
    CheckName(c, *name, "tableName");
  }
  ASSIGN_OR_RETURN(auto billing, OptString(req, "BillingMode"));
  CheckEnum(c, billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"},
            "[PROVISIONED, PAY_PER_REQUEST]");
  ASSIGN_OR_RETURN(ThroughputReq pt, ParseThroughput(req, "provisionedThroughput", c));
  ASSIGN_OR_RETURN(auto index_updates, ParseIndexUpdates(req, c));
  ASSIGN_OR_RETURN(StreamReq stream, ParseStream(req, c));
  ASSIGN_OR_RETURN(auto table_class, OptString(req, "TableClass"));
  ASSIGN_OR_RETURN(auto protection, OptBool(req, "DeletionProtectionEnabled"));
  ASSIGN_OR_RETURN(const Value* sse, OptStruct(req, "SSESpecification", "SSESpecification"));
  ASSIGN_OR_RETURN(const Value* replicas, OptList(req, "ReplicaUpdates"));
  RETURN_IF_ERROR(c.ToStatus());
  std::string table_name = *name;
  if (name->rfind("arn:", 0) == 0) {
    ASSIGN_OR_RETURN(table_name, RequireTableName(req));  // a table ARN
  }

  const bool has_index_updates = !index_updates.empty();
  const int changes = pt.present + billing.has_value() + stream.present + has_index_updates +
                      (sse != nullptr) + (replicas != nullptr && replicas->Size() > 0) +
                      protection.has_value() + table_class.has_value();
  if (changes == 0) {
    return Validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
        "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
        "OnDemandThroughput, WarmThroughput or TableClass is required");
  }
  RETURN_IF_ERROR(CheckCapacityBounds(pt));
  if (has_index_updates) {
    std::set<std::string> seen;
    for (const auto& u : index_updates) {
      if (u.actions == 0) {
        return Validation(
            std::string(kInvalid) +
            "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
            "GlobalSecondaryIndexUpdate.Delete must not be null");
      }
      if (u.actions > 1) {
        return Validation(std::string(kInvalid) +
                          "Only one global secondary index action is allowed per "
                          "GlobalSecondaryIndexUpdate object");
      }
      if (!seen.insert(*u.name).second) {
        return Validation(std::string(kInvalid) +
                          "Only one global secondary index update per index is allowed "
                          "simultaneously. Index: " +
                          *u.name);
      }
      RETURN_IF_ERROR(CheckCapacityBounds(u.throughput));
    }
  }
  if (protection && changes > 1) {
    return Validation(std::string(kInvalid) +
                      "DeletionProtection modification must be the only operation in the request");
  }
  if (table_class && changes > 1) {
    return Validation(std::string(kInvalid) +
                      "TableClass modification must be the only operation in the request");
  }
  if (sse && changes > 1) {
    return Validation(std::string(kInvalid) +
                      "Server-Side Encryption modification must be the only operation in the "
                      "request");
  }
  if (replicas && replicas->Size() > 0) {
    return Validation("ReplicaUpdates (global tables) are not supported by this server");
  }
  RETURN_IF_ERROR(CheckTableClass(table_class));

  std::lock_guard lock(SchemaMutex());
  TablePtr table = ctx.catalog.Find(table_name);
  if (!table) return TableNotFound(table_name);
  RETURN_IF_ERROR(CheckChangeable(*table));
  TableInfo info = table->info;
  const double now = NowEpochSeconds();

  if (sse) {
    ASSIGN_OR_RETURN(auto enabled, OptBool(*sse, "Enabled"));
    if (!enabled.value_or(false)) {
      return Validation(std::string(kInvalid) + "Table is already encrypted by default");
    }
    // Enabled: true (KMS) is accepted; data at rest is not encrypted here.
  }

  // Global secondary index updates: Create (backfilled in the background),
  // Delete, and throughput Updates.
  std::map<std::string, const IndexUpdateReq*> gsi_throughput;
  std::vector<IndexInfo> created, deleted;
  if (has_index_updates) {
    int online = 0;
    for (const auto& g : info.gsis) online += g.status == "CREATING" || g.status == "DELETING";
    for (const auto& u : index_updates) online += u.action != "Update";
    if (online > 1) {
      return LimitExceeded(
          "Subscriber limit exceeded: Only 1 online index can be created or deleted "
          "simultaneously per table");
    }
  }
  for (const auto& u : index_updates) {
    bool global = false;
    if (u.action == "Create") {
      if (info.FindIndex(*u.name, &global)) {
        return Validation("Attempting to create an index which already exists");
      }
      if (!defs) {
        return Validation(std::string(kInvalid) +
                          "Attribute definitions must be specified when creating an index");
      }
      // The definitions the new index may use: the table's and the request's.
      std::vector<KeyElem> all = *defs;
      for (const auto& d : info.attribute_definitions) {
        bool listed = false;
        for (const auto& r : *defs) listed |= *r.name == d.name;
        if (!listed) all.push_back({d.name, std::string(AttrTypeName(d.type))});
      }
      for (const auto& d : *defs) {
        for (const auto& existing : info.attribute_definitions) {
          if (existing.name == *d.name && AttrTypeName(existing.type) != *d.type) {
            return Validation(std::string(kInvalid) + "Cannot change the type of attribute " +
                              existing.name + " (it is used by the table or an index)");
          }
        }
      }
      RETURN_IF_ERROR(CheckGlobalIndexKeySchema(u.create.key, Names(all)));
      RETURN_IF_ERROR(CheckProjection(u.create.projection));
      const bool on_demand = billing.value_or(info.billing_mode) == "PAY_PER_REQUEST";
      if (!on_demand && !u.create.throughput.present) {
        return Validation(std::string(kInvalid) +
                          "ProvisionedThroughput is not specified for index: " + *u.name);
      }
      if (on_demand && u.create.throughput.present) {
        return Validation(std::string(kInvalid) +
                          "ProvisionedThroughput should not be specified for index: " + *u.name +
                          " when BillingMode is PAY_PER_REQUEST");
      }
      if (info.gsis.size() + 1 > kMaxGlobalIndexes) {
        return LimitExceeded(
            "Subscriber limit exceeded: The number of global secondary indexes "
            "for a table exceeds the limit of " +
            std::to_string(kMaxGlobalIndexes));
      }
      IndexInfo idx = ToIndexInfo(u.create, all, on_demand);
      idx.status = "CREATING";
      idx.backfilling = true;
      idx.id = ctx.catalog.NextId();
      for (const KeyAttr* k : idx.key.AllAttrs()) {
        bool known = false;
        for (const auto& d : info.attribute_definitions) known |= d.name == k->name;
        if (!known) info.attribute_definitions.push_back(*k);
      }
      created.push_back(idx);
      continue;
    }
    if (u.action == "Delete") {
      auto it = std::find_if(info.gsis.begin(), info.gsis.end(),
                             [&](const IndexInfo& g) { return g.name == *u.name; });
      if (it == info.gsis.end()) {
        return ResourceNotFound("Requested resource not found: Index " + *u.name + " for table " +
                                info.name);
      }
      deleted.push_back(*it);
      info.gsis.erase(it);
      continue;
    }
    {
      if (!info.FindIndex(*u.name, &global) || !global) {
        return ResourceNotFound("Requested resource not found: Index " + *u.name + " for table " +
                                info.name);
      }
      gsi_throughput[*u.name] = &u;
    }
  }
  for (auto& idx : created) info.gsis.push_back(idx);

  // Billing mode and throughput.
  const std::string target = billing.value_or(info.billing_mode);
  if (target == "PAY_PER_REQUEST") {
    if (pt.present) {
      return Validation(std::string(kInvalid) +
                        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                        "BillingMode is PAY_PER_REQUEST");
    }
    if (!gsi_throughput.empty()) {
      return Validation(std::string(kInvalid) +
                        "The only Updates for index: " + gsi_throughput.begin()->first +
                        " when TableThroughputMode is PAY_PER_REQUEST can be to "
                        "OnDemandThroughput, WarmThroughput");
    }
    if (info.billing_mode != "PAY_PER_REQUEST") {
      info.billing_mode = "PAY_PER_REQUEST";
      info.throughput.read = info.throughput.write = 0;
      for (auto& g : info.gsis) g.throughput.read = g.throughput.write = 0;
    }
  } else if (info.billing_mode == "PAY_PER_REQUEST") {  // switching to PROVISIONED
    if (!pt.present) {
      return Validation(std::string(kInvalid) +
                        "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    }
    for (const auto& g : info.gsis) {
      if (!gsi_throughput.count(g.name)) {
        return Validation(std::string(kInvalid) +
                          "ProvisionedThroughput must be specified for index: " + g.name);
      }
    }
    info.billing_mode = "PROVISIONED";
    info.throughput.read = *pt.read;
    info.throughput.write = *pt.write;
    for (auto& g : info.gsis) {
      const auto* u = gsi_throughput[g.name];
      g.throughput.read = *u->throughput.read;
      g.throughput.write = *u->throughput.write;
    }
  } else {  // staying PROVISIONED
    if (pt.present) {
      if (*pt.read == info.throughput.read && *pt.write == info.throughput.write) {
        return Validation(UnchangedCapacity("table", info.throughput, *pt.read, *pt.write));
      }
      ApplyCapacity(info.throughput, *pt.read, *pt.write, now);
    }
    for (auto& g : info.gsis) {
      auto it = gsi_throughput.find(g.name);
      if (it == gsi_throughput.end()) continue;
      int64_t r = *it->second->throughput.read, w = *it->second->throughput.write;
      if (r == g.throughput.read && w == g.throughput.write) {
        return Validation(UnchangedCapacity("index " + g.name, g.throughput, r, w));
      }
      ApplyCapacity(g.throughput, r, w, now);
    }
  }

  // Streams.
  if (stream.present) {
    if (*stream.enabled) {
      if (!stream.view_type) {
        return Validation(std::string(kInvalid) +
                          "If stream is being enabled then UpdateViewType is required");
      }
      if (info.stream_enabled) {
        return Validation("Table already has an enabled stream: TableName: " + info.name);
      }
      info.stream_enabled = true;
      info.stream_view_type = *stream.view_type;
      // A new stream needs a new label (its ARN), even within the same
      // millisecond as the previous one.
      std::string label = StreamLabel(now);
      for (double t = now; label <= info.stream_label; t += 0.001) label = StreamLabel(t);
      info.stream_label = label;
    } else {
      if (stream.view_type) {
        return Validation(std::string(kInvalid) +
                          "If stream is being disabled, then UpdateViewType must not be specified");
      }
      if (!info.stream_enabled) {
        return Validation("Table has no stream to disable: TableName: " + info.name);
      }
      info.stream_enabled = false;
    }
  }

  if (table_class) info.table_class = *table_class;
  if (protection) info.deletion_protection = *protection;
  auto replaced = ctx.catalog.Replace(info);
  if (!replaced.ok()) {
    if (replaced.error().code == ErrorCode::kResourceNotFound) return TableNotFound(table_name);
    return std::move(replaced).error();
  }
  if (stream.present && ctx.streams) ctx.streams->Sync((*replaced)->info);
  for (const auto& idx : deleted) {
    // Writers no longer see the index; its entries go in one range delete.
    WriteBatch batch;
    batch.DeleteRange(IndexPrefix(idx.id), IndexPrefixEnd(idx.id));
    RETURN_IF_ERROR(ctx.store->Write(batch));
  }
  for (const auto& idx : created) StartIndexBackfill(ctx.Jobs(), info.name, info.id, idx.id);
  // The response shows a deleted index as DELETING, as DynamoDB does.
  TableInfo shown = (*replaced)->info;
  for (auto idx : deleted) {
    idx.status = "DELETING";
    shown.gsis.push_back(idx);
  }
  WriteDescription("TableDescription", shown,
                   (*replaced)->stats ? (*replaced)->stats->Snapshot() : TableStats{}, out);
  return Status::Ok();
}

}  // namespace ddb::ops
