#include "ddb/engine/ttl.h"

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "ddb/engine/clock.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/keys.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/engine/write_accounting.h"

namespace ddb {
namespace {

// DynamoDB ignores expiry times more than five years in the past.
constexpr double kMaxPastSeconds = 5.0 * 365 * 86400;
// DynamoDB allows one UpdateTimeToLive per table per hour.
constexpr double kTtlChangeIntervalSeconds = 3600;

// A cheap test before decoding a stored item: can its JSON hold `attribute`
// as a top-level name? (Names needing JSON escapes are always decoded.)
bool MayHaveAttribute(std::string_view stored, const std::string& quoted_name) {
  return quoted_name.empty() || StoredItemJson(stored).find(quoted_name) != std::string_view::npos;
}

std::string QuotedName(const std::string& name) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return "";
  }
  return "\"" + name + "\"";
}

// Deletes the item at `key` if it is still expired, under its lock.
bool DeleteIfExpired(EngineContext& ctx, const std::string& table_name, uint64_t table_id,
                     const std::string& key, double now) {
  if (!ctx.transactions.CheckNotHeld(key).ok()) return false;  // next pass
  std::lock_guard lock(ctx.locks.For(key));
  // The table as it is now: dropped, re-created or TTL switched off meanwhile
  // means no deletion.
  TablePtr table = ctx.catalog.Find(table_name);
  if (!table || table->info.id != table_id || !table->info.ttl_enabled) return false;
  ItemWrite w{table, key, std::nullopt};
  if (!w.Load(ctx).ok() || !w.old_item) return false;
  if (!TtlExpired(*w.old_item, table->info.ttl_attribute, now)) return false;
  w.identity = StreamIdentity::TimeToLive();
  return ApplyServiceWrite(ctx, w).ok();
}

}  // namespace

bool TtlExpired(const Item& item, const std::string& attribute, double now) {
  auto it = item.find(attribute);
  if (it == item.end() || it->second.type != AttrType::kN) return false;
  char* end = nullptr;
  const std::string& text = it->second.scalar;
  double expiry = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  return expiry <= now && expiry >= now - kMaxPastSeconds;
}

Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w) {
  const TableInfo& info = w.table->info;
  if (!w.new_item && !w.old_item) return Status::Ok();
  CollectionTracker collections(ctx);
  if (!info.lsis.empty()) {
    AttributeValue hash = KeyOfItem(info.key, w.new_item ? *w.new_item : *w.old_item).hash;
    collections.Lock({&info}, {&hash});
    DDB_RETURN_IF_ERROR(collections.Add(info, hash, ChargeFor(w).collection_delta));
  }
  WriteBatch batch;
  w.AddTo(batch);
  DDB_RETURN_IF_ERROR(ctx.store->Write(batch));
  w.CommitStats();
  collections.Commit();
  return Status::Ok();
}

size_t SweepExpiredItems(EngineContext& ctx, const std::atomic<bool>* stopping) {
  const double now = NowEpochSeconds();
  size_t deleted = 0;
  for (const std::string& name : ctx.catalog.Names()) {
    if (stopping && *stopping) break;
    TablePtr table = ctx.catalog.Find(name);
    if (!table || !table->info.ttl_enabled) continue;
    const uint64_t id = table->info.id;
    const std::string attribute = table->info.ttl_attribute;
    const std::string quoted = QuotedName(attribute);
    auto cur = ctx.store->NewCursor(keys::TablePrefix(id), keys::TablePrefixEnd(id));
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
      if (stopping && *stopping) break;
      if (!MayHaveAttribute(cur->value(), quoted)) continue;
      auto item = DecodeStoredItem(cur->value());
      if (!item.ok() || !TtlExpired(*item, attribute, now)) continue;
      if (DeleteIfExpired(ctx, name, id, std::string(cur->key()), now)) ++deleted;
    }
  }
  return deleted;
}

void StartTtlSweeper(EngineContext& ctx) {
  const double period = ctx.options.ttl_sweep_seconds;
  if (!(period > 0)) return;
  ctx.background.Run([&ctx, period](const std::atomic<bool>& stopping) {
    using Clock = std::chrono::steady_clock;
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period));
    const auto tick = std::min<Clock::duration>(interval, std::chrono::milliseconds(100));
    auto next = Clock::now() + interval;
    while (!stopping) {
      std::this_thread::sleep_for(tick);
      if (Clock::now() < next) continue;
      SweepExpiredItems(ctx, &stopping);
      next = Clock::now() + interval;
    }
  });
}

// ---- UpdateTimeToLive / DescribeTimeToLive ------------------------------------

namespace ops {

using namespace tables;  // NOLINT: Constraints, OptStruct, TableNotFound, SchemaMutex

Status UpdateTimeToLive(EngineContext& ctx, const Request& req, JsonWriter& out) {
  Constraints c;
  DDB_ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  if (!name) {
    c.Null("tableName");
  } else {
    CheckName(c, *name, "tableName");
  }
  DDB_ASSIGN_OR_RETURN(const Value* spec,
                       OptStruct(req, "TimeToLiveSpecification", "TimeToLiveSpecification"));
  std::optional<bool> enabled;
  std::optional<std::string> attribute;
  if (!spec) {
    c.Null("timeToLiveSpecification");
  } else {
    DDB_ASSIGN_OR_RETURN(attribute, OptString(*spec, "AttributeName"));
    DDB_ASSIGN_OR_RETURN(enabled, OptBool(*spec, "Enabled"));
    if (!attribute) {
      c.Null("timeToLiveSpecification.attributeName");
    } else if (attribute->empty()) {
      c.Fail("''", "timeToLiveSpecification.attributeName",
             "Member must have length greater than or equal to 1");
    } else if (attribute->size() > 255) {
      c.Fail(Quote(*attribute), "timeToLiveSpecification.attributeName",
             "Member must have length less than or equal to 255");
    }
    if (!enabled) c.Null("timeToLiveSpecification.enabled");
  }
  DDB_RETURN_IF_ERROR(c.ToStatus());

  std::lock_guard lock(SchemaMutex());
  TablePtr table = ctx.catalog.Find(*name);
  if (!table) return TableNotFound(*name);
  const TableInfo& cur = table->info;
  // What is asked is checked before the once-per-hour rule, as DynamoDB does.
  if (cur.ttl_enabled && cur.ttl_attribute != *attribute) {
    return Validation(
        "TimeToLive is active on a different AttributeName: current AttributeName is " +
        cur.ttl_attribute);
  }
  if (cur.ttl_enabled && *enabled) return Validation("TimeToLive is already enabled");
  if (!cur.ttl_enabled && !*enabled) return Validation("TimeToLive is already disabled");
  const double now = NowEpochSeconds();
  if (cur.ttl_modified_time > 0 && now - cur.ttl_modified_time < kTtlChangeIntervalSeconds) {
    return Validation("Time to live has been modified multiple times within a fixed interval");
  }
  TableInfo info = cur;
  info.ttl_enabled = *enabled;
  info.ttl_attribute = *enabled ? *attribute : "";
  info.ttl_modified_time = now;
  auto replaced = ctx.catalog.Replace(info);
  if (!replaced.ok()) {
    if (replaced.error().type == "ResourceNotFoundException") return TableNotFound(*name);
    return std::move(replaced).error();
  }
  out.StartObject();
  out.Key("TimeToLiveSpecification");
  out.StartObject();
  out.Key("Enabled");
  out.Bool(*enabled);
  out.Key("AttributeName");
  out.String(*attribute);
  out.EndObject();
  out.EndObject();
  return Status::Ok();
}

Status DescribeTimeToLive(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(std::string name, RequireTableName(req));
  TablePtr table = ctx.catalog.Find(name);
  if (!table) return TableNotFound(name);
  out.StartObject();
  out.Key("TimeToLiveDescription");
  out.StartObject();
  out.Key("TimeToLiveStatus");
  out.String(table->info.ttl_enabled ? "ENABLED" : "DISABLED");
  if (table->info.ttl_enabled) {
    out.Key("AttributeName");
    out.String(table->info.ttl_attribute);
  }
  out.EndObject();
  out.EndObject();
  return Status::Ok();
}

}  // namespace ops
}  // namespace ddb
