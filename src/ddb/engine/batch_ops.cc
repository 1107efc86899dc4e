// BatchGetItem and BatchWriteItem.
//
// A batch is validated whole before anything is read or written (as in
// DynamoDB: one bad element fails the call). BatchWriteItem then applies all
// of its puts and deletes in one atomic store batch, holding every item's
// lock, so it costs one fsync; DynamoDB promises less (each item is atomic on
// its own), so this is compatible.
//
// On PROVISIONED tables each key or item is admitted on its own (jobs/throttle.h):
// what the table's capacity does not admit is returned in UnprocessedKeys /
// UnprocessedItems, and only when nothing at all could be processed does the
// call fail with ProvisionedThroughputExceededException, as in DynamoDB.
#include <map>
#include <optional>
#include <set>

#include "ddb/engine/capacity.h"
#include "ddb/engine/item_collections.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/validation_items.h"
#include "ddb/engine/write_accounting.h"
#include "ddb/expr/legacy.h"
#include "ddb/format/pitr_log.h"

namespace ddb::ops {
namespace {

constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchWriteItems = 25;
constexpr size_t kMaxResponseBytes = 16u << 20;

struct GetGroup {
  std::string table_name;
  TablePtr table;
  std::vector<Item> key_items;  // as sent, decoded
  std::vector<PrimaryKey> keys;
  std::vector<const rapidjson::Value*> raw_keys;
  std::optional<expr::Projection> projection;
  bool consistent = false;
  std::unique_ptr<ExprInputs> in;
  const rapidjson::Value* request = nullptr;  // the table's KeysAndAttributes
};

}  // namespace

Status BatchGetItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateBatchGetItemMembers(req));
  const rapidjson::Value* items = Member(req, "RequestItems");
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  // Phase 3, per table in dynalite's order (validations/batchGetItem.js):
  // mixed parameters, the keys' values, duplicate keys, the 100-key limit,
  // the expressions. Duplicates are found before the table is looked up.
  std::vector<GetGroup> groups;
  size_t total = 0;
  for (auto& m : items->GetObject()) {
    GetGroup g;
    g.table_name.assign(m.name.GetString(), m.name.GetStringLength());
    g.request = &m.value;
    RETURN_IF_ERROR(CheckNoMixedParameters(m.value, {"AttributesToGet"}, {"ProjectionExpression"}));
    std::set<std::string> seen;
    for (auto& k : Member(m.value, "Keys")->GetArray()) {
      ASSIGN_OR_RETURN(Item key, DecodeKey(&k));
      if (!seen.insert(ItemToJson(key)).second) {
        return Validation("Provided list of item keys contains duplicates");
      }
      if (++total > kMaxBatchGetKeys) {
        return Validation("Too many items requested for the BatchGetItem call");
      }
      g.key_items.push_back(std::move(key));
      g.raw_keys.push_back(&k);
    }
    ASSIGN_OR_RETURN(auto consistent, OptBool(m.value, "ConsistentRead"));
    g.consistent = consistent.value_or(false);
    ASSIGN_OR_RETURN(g.in, ReadExprInputs(m.value));
    ASSIGN_OR_RETURN(auto proj, OptString(m.value, "ProjectionExpression"));
    if (proj) {
      ASSIGN_OR_RETURN(g.projection, expr::ParseProjection(*proj, g.in->ctx));
    } else if (const auto* atg = Member(m.value, "AttributesToGet")) {
      ASSIGN_OR_RETURN(g.projection, expr::TranslateAttributesToGet(*atg));
    }
    RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(*g.in, proj.has_value(),
                                                        "ProjectionExpression is null"));
    RETURN_IF_ERROR(g.in->ctx.CheckAllUsed());
    groups.push_back(std::move(g));
  }
  // Phases 4-5: every table, then every key against its table's schema.
  for (auto& g : groups) {
    ASSIGN_OR_RETURN(g.table, ctx.catalog.Get(g.table_name));
  }
  for (auto& g : groups) {
    for (const Item& key : g.key_items) {
      ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromItem(g.table->info.key, key));
      g.keys.push_back(std::move(pk));
    }
  }

  CapacityByTable used;
  size_t response_bytes = 0;
  bool full = false;
  // Keys not served because the response reached 16 MB or the table's read
  // capacity is exhausted, per table.
  std::map<std::string, std::vector<const rapidjson::Value*>> unprocessed;
  std::optional<Error> throttled;
  size_t processed = 0;
  out.StartObject();
  out.Key("Responses");
  out.StartObject();
  for (auto& g : groups) {
    const TableInfo& info = g.table->info;
    out.Key(info.name.c_str(), static_cast<rapidjson::SizeType>(info.name.size()));
    out.StartArray();
    Consumed units;
    for (size_t i = 0; i < g.keys.size(); ++i) {
      if (full) {
        unprocessed[info.name].push_back(g.raw_keys[i]);
        continue;
      }
      if (Status st = ctx.throttle.CheckRead(info, nullptr); !st.ok()) {
        if (!throttled) throttled = st.error();
        unprocessed[info.name].push_back(g.raw_keys[i]);
        continue;
      }
      ++processed;
      std::string stored;
      ASSIGN_OR_RETURN(bool found, ctx.store->Get(StorageKey(info, g.keys[i]), &stored));
      size_t size = found ? StoredItemSize(stored) : 0;
      Consumed one;
      one.table = ReadUnits(size, g.consistent);
      ctx.throttle.Charge(info, one, true);
      units.Add(one);
      if (!found) continue;
      if (g.projection) {
        ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
        EncodeItem(expr::Project(*g.projection, item), out);
      } else {
        std::string_view json = StoredItemJson(stored);
        out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
      }
      response_bytes += size;
      if (response_bytes >= kMaxResponseBytes) full = true;
    }
    out.EndArray();
    if (units.table > 0) used.Add(info.name, units);
  }
  out.EndObject();
  if (processed == 0 && throttled) return *throttled;
  out.Key("UnprocessedKeys");
  out.StartObject();
  for (auto& g : groups) {
    auto it = unprocessed.find(g.table->info.name);
    if (it == unprocessed.end()) continue;
    out.Key(g.table->info.name.c_str(),
            static_cast<rapidjson::SizeType>(g.table->info.name.size()));
    out.StartObject();
    out.Key("Keys");
    out.StartArray();
    for (const auto* k : it->second) k->Accept(out);
    out.EndArray();
    for (const char* p : {"ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead",
                          "AttributesToGet"}) {
      if (const auto* v = Member(*g.request, p)) {
        out.Key(p);
        v->Accept(out);
      }
    }
    out.EndObject();
  }
  out.EndObject();
  used.Write(cap, true, out);
  out.EndObject();
  return Status::Ok();
}

Status BatchWriteItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateBatchWriteItemMembers(req));
  const rapidjson::Value* items = Member(req, "RequestItems");
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(bool metrics, ReadReturnItemCollectionMetrics(req));
  size_t total = 0;
  for (auto& m : items->GetObject()) total += m.value.Size();
  if (total > kMaxBatchWriteItems) {
    return Validation("Too many items requested for the BatchWriteItem call");
  }
  // Phase 3 (validations/batchWriteItem.js): each request's kind, its
  // values and its item's size.
  struct Pending {
    const rapidjson::Value* raw;
    std::string table_name;
    std::optional<Item> item;  // a put's item, else a delete's key
    Item key;
  };
  std::vector<Pending> pending;
  for (auto& m : items->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    for (auto& w : m.value.GetArray()) {
      const auto* put = Member(w, "PutRequest");
      const auto* del = Member(w, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        return Validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      Pending p{&w, name, std::nullopt, {}};
      if (put) {
        ASSIGN_OR_RETURN(Item item, DecodeItem(*Member(*put, "Item")));
        if (ItemSize(item) > kMaxItemSize) {
          return Validation("Item size has exceeded the maximum allowed size");
        }
        p.item = std::move(item);
      } else {
        ASSIGN_OR_RETURN(p.key, DecodeKey(Member(*del, "Key")));
      }
      pending.push_back(std::move(p));
    }
  }
  // Phase 4: every table. Phase 5: keys against the schemas, then duplicates
  // (dynalite's test "should check table exists first before checking for
  // duplicate keys").
  std::map<std::string, TablePtr> tables;
  for (auto& m : items->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    ASSIGN_OR_RETURN(tables[name], ctx.catalog.Get(name));
  }
  std::vector<ItemWrite> writes;
  std::vector<const rapidjson::Value*> raw;  // each write's request element
  std::vector<AttributeValue> hashes;        // each write's partition key
  std::set<std::string> seen;
  for (Pending& p : pending) {
    const TablePtr& table = tables[p.table_name];
    ItemWrite iw{table};
    if (p.item) {
      RETURN_IF_ERROR(ValidateItemKeys(table->info, *p.item));
      iw.new_size = ItemSize(*p.item);
      PrimaryKey pk = KeyOfItem(table->info.key, *p.item);
      iw.key = StorageKey(table->info, pk);
      iw.new_item = std::move(*p.item);
      hashes.push_back(std::move(pk.hash));
    } else {
      ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromItem(table->info.key, p.key));
      iw.key = StorageKey(table->info, pk);
      hashes.push_back(std::move(pk.hash));
    }
    if (!seen.insert(iw.key).second) {
      return Validation("Provided list of item keys contains duplicates");
    }
    writes.push_back(std::move(iw));
    raw.push_back(p.raw);
  }
  std::vector<std::string> keys;
  for (const auto& w : writes) {
    RETURN_IF_ERROR(ctx.transactions.CheckNotHeld(w.key));
    keys.push_back(w.key);
  }
  CapacityByTable used;
  std::vector<size_t> done, skipped;  // indexes into writes
  CollectionTracker collections(ctx);
  std::optional<Error> throttled;
  {
    KeyLocks::MultiLock lock(ctx.locks, keys);
    std::vector<const TableInfo*> tables;
    std::vector<const AttributeValue*> hash_ptrs;
    for (size_t i = 0; i < writes.size(); ++i) {
      RETURN_IF_ERROR(writes[i].Load(ctx));
      tables.push_back(&writes[i].table->info);
      hash_ptrs.push_back(&hashes[i]);
    }
    collections.Lock(tables, hash_ptrs);
    std::vector<WriteCharge> charges(writes.size());
    for (size_t i = 0; i < writes.size(); ++i) {
      const TableInfo& info = writes[i].table->info;
      if (cap != CapacityMode::kNone || !info.lsis.empty() || ctx.throttle.Applies(info)) {
        charges[i] = ChargeFor(writes[i]);
      }
      // An item collection past its limit fails the whole batch (nothing is
      // written yet).
      RETURN_IF_ERROR(collections.Add(info, hashes[i], charges[i].collection_delta));
    }
    WriteBatch batch;
    PitrCommit commit;  // one commit time for the whole batch
    for (size_t i = 0; i < writes.size(); ++i) {
      const TableInfo& info = writes[i].table->info;
      if (Status st = ctx.throttle.Consume(info, charges[i].units, false); !st.ok()) {
        if (!throttled) throttled = st.error();
        collections.Add(info, hashes[i], -charges[i].collection_delta).ok();  // not written
        skipped.push_back(i);
        continue;
      }
      writes[i].AddTo(batch, &commit);
      done.push_back(i);
    }
    if (done.empty() && throttled) return *throttled;
    RETURN_IF_ERROR(ctx.store->Write(batch));
    collections.Commit();
    for (size_t i : done) {
      writes[i].CommitStats();
      used.Add(writes[i].table->info.name, charges[i].units);
    }
  }
  out.StartObject();
  out.Key("UnprocessedItems");
  out.StartObject();
  {
    // Grouped by table, in request order.
    std::map<std::string, std::vector<size_t>> by_table;
    std::vector<std::string> order;
    for (size_t i : skipped) {
      const std::string& name = writes[i].table->info.name;
      if (by_table[name].empty()) order.push_back(name);
      by_table[name].push_back(i);
    }
    for (const auto& name : order) {
      out.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      out.StartArray();
      for (size_t i : by_table[name]) raw[i]->Accept(out);
      out.EndArray();
    }
  }
  out.EndObject();
  used.Write(cap, false, out);
  if (metrics) {
    std::map<std::string, std::vector<size_t>> by_table;
    for (size_t i : done) {
      if (!writes[i].table->info.lsis.empty()) by_table[writes[i].table->info.name].push_back(i);
    }
    if (!by_table.empty()) {
      out.Key("ItemCollectionMetrics");
      out.StartObject();
      for (const auto& [name, idx] : by_table) {
        out.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        out.StartArray();
        for (size_t i : idx) {
          const TableInfo& info = writes[i].table->info;
          WriteItemCollectionMetrics(info, hashes[i], collections.SizeOf(info, hashes[i]), out);
        }
        out.EndArray();
      }
      out.EndObject();
    }
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
