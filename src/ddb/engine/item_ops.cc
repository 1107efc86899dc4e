// PutItem, GetItem, UpdateItem, DeleteItem.
//
// Every write takes the item's stripe lock, reads the current item, checks the
// condition, and writes the new state in one atomic batch, so a condition and
// the write it guards never interleave with another writer of the same item.
#include <mutex>

#include "ddb/engine/capacity.h"
#include "ddb/engine/item_collections.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/validation_items.h"
#include "ddb/engine/write_accounting.h"
#include "ddb/expr/legacy.h"

namespace ddb::ops {
namespace {

// The condition of a write request: ConditionExpression or Expected.
struct WriteCondition {
  expr::Condition cond;  // null = unconditional
};

Result<WriteCondition> ReadCondition(const Request& req, ExprInputs& in) {
  WriteCondition wc;
  ASSIGN_OR_RETURN(auto text, OptString(req, "ConditionExpression"));
  if (text) {
    ASSIGN_OR_RETURN(wc.cond, expr::ParseCondition(*text, "ConditionExpression", in.ctx));
  } else if (const auto* expected = Member(req, "Expected")) {
    ASSIGN_OR_RETURN(wc.cond,
                     expr::TranslateExpected(*expected, Member(req, "ConditionalOperator")));
  }
  return wc;
}

Status CheckItemSize(size_t size) {
  if (size > kMaxItemSize) return Validation("Item size has exceeded the maximum allowed size");
  return Status::Ok();
}

// Evaluates a write's condition against the current item. A failed
// conditional write still consumes write capacity (for the item read).
Status CheckCondition(EngineContext& ctx, const WriteCondition& wc, const ItemWrite& w,
                      bool return_old_on_fail) {
  if (!wc.cond) return Status::Ok();
  static const Item kEmpty;
  if (!expr::Evaluate(*wc.cond, w.old_item ? *w.old_item : kEmpty)) {
    RETURN_IF_ERROR(ctx.throttle.Consume(w.table->info, ChargeForFailedWrite(w.old_size), false));
    return ConditionFailed(return_old_on_fail, w.old_item ? &*w.old_item : nullptr);
  }
  return Status::Ok();
}

Status WriteOne(EngineContext& ctx, const ItemWrite& w) {
  WriteBatch batch;
  w.AddTo(batch);
  RETURN_IF_ERROR(ctx.store->Write(batch));
  w.CommitStats();
  return Status::Ok();
}

// What a committed write reports.
struct Written {
  Consumed units;
  int64_t collection_size = 0;  // tables with LSIs
};

// Under the item's lock, after Load() and the condition: charges the write
// (ProvisionedThroughputExceededException when throttled), checks the item
// collection of LSI tables against the limit, and writes. `hash` is the
// item's partition key value.
Status CommitWrite(EngineContext& ctx, const ItemWrite& w, const AttributeValue& hash,
                   bool need_units, Written* out) {
  const TableInfo& info = w.table->info;
  const bool lsi = !info.lsis.empty();
  WriteCharge c;
  if (need_units || lsi || ctx.throttle.Applies(info)) c = ChargeFor(w);
  RETURN_IF_ERROR(ctx.throttle.Consume(info, c.units, false));
  CollectionTracker collections(ctx);
  if (lsi) {
    collections.Lock({&info}, {&hash});
    RETURN_IF_ERROR(collections.Add(info, hash, c.collection_delta));
  }
  if (w.new_item || w.old_item) RETURN_IF_ERROR(WriteOne(ctx, w));
  collections.Commit();
  if (lsi) out->collection_size = collections.SizeOf(info, hash);
  out->units = std::move(c.units);
  return Status::Ok();
}

// ConsumedCapacity and ItemCollectionMetrics of a single-item write.
void WriteWriteMetrics(CapacityMode cap, bool metrics, const TableInfo& info,
                       const AttributeValue& hash, const Written& written, JsonWriter& out) {
  WriteConsumedCapacity(cap, info.name, written.units, false, out);
  if (metrics && !info.lsis.empty()) {
    out.Key("ItemCollectionMetrics");
    WriteItemCollectionMetrics(info, hash, written.collection_size, out);
  }
}

void WriteAttributes(const Item& item, JsonWriter& out) {
  if (item.empty()) return;
  out.Key("Attributes");
  EncodeItem(item, out);
}

// The rest of PutItem and DeleteItem: check and write under the item's lock,
// then the response (ALL_OLD, capacity, item collection metrics).
Status PutOrDelete(EngineContext& ctx, ItemWrite& w, const PrimaryKey& pk, const WriteCondition& wc,
                   bool return_old_on_fail, CapacityMode cap, bool metrics, ReturnValues rv,
                   JsonWriter& out) {
  Written written;
  {
    RETURN_IF_ERROR(ctx.transactions.CheckNotHeld(w.key));
    std::lock_guard lock(ctx.locks.For(w.key));
    RETURN_IF_ERROR(w.Load(ctx));
    RETURN_IF_ERROR(CheckCondition(ctx, wc, w, return_old_on_fail));
    RETURN_IF_ERROR(CommitWrite(ctx, w, pk.hash, cap != CapacityMode::kNone, &written));
  }
  out.StartObject();
  if (rv == ReturnValues::kAllOld && w.old_item) WriteAttributes(*w.old_item, out);
  WriteWriteMetrics(cap, metrics, w.table->info, pk.hash, written, out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace

Status PutItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  // Phases 1-2 (validation.h), then the rules that need no table, in
  // dynalite's order (validations/putItem.js): mixed parameters, the item's
  // values, ReturnValues, the item's size, the condition and placeholders.
  RETURN_IF_ERROR(ValidatePutItemMembers(req));
  ASSIGN_OR_RETURN(std::string table_name, RequireTableName(req));
  RETURN_IF_ERROR(
      CheckNoMixedParameters(req, {"Expected", "ConditionalOperator"}, {"ConditionExpression"}));
  ASSIGN_OR_RETURN(Item item, DecodeItem(*Member(req, "Item")));
  ASSIGN_OR_RETURN(ReturnValues rv, ReadReturnValues(req, false));
  size_t size = ItemSize(item);
  RETURN_IF_ERROR(CheckItemSize(size));
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(bool metrics, ReadReturnItemCollectionMetrics(req));
  ASSIGN_OR_RETURN(bool return_old_on_fail, ReadReturnOldOnConditionFailure(req));
  ASSIGN_OR_RETURN(auto in, ReadExprInputs(req));
  ASSIGN_OR_RETURN(WriteCondition wc, ReadCondition(req, *in));
  RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(
      *in, Member(req, "ConditionExpression") != nullptr, "ConditionExpression is null"));
  RETURN_IF_ERROR(in->ctx.CheckAllUsed());
  // Phases 4-5: the table, then the item's keys against its schema.
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(table_name));
  RETURN_IF_ERROR(ValidateItemKeys(table->info, item));

  PrimaryKey pk = KeyOfItem(table->info.key, item);
  ItemWrite w{table, StorageKey(table->info, pk), std::move(item), size};
  return PutOrDelete(ctx, w, pk, wc, return_old_on_fail, cap, metrics, rv, out);
}

Status GetItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateGetItemMembers(req));
  ASSIGN_OR_RETURN(std::string table_name, RequireTableName(req));
  RETURN_IF_ERROR(CheckNoMixedParameters(req, {"AttributesToGet"}, {"ProjectionExpression"}));
  ASSIGN_OR_RETURN(Item key_item, DecodeKey(Member(req, "Key")));
  ASSIGN_OR_RETURN(auto consistent, OptBool(req, "ConsistentRead"));
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(auto in, ReadExprInputs(req));
  std::optional<expr::Projection> projection;
  ASSIGN_OR_RETURN(auto proj_text, OptString(req, "ProjectionExpression"));
  if (proj_text) {
    ASSIGN_OR_RETURN(projection, expr::ParseProjection(*proj_text, in->ctx));
  } else if (const auto* atg = Member(req, "AttributesToGet")) {
    ASSIGN_OR_RETURN(projection, expr::TranslateAttributesToGet(*atg));
  }
  if (in->has_values) {
    return Validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
                      [&] {
                        std::string k;
                        for (auto& [name, _] : in->values) k += (k.empty() ? "" : ", ") + name;
                        return k;
                      }() +
                      "}");
  }
  RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(*in, proj_text.has_value(),
                                                      "ProjectionExpression is null"));
  RETURN_IF_ERROR(in->ctx.CheckAllUsed());
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(table_name));
  ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromItem(table->info.key, key_item));

  std::string key = StorageKey(table->info, pk);
  // Admitted while the table's read bucket is not exhausted; charged after
  // (jobs/throttle.h).
  RETURN_IF_ERROR(ctx.throttle.CheckRead(table->info, nullptr));
  std::string stored;
  ASSIGN_OR_RETURN(bool found, ctx.store->Get(key, &stored));
  out.StartObject();
  size_t size = 0;
  if (found) {
    size = StoredItemSize(stored);
    if (!projection) {
      // Fast path: the stored JSON is already the response's Item.
      std::string_view json = StoredItemJson(stored);
      out.Key("Item");
      out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    } else {
      ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
      Item projected = expr::Project(*projection, item);
      // DynamoDB returns "Item": {} when the item exists but no attribute is
      // projected.
      out.Key("Item");
      EncodeItem(projected, out);
    }
  }
  Consumed units;
  units.table = ReadUnits(size, consistent.value_or(false));
  ctx.throttle.Charge(table->info, units, true);
  WriteConsumedCapacity(cap, table->info.name, units, true, out);
  out.EndObject();
  return Status::Ok();
}

Status UpdateItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateUpdateItemMembers(req));
  ASSIGN_OR_RETURN(std::string table_name, RequireTableName(req));
  RETURN_IF_ERROR(CheckNoMixedParameters(req,
                                         {"AttributeUpdates", "Expected", "ConditionalOperator"},
                                         {"UpdateExpression", "ConditionExpression"}));
  ASSIGN_OR_RETURN(Item key_item, DecodeKey(Member(req, "Key")));
  ASSIGN_OR_RETURN(ReturnValues rv, ReadReturnValues(req, true));
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(bool metrics, ReadReturnItemCollectionMetrics(req));
  ASSIGN_OR_RETURN(bool return_old_on_fail, ReadReturnOldOnConditionFailure(req));
  ASSIGN_OR_RETURN(auto in, ReadExprInputs(req));
  expr::Update update;
  ASSIGN_OR_RETURN(auto update_text, OptString(req, "UpdateExpression"));
  if (update_text) {
    ASSIGN_OR_RETURN(update, expr::ParseUpdate(*update_text, in->ctx));
  } else if (const auto* au = Member(req, "AttributeUpdates")) {
    ASSIGN_OR_RETURN(update, expr::TranslateAttributeUpdates(*au));
  }
  ASSIGN_OR_RETURN(WriteCondition wc, ReadCondition(req, *in));
  RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(
      *in, update_text.has_value() || Member(req, "ConditionExpression") != nullptr,
      "UpdateExpression and ConditionExpression are null"));
  RETURN_IF_ERROR(in->ctx.CheckAllUsed());
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(table_name));
  const TableInfo& info = table->info;
  ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromItem(info.key, key_item));
  if (update) {
    for (const expr::Path& p : expr::UpdatedPaths(*update)) {
      if (p.empty() || p[0].is_index) continue;
      const std::string& top = p[0].name;
      if (top == info.key.hash.name || (info.key.range && top == info.key.range->name)) {
        return Validation("One or more parameter values were invalid: Cannot update attribute " +
                          top + ". This attribute is part of the key");
      }
    }
  }

  ItemWrite w{table, StorageKey(info, pk)};
  Written written;
  {
    RETURN_IF_ERROR(ctx.transactions.CheckNotHeld(w.key));
    std::lock_guard lock(ctx.locks.For(w.key));
    RETURN_IF_ERROR(w.Load(ctx));
    RETURN_IF_ERROR(CheckCondition(ctx, wc, w, return_old_on_fail));
    // An update that only removes leaves a missing item missing: no item, no
    // stream record, nothing to return (expr::UpdatedItem); the write still
    // consumes its one write unit.
    ASSIGN_OR_RETURN(w.new_item,
                     expr::UpdatedItem(update.get(), w.old_item ? &*w.old_item : nullptr,
                                       KeyAttributes(info.key, pk)));
    if (w.new_item) {
      RETURN_IF_ERROR(ValidateItemKeys(info, *w.new_item));
      w.new_size = ItemSize(*w.new_item);
      RETURN_IF_ERROR(CheckUpdatedItemSize(w.new_size));
    }
    RETURN_IF_ERROR(CommitWrite(ctx, w, pk.hash, cap != CapacityMode::kNone, &written));
  }
  const std::optional<Item>& old = w.old_item;
  const std::optional<Item>& next = w.new_item;
  out.StartObject();
  switch (rv) {
    case ReturnValues::kNone:
      break;
    case ReturnValues::kAllOld:
      if (old) WriteAttributes(*old, out);
      break;
    case ReturnValues::kAllNew:
      if (next) WriteAttributes(*next, out);
      break;
    case ReturnValues::kUpdatedOld:
    case ReturnValues::kUpdatedNew: {
      if (!update) break;
      expr::Projection p{expr::UpdatedPaths(*update)};
      const std::optional<Item>& src = rv == ReturnValues::kUpdatedOld ? old : next;
      if (src) WriteAttributes(expr::Project(p, *src), out);
      break;
    }
  }
  WriteWriteMetrics(cap, metrics, info, pk.hash, written, out);
  out.EndObject();
  return Status::Ok();
}

Status DeleteItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateDeleteItemMembers(req));
  ASSIGN_OR_RETURN(std::string table_name, RequireTableName(req));
  RETURN_IF_ERROR(
      CheckNoMixedParameters(req, {"Expected", "ConditionalOperator"}, {"ConditionExpression"}));
  ASSIGN_OR_RETURN(Item key_item, DecodeKey(Member(req, "Key")));
  ASSIGN_OR_RETURN(ReturnValues rv, ReadReturnValues(req, false));
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(bool metrics, ReadReturnItemCollectionMetrics(req));
  ASSIGN_OR_RETURN(bool return_old_on_fail, ReadReturnOldOnConditionFailure(req));
  ASSIGN_OR_RETURN(auto in, ReadExprInputs(req));
  ASSIGN_OR_RETURN(WriteCondition wc, ReadCondition(req, *in));
  RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(
      *in, Member(req, "ConditionExpression") != nullptr, "ConditionExpression is null"));
  RETURN_IF_ERROR(in->ctx.CheckAllUsed());
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(table_name));
  ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromItem(table->info.key, key_item));

  ItemWrite w{table, StorageKey(table->info, pk), std::nullopt};
  return PutOrDelete(ctx, w, pk, wc, return_old_on_fail, cap, metrics, rv, out);
}

}  // namespace ddb::ops
