// TransactWriteItems and TransactGetItems.
//
// A write transaction holds the locks of all its items (taken in a fixed
// order, so transactions never deadlock), checks every condition, and
// applies every change -- items and index entries -- in one atomic store
// batch: all or nothing, and no reader or writer ever sees a half-applied
// transaction. While it runs, its items are registered as held, so an
// ordinary write to one of them fails with TransactionConflictException.
//
// Capacity: a transactional read or write costs twice an ordinary one (the
// table part; index maintenance is not transactional and costs what it
// costs an ordinary write). On PROVISIONED tables an action whose table or
// GSI capacity is exhausted cancels the transaction with the reason
// ProvisionedThroughputExceeded, and an action that would grow an item
// collection of an LSI table past its limit with ItemCollectionSizeLimitExceeded.
#include <map>
#include <set>

#include "ddb/engine/capacity.h"
#include "ddb/engine/item_collections.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/validation_items.h"
#include "ddb/engine/write_accounting.h"
#include "ddb/format/client_tokens.h"
#include "ddb/format/pitr_log.h"

namespace ddb::ops {
namespace {

// The aggregate size of the items a transaction writes or reads.
constexpr size_t kMaxTransactionBytes = 4u << 20;
constexpr const char* kTransactionTooLarge =
    "Transaction size has exceeded the maximum allowed size";

struct TxAction {
  enum class Kind { kConditionCheck, kPut, kDelete, kUpdate } kind;
  std::string table_name;
  Item sent;  // a Put's item, else the Key, decoded
  ItemWrite w;
  PrimaryKey pk;
  expr::Condition cond;
  expr::Update update;
  bool return_old = false;
  std::unique_ptr<ExprInputs> in;
};

std::string Fingerprint(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return b.GetString();
}

// Phase 3 of one action (validation.h): what needs no table -- its kind,
// its values, its item's size, its expressions and placeholders. Errors here
// fail the whole request with a ValidationException (as ScyllaDB's
// test_transact.py records of DynamoDB: syntax errors, missing and unused
// placeholders).
Result<TxAction> ParseWriteAction(const rapidjson::Value& item) {
  static const char* kKinds[] = {"ConditionCheck", "Put", "Delete", "Update"};
  const rapidjson::Value* body = nullptr;
  int which = -1;
  for (int i = 0; i < 4; ++i) {
    if (const auto* b = Member(item, kKinds[i])) {
      if (body) {
        return Validation("TransactItems can only contain one of Check, Put, Update or Delete");
      }
      body = b;
      which = i;
    }
  }
  if (!body) {
    return Validation("TransactItems can only contain one of Check, Put, Update or Delete");
  }
  TxAction a;
  a.kind = static_cast<TxAction::Kind>(which);
  ASSIGN_OR_RETURN(a.table_name, RequireTableName(*body));
  ASSIGN_OR_RETURN(a.return_old, ReadReturnOldOnConditionFailure(*body));
  ASSIGN_OR_RETURN(a.in, ReadExprInputs(*body));
  if (a.kind == TxAction::Kind::kPut) {
    ASSIGN_OR_RETURN(a.sent, DecodeItem(*Member(*body, "Item")));
    a.w.new_size = ItemSize(a.sent);
    if (a.w.new_size > kMaxItemSize) {
      return Validation("Item size has exceeded the maximum allowed size");
    }
  } else {
    ASSIGN_OR_RETURN(a.sent, DecodeKey(Member(*body, "Key")));
  }
  ASSIGN_OR_RETURN(auto cond_text, OptString(*body, "ConditionExpression"));
  if (cond_text) {
    ASSIGN_OR_RETURN(a.cond, expr::ParseCondition(*cond_text, "ConditionExpression", a.in->ctx));
  }
  if (a.kind == TxAction::Kind::kUpdate) {
    ASSIGN_OR_RETURN(auto text, OptString(*body, "UpdateExpression"));
    ASSIGN_OR_RETURN(a.update, expr::ParseUpdate(*text, a.in->ctx));
  }
  RETURN_IF_ERROR(a.in->ctx.CheckAllUsed());
  return a;
}

// Phase 5 of one action: its key (or Put's item) against the table's schema.
// DynamoDB answers these with a TransactionCanceledException whose reason
// for the action is ValidationError (ScyllaDB's
// test_transact_write_cancellation_reasons_validationerror: a Put whose key
// has the wrong type); that the Key of the other kinds and an Update of a
// key attribute are answered the same way is a guess.
Status BindWriteAction(TxAction& a) {
  const TableInfo& info = a.w.table->info;
  if (a.kind == TxAction::Kind::kPut) {
    RETURN_IF_ERROR(ValidateItemKeys(info, a.sent));
    a.pk = KeyOfItem(info.key, a.sent);
    a.w.new_item = std::move(a.sent);
  } else {
    ASSIGN_OR_RETURN(a.pk, KeyFromItem(info.key, a.sent));
  }
  if (a.kind == TxAction::Kind::kUpdate) {
    for (const expr::Path& p : expr::UpdatedPaths(*a.update)) {
      if (p.empty() || p[0].is_index) continue;
      if (p[0].name == info.key.hash.name ||
          (info.key.range && p[0].name == info.key.range->name)) {
        return Validation("One or more parameter values were invalid: Cannot update attribute " +
                          p[0].name + ". This attribute is part of the key");
      }
    }
  }
  a.w.key = StorageKey(info, a.pk);
  return Status::Ok();
}

struct Reason {
  std::string code = "None";
  std::string message;
  const Item* item = nullptr;
};

// TransactionCanceledException with the reasons in action order.
Error Cancelled(const std::vector<Reason>& reasons) {
  std::string codes, json = "\"CancellationReasons\":[";
  for (size_t i = 0; i < reasons.size(); ++i) {
    codes += (i ? ", " : "") + reasons[i].code;
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    w.StartObject();
    if (reasons[i].item) {
      w.Key("Item");
      EncodeItem(*reasons[i].item, w);
    }
    w.Key("Code");
    w.String(reasons[i].code.c_str());
    if (!reasons[i].message.empty()) {
      w.Key("Message");
      w.String(reasons[i].message.c_str());
    }
    w.EndObject();
    json += (i ? "," : "") + std::string(b.GetString());
  }
  json += "]";
  return Error{ErrorCode::kTransactionCanceled,
               "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
                   codes + "]",
               std::move(json)};
}

// The reason code of an error that cancels one action.
std::string ReasonCode(const Error& e) {
  if (e.code == ErrorCode::kProvisionedThroughputExceeded) return "ProvisionedThroughputExceeded";
  if (e.code == ErrorCode::kItemCollectionSizeLimitExceeded) {
    return "ItemCollectionSizeLimitExceeded";
  }
  return "ValidationError";
}

// The response to a replay of a committed transaction (its ClientRequestToken
// remembered): nothing is written; the capacity reported is "the number of
// read capacity units consumed in reading the item" (API Reference,
// TransactWriteItems, ClientRequestToken). How DynamoDB counts those reads is
// a guess: one strongly consistent read of each action's item as it is now.
Status WriteReplay(EngineContext& ctx, const std::vector<TxAction>& actions, CapacityMode cap,
                   JsonWriter& out) {
  CapacityByTable used;
  for (const auto& a : actions) {
    std::string stored;
    ASSIGN_OR_RETURN(bool found, ctx.store->Get(a.w.key, &stored));
    Consumed units;
    units.table = ReadUnits(found ? StoredItemSize(stored) : 0, true);
    ctx.throttle.Charge(a.w.table->info, units, true);
    used.Add(a.w.table->info.name, units);
  }
  out.StartObject();
  used.Write(cap, true, out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace

Status TransactWriteItems(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateTransactWriteItemsMembers(req));
  const rapidjson::Value* items = Member(req, "TransactItems");
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  ASSIGN_OR_RETURN(bool metrics, ReadReturnItemCollectionMetrics(req));
  ASSIGN_OR_RETURN(auto token, OptString(req, "ClientRequestToken"));
  std::string fingerprint;
  if (token) {
    fingerprint = RequestFingerprint(Fingerprint(*items));
  }
  std::vector<TxAction> actions;
  size_t put_bytes = 0;
  for (auto& item : items->GetArray()) {
    ASSIGN_OR_RETURN(TxAction a, ParseWriteAction(item));
    if (a.kind == TxAction::Kind::kPut) put_bytes += a.w.new_size;
    actions.push_back(std::move(a));
  }
  // Phase 4: every table; phase 5: every action against its schema, the
  // first failure cancelling the transaction (the other actions' reasons
  // are None: DynamoDB stops at the first, per ScyllaDB's test).
  for (auto& a : actions) {
    ASSIGN_OR_RETURN(a.w.table, ctx.catalog.Get(a.table_name));
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    if (Status st = BindWriteAction(actions[i]); !st.ok()) {
      std::vector<Reason> reasons(actions.size());
      reasons[i].code = "ValidationError";
      reasons[i].message = st.error().message;
      return Cancelled(reasons);
    }
  }
  std::set<std::string> seen;
  for (const auto& a : actions) {
    if (!seen.insert(a.w.key).second) {
      return Validation("Transaction request cannot include multiple operations on one item");
    }
  }
  if (put_bytes > kMaxTransactionBytes) return Validation(kTransactionTooLarge);
  std::optional<TokenClaim> claim;  // transactions.h: remembered with the commit
  if (token) {
    ASSIGN_OR_RETURN(TokenClaim c, ctx.transactions.ClaimToken(*token, fingerprint));
    claim.emplace(std::move(c));
    if (claim->replay()) {
      // The transaction it repeats may not be synced yet: answer after it is.
      RETURN_IF_ERROR(ctx.store->SyncBeforeAnswer());
      return WriteReplay(ctx, actions, cap, out);
    }
  }
  std::vector<std::string> keys;
  for (const auto& a : actions) keys.push_back(a.w.key);
  CapacityByTable used;
  CollectionTracker collections(ctx);
  {
    ctx.transactions.Hold(keys);
    struct Releaser {
      TransactionRegistry& r;
      const std::vector<std::string>& k;
      ~Releaser() { r.Release(k); }
    } releaser{ctx.transactions, keys};
    KeyLocks::MultiLock lock(ctx.locks, keys);
    std::vector<Reason> reasons(actions.size());
    bool failed = false;
    static const Item kEmpty;
    for (size_t i = 0; i < actions.size(); ++i) {
      TxAction& a = actions[i];
      RETURN_IF_ERROR(a.w.Load(ctx));
      const Item& current = a.w.old_item ? *a.w.old_item : kEmpty;
      if (a.cond && !expr::Evaluate(*a.cond, current)) {
        reasons[i].code = "ConditionalCheckFailed";
        reasons[i].message = "The conditional request failed";
        if (a.return_old && a.w.old_item) reasons[i].item = &*a.w.old_item;
        failed = true;
        continue;
      }
      if (a.kind == TxAction::Kind::kUpdate) {
        // As UpdateItem: an update that only removes leaves a missing item
        // missing (expr::UpdatedItem).
        const TableInfo& info = a.w.table->info;
        auto next = expr::UpdatedItem(a.update.get(), a.w.old_item ? &*a.w.old_item : nullptr,
                                      KeyAttributes(info.key, a.pk));
        Status st = next.ok() ? Status::Ok() : Status(next.error());
        size_t size = 0;
        if (st.ok() && *next) {
          st = ValidateItemKeys(info, **next);
          size = ItemSize(**next);
          if (st.ok()) st = CheckUpdatedItemSize(size);
        }
        if (!st.ok()) {
          reasons[i].code = "ValidationError";
          reasons[i].message = st.error().message;
          failed = true;
          continue;
        }
        a.w.new_size = size;
        a.w.new_item = std::move(*next);
      }
    }
    if (failed) return Cancelled(reasons);
    // The aggregate size of the items written, updates included.
    size_t written_bytes = 0;
    for (const auto& a : actions) {
      if (a.w.new_item) written_bytes += a.w.new_size;
    }
    if (written_bytes > kMaxTransactionBytes) return Validation(kTransactionTooLarge);
    // Capacity and item collections, action by action: every bucket must
    // admit the transaction before any is charged.
    std::vector<Consumed> costs(actions.size());
    std::vector<const TableInfo*> tables;
    std::vector<const AttributeValue*> hashes;
    for (const auto& a : actions) {
      tables.push_back(&a.w.table->info);
      hashes.push_back(&a.pk.hash);
    }
    collections.Lock(tables, hashes);
    for (size_t i = 0; i < actions.size(); ++i) {
      TxAction& a = actions[i];
      const TableInfo& info = a.w.table->info;
      WriteCharge c;
      if (a.kind == TxAction::Kind::kConditionCheck) {
        c.units = ChargeForFailedWrite(a.w.old_size);  // a read of the item, in write units
      } else if (!(a.kind == TxAction::Kind::kDelete && !a.w.old_item)) {
        c = ChargeFor(a.w);
      } else {
        c.units.table = WriteUnits(0);
      }
      // Transactional writes cost twice an ordinary write.
      c.units.table *= 2;
      costs[i] = c.units;
      Status st = ctx.throttle.Check(info, costs[i], false);
      if (st.ok() && a.kind != TxAction::Kind::kConditionCheck) {
        st = collections.Add(info, a.pk.hash, c.collection_delta);
      }
      if (!st.ok()) {
        reasons[i].code = ReasonCode(st.error());
        reasons[i].message = st.error().message;
        failed = true;
      }
    }
    if (failed) return Cancelled(reasons);
    WriteBatch batch;
    PitrCommit commit;  // restored all or nothing: one commit time
    // A delete of a missing item and an update that leaves one missing
    // change nothing: no record in the batch, the logs or the statistics.
    auto changes = [](const TxAction& a) {
      return a.kind != TxAction::Kind::kConditionCheck && (a.w.old_item || a.w.new_item);
    };
    for (auto& a : actions) {
      if (changes(a)) a.w.AddTo(batch, &commit);
    }
    if (claim) claim->AddTo(batch);
    RETURN_IF_ERROR(ctx.store->Write(batch));
    if (claim) claim->Committed();
    collections.Commit();
    for (size_t i = 0; i < actions.size(); ++i) {
      TxAction& a = actions[i];
      if (changes(a)) a.w.CommitStats();
      ctx.throttle.Charge(a.w.table->info, costs[i], false);
      used.Add(a.w.table->info.name, costs[i]);
    }
  }
  rapidjson::StringBuffer body;
  JsonWriter w(body);
  w.StartObject();
  used.Write(cap, false, w);
  if (metrics) {
    // One entry per written item of a table with local secondary indexes.
    std::map<std::string, std::vector<const TxAction*>> by_table;
    for (const auto& a : actions) {
      if (a.kind != TxAction::Kind::kConditionCheck && !a.w.table->info.lsis.empty()) {
        by_table[a.w.table->info.name].push_back(&a);
      }
    }
    if (!by_table.empty()) {
      w.Key("ItemCollectionMetrics");
      w.StartObject();
      for (const auto& [name, list] : by_table) {
        w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        w.StartArray();
        for (const TxAction* a : list) {
          const TableInfo& info = a->w.table->info;
          WriteItemCollectionMetrics(info, a->pk.hash, collections.SizeOf(info, a->pk.hash), w);
        }
        w.EndArray();
      }
      w.EndObject();
    }
  }
  w.EndObject();
  out.RawValue(body.GetString(), body.GetSize(), rapidjson::kObjectType);
  return Status::Ok();
}

Status TransactGetItems(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateTransactGetItemsMembers(req));
  const rapidjson::Value* items = Member(req, "TransactItems");
  ASSIGN_OR_RETURN(CapacityMode cap, ReadCapacityMode(req));
  struct Get {
    std::string table_name;
    Item key_item;
    TablePtr table;
    std::string key;
    std::optional<expr::Projection> projection;
    std::unique_ptr<ExprInputs> in;
  };
  // Phase 3: each Get's values and expressions.
  std::vector<Get> gets;
  for (auto& item : items->GetArray()) {
    const auto* body = Member(item, "Get");
    Get g;
    ASSIGN_OR_RETURN(g.table_name, RequireTableName(*body));
    ASSIGN_OR_RETURN(g.key_item, DecodeKey(Member(*body, "Key")));
    ASSIGN_OR_RETURN(g.in, ReadExprInputs(*body));
    ASSIGN_OR_RETURN(auto proj, OptString(*body, "ProjectionExpression"));
    if (proj) {
      ASSIGN_OR_RETURN(g.projection, expr::ParseProjection(*proj, g.in->ctx));
    }
    RETURN_IF_ERROR(g.in->ctx.CheckAllUsed());
    gets.push_back(std::move(g));
  }
  // Phase 4: the tables. Phase 5: a key that does not match its table's
  // schema cancels the transaction with a ValidationError reason for that
  // Get (the reasons TransactGetItems' API reference lists).
  for (auto& g : gets) {
    ASSIGN_OR_RETURN(g.table, ctx.catalog.Get(g.table_name));
  }
  for (size_t i = 0; i < gets.size(); ++i) {
    auto pk = KeyFromItem(gets[i].table->info.key, gets[i].key_item);
    if (!pk.ok()) {
      std::vector<Reason> reasons(gets.size());
      reasons[i].code = "ValidationError";
      reasons[i].message = pk.error().message;
      return Cancelled(reasons);
    }
    gets[i].key = StorageKey(gets[i].table->info, *pk);
  }
  std::set<std::string> seen;
  for (const auto& g : gets) {
    if (!seen.insert(g.key).second) {
      return Validation("Transaction request cannot include multiple operations on one item");
    }
  }
  std::vector<std::string> keys;
  for (const auto& g : gets) keys.push_back(g.key);
  // Every table read must have read capacity left (jobs/throttle.h).
  {
    std::vector<Reason> reasons(gets.size());
    bool throttled = false;
    for (size_t i = 0; i < gets.size(); ++i) {
      if (Status st = ctx.throttle.CheckRead(gets[i].table->info, nullptr); !st.ok()) {
        reasons[i].code = ReasonCode(st.error());
        reasons[i].message = st.error().message;
        throttled = true;
      }
    }
    if (throttled) return Cancelled(reasons);
  }
  std::vector<std::pair<bool, std::string>> values(gets.size());
  {
    // Reading under all the items' locks makes the reads one consistent
    // snapshot with respect to every writer.
    KeyLocks::MultiLock lock(ctx.locks, keys);
    for (size_t i = 0; i < gets.size(); ++i) {
      ASSIGN_OR_RETURN(values[i].first, ctx.store->Get(gets[i].key, &values[i].second));
    }
  }
  size_t total_bytes = 0;
  for (const auto& v : values) {
    if (v.first) total_bytes += StoredItemSize(v.second);
  }
  if (total_bytes > kMaxTransactionBytes) return Validation(kTransactionTooLarge);
  CapacityByTable used;
  out.StartObject();
  out.Key("Responses");
  out.StartArray();
  for (size_t i = 0; i < gets.size(); ++i) {
    out.StartObject();
    size_t size = 0;
    if (values[i].first) {
      size = StoredItemSize(values[i].second);
      out.Key("Item");
      if (gets[i].projection) {
        ASSIGN_OR_RETURN(Item it, DecodeStoredItem(values[i].second));
        EncodeItem(expr::Project(*gets[i].projection, it), out);
      } else {
        std::string_view json = StoredItemJson(values[i].second);
        out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
      }
    }
    out.EndObject();
    Consumed units;
    // Transactional reads cost twice a strongly consistent read.
    units.table = 2 * ReadUnits(size, true);
    ctx.throttle.Charge(gets[i].table->info, units, true);
    used.Add(gets[i].table->info.name, units);
  }
  out.EndArray();
  used.Write(cap, true, out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
