// BatchGetItem and BatchWriteItem.
//
// A batch is validated whole before anything is read or written (as in
// DynamoDB: one bad element fails the call). BatchWriteItem then applies all
// of its puts and deletes in one atomic store batch, holding every item's
// lock, so it costs one fsync; DynamoDB promises less (each item is atomic on
// its own), so this is compatible.
#include <map>
#include <set>

#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/expr/legacy.h"

namespace ddb::ops {
namespace {

constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchWriteItems = 25;
constexpr size_t kMaxResponseBytes = 16u << 20;
constexpr size_t kMaxItemSize = 400 * 1024;

Result<const rapidjson::Value*> RequireRequestItems(const Request& req) {
  const auto* items = Member(req, "RequestItems");
  if (!items) {
    return Validation(
        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
        "Member must not be null");
  }
  if (!items->IsObject()) return Serialization("Unexpected value type in payload");
  if (items->MemberCount() == 0) {
    return Validation(
        "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  }
  return items;
}

void WriteCapacityList(CapacityMode mode,
                       const std::map<std::string, std::pair<TablePtr, double>>& used, bool read,
                       JsonWriter& out) {
  if (mode == CapacityMode::kNone) return;
  out.Key("ConsumedCapacity");
  out.StartArray();
  for (const auto& [name, t] : used) {
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    w.StartObject();
    WriteConsumedCapacity(mode, t.first->info, t.second, read, w);
    w.EndObject();
    // WriteConsumedCapacity writes "ConsumedCapacity": {...}; keep the inner
    // object only.
    std::string s = b.GetString();
    std::string inner = s.substr(s.find(':') + 1);
    inner.pop_back();
    out.RawValue(inner.data(), inner.size(), rapidjson::kObjectType);
  }
  out.EndArray();
}

struct GetGroup {
  TablePtr table;
  std::vector<PrimaryKey> keys;
  std::vector<const rapidjson::Value*> raw_keys;
  std::optional<expr::Projection> projection;
  bool consistent = false;
  std::unique_ptr<ExprInputs> in;
  const rapidjson::Value* request = nullptr;  // the table's KeysAndAttributes
};

}  // namespace

Status BatchGetItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(const rapidjson::Value* items, RequireRequestItems(req));
  DDB_ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  std::vector<GetGroup> groups;
  size_t total = 0;
  for (auto& m : items->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    DDB_RETURN_IF_ERROR(ValidateTableName(name, "requestItems.key"));
    if (!m.value.IsObject()) return Serialization("Unexpected value type in payload");
    const auto* keys = Member(m.value, "Keys");
    if (!keys || !keys->IsArray() || keys->Empty()) {
      return Validation(
          "1 validation error detected: Value null at 'requestItems." + name +
          ".member.keys' failed to satisfy constraint: Member must have length greater than or "
          "equal to 1");
    }
    total += keys->Size();
    if (total > kMaxBatchGetKeys) {
      return Validation("Too many items requested for the BatchGetItem call");
    }
  }
  for (auto& m : items->GetObject()) {
    GetGroup g;
    std::string name(m.name.GetString(), m.name.GetStringLength());
    DDB_ASSIGN_OR_RETURN(g.table, ctx.catalog.Get(name));
    g.request = &m.value;
    DDB_ASSIGN_OR_RETURN(auto consistent, OptBool(m.value, "ConsistentRead"));
    g.consistent = consistent.value_or(false);
    DDB_RETURN_IF_ERROR(
        CheckNoMixedParameters(m.value, {"AttributesToGet"}, {"ProjectionExpression"}));
    DDB_ASSIGN_OR_RETURN(g.in, ReadExprInputs(m.value));
    DDB_ASSIGN_OR_RETURN(auto proj, OptString(m.value, "ProjectionExpression"));
    if (proj) {
      DDB_ASSIGN_OR_RETURN(g.projection, expr::ParseProjection(*proj, g.in->ctx));
    } else if (const auto* atg = Member(m.value, "AttributesToGet")) {
      DDB_ASSIGN_OR_RETURN(g.projection, expr::TranslateAttributesToGet(*atg));
    }
    DDB_RETURN_IF_ERROR(CheckPlaceholdersWithoutExpressions(*g.in, proj.has_value(),
                                                            "ProjectionExpression is null"));
    DDB_RETURN_IF_ERROR(g.in->ctx.CheckAllUsed());
    std::set<std::string> seen;
    for (auto& k : Member(m.value, "Keys")->GetArray()) {
      DDB_ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromRequest(g.table->info.key, &k));
      if (!seen.insert(StorageKey(g.table->info, pk)).second) {
        return Validation("Provided list of item keys contains duplicates");
      }
      g.keys.push_back(std::move(pk));
      g.raw_keys.push_back(&k);
    }
    groups.push_back(std::move(g));
  }

  std::map<std::string, std::pair<TablePtr, double>> used;
  size_t response_bytes = 0;
  bool full = false;
  // Keys not served because the response reached 16 MB, per table.
  std::map<std::string, std::vector<const rapidjson::Value*>> unprocessed;
  out.StartObject();
  out.Key("Responses");
  out.StartObject();
  for (auto& g : groups) {
    const TableInfo& info = g.table->info;
    out.Key(info.name.c_str(), static_cast<rapidjson::SizeType>(info.name.size()));
    out.StartArray();
    double units = 0;
    for (size_t i = 0; i < g.keys.size(); ++i) {
      if (full) {
        unprocessed[info.name].push_back(g.raw_keys[i]);
        continue;
      }
      std::string stored;
      DDB_ASSIGN_OR_RETURN(bool found, ctx.store->Get(StorageKey(info, g.keys[i]), &stored));
      size_t size = found ? StoredItemSize(stored) : 0;
      units += ReadUnits(size, g.consistent);
      if (!found) continue;
      if (g.projection) {
        DDB_ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
        EncodeItem(expr::Project(*g.projection, item), out);
      } else {
        std::string_view json = StoredItemJson(stored);
        out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
      }
      response_bytes += size;
      if (response_bytes >= kMaxResponseBytes) full = true;
    }
    out.EndArray();
    used[info.name] = {g.table, units};
  }
  out.EndObject();
  out.Key("UnprocessedKeys");
  out.StartObject();
  for (auto& g : groups) {
    auto it = unprocessed.find(g.table->info.name);
    if (it == unprocessed.end()) continue;
    out.Key(g.table->info.name.c_str(), static_cast<rapidjson::SizeType>(g.table->info.name.size()));
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
  WriteCapacityList(cap, used, true, out);
  out.EndObject();
  return Status::Ok();
}

Status BatchWriteItem(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(const rapidjson::Value* items, RequireRequestItems(req));
  DDB_ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  size_t total = 0;
  for (auto& m : items->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    DDB_RETURN_IF_ERROR(ValidateTableName(name, "requestItems.key"));
    if (!m.value.IsArray()) return Serialization("Unexpected value type in payload");
    if (m.value.Empty()) {
      return Validation(
          "1 validation error detected: Value '{" + name +
          "=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
          "constraint: [Member must have length less than or equal to 25, Member must have "
          "length greater than or equal to 1]");
    }
    total += m.value.Size();
  }
  if (total > kMaxBatchWriteItems) {
    return Validation(
        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map "
        "value must satisfy constraint: [Member must have length less than or equal to 25, Member "
        "must have length greater than or equal to 1]");
  }
  std::vector<ItemWrite> writes;
  std::set<std::string> seen;
  for (auto& m : items->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    DDB_ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(name));
    for (auto& w : m.value.GetArray()) {
      if (!w.IsObject()) return Serialization("Unexpected value type in payload");
      const auto* put = Member(w, "PutRequest");
      const auto* del = Member(w, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        return Validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      ItemWrite iw{table};
      if (put) {
        const auto* item_json = Member(*put, "Item");
        if (!item_json || !item_json->IsObject()) {
          return Validation(
              "1 validation error detected: Value null at 'requestItems." + name +
              ".member.putRequest.item' failed to satisfy constraint: Member must not be null");
        }
        DDB_ASSIGN_OR_RETURN(Item item, DecodeItem(*item_json));
        DDB_RETURN_IF_ERROR(ValidateItemKeys(table->info, item));
        iw.new_size = ItemSize(item);
        if (iw.new_size > kMaxItemSize) {
          return Validation("Item size has exceeded the maximum allowed size");
        }
        iw.key = StorageKey(table->info, KeyOfItem(table->info.key, item));
        iw.new_item = std::move(item);
      } else {
        DDB_ASSIGN_OR_RETURN(PrimaryKey pk, KeyFromRequest(table->info.key, Member(*del, "Key")));
        iw.key = StorageKey(table->info, pk);
      }
      if (!seen.insert(iw.key).second) {
        return Validation("Provided list of item keys contains duplicates");
      }
      writes.push_back(std::move(iw));
    }
  }
  std::vector<std::string> keys;
  for (const auto& w : writes) {
    DDB_RETURN_IF_ERROR(ctx.transactions.CheckNotHeld(w.key));
    keys.push_back(w.key);
  }
  std::map<std::string, std::pair<TablePtr, double>> used;
  {
    KeyLocks::MultiLock lock(ctx.locks, keys);
    WriteBatch batch;
    for (auto& w : writes) {
      DDB_RETURN_IF_ERROR(w.Load(ctx));
      w.AddTo(batch);
    }
    DDB_RETURN_IF_ERROR(ctx.store->Write(batch));
    for (auto& w : writes) {
      w.CommitStats();
      auto& u = used[w.table->info.name];
      u.first = w.table;
      u.second += w.WriteCost();
    }
  }
  out.StartObject();
  out.Key("UnprocessedItems");
  out.StartObject();
  out.EndObject();
  WriteCapacityList(cap, used, false, out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
