// Query and Scan: range reads over a table's key space, with Limit, the 1 MB
// page limit, filters, projections, Select and pagination keys.
#include <cstring>

#include "ddb/engine/item_common.h"
#include "ddb/engine/keys.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/expr/legacy.h"
#include "ddb/model/number.h"

namespace ddb::ops {
namespace {

constexpr size_t kPageBytes = 1024 * 1024;

enum class Select { kAllAttributes, kAllProjected, kSpecific, kCount };

// Options common to Query and Scan.
struct ReadRequest {
  TablePtr table;
  std::unique_ptr<ExprInputs> in;
  std::optional<int64_t> limit;
  bool consistent = false;
  CapacityMode cap = CapacityMode::kNone;
  Select select = Select::kAllAttributes;
  std::optional<expr::Projection> projection;
  expr::Condition filter;
  std::optional<PrimaryKey> exclusive_start;
};

Result<ReadRequest> ReadCommon(EngineContext& ctx, const Request& req, bool is_query) {
  ReadRequest r;
  DDB_ASSIGN_OR_RETURN(std::string table_name, RequireTableName(req));
  DDB_ASSIGN_OR_RETURN(r.table, ctx.catalog.Get(table_name));
  DDB_ASSIGN_OR_RETURN(auto index_name, OptString(req, "IndexName"));
  if (index_name) {
    bool global = false;
    if (!r.table->info.FindIndex(*index_name, &global)) {
      return Validation("The table does not have the specified index: " + *index_name);
    }
    // Index entries are maintained by the secondary-index work (a later
    // issue); until then an index read would silently return nothing.
    return Validation("Reading a secondary index is not supported yet by this server: " +
                      *index_name);
  }
  DDB_ASSIGN_OR_RETURN(r.limit, OptInt(req, "Limit"));
  if (r.limit && *r.limit < 1) {
    return Validation("1 validation error detected: Value '" + std::to_string(*r.limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value greater "
                      "than or equal to 1");
  }
  DDB_ASSIGN_OR_RETURN(auto consistent, OptBool(req, "ConsistentRead"));
  r.consistent = consistent.value_or(false);
  DDB_ASSIGN_OR_RETURN(r.cap, ReadCapacityMode(req));
  const char* filter_param = is_query ? "QueryFilter" : "ScanFilter";
  DDB_RETURN_IF_ERROR(CheckNoMixedParameters(
      req,
      is_query ? std::initializer_list<std::string_view>{"AttributesToGet", "QueryFilter",
                                                         "ConditionalOperator", "KeyConditions"}
               : std::initializer_list<std::string_view>{"AttributesToGet", "ScanFilter",
                                                         "ConditionalOperator"},
      {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"}));
  DDB_ASSIGN_OR_RETURN(r.in, ReadExprInputs(req));
  DDB_ASSIGN_OR_RETURN(auto proj_text, OptString(req, "ProjectionExpression"));
  if (proj_text) {
    DDB_ASSIGN_OR_RETURN(r.projection, expr::ParseProjection(*proj_text, r.in->ctx));
  } else if (const auto* atg = Member(req, "AttributesToGet")) {
    DDB_ASSIGN_OR_RETURN(r.projection, expr::TranslateAttributesToGet(*atg));
  }
  DDB_ASSIGN_OR_RETURN(auto filter_text, OptString(req, "FilterExpression"));
  if (filter_text) {
    DDB_ASSIGN_OR_RETURN(r.filter, expr::ParseCondition(*filter_text, "FilterExpression", r.in->ctx));
  } else if (const auto* f = Member(req, filter_param)) {
    DDB_ASSIGN_OR_RETURN(r.filter, expr::TranslateFilter(*f, Member(req, "ConditionalOperator")));
  }
  DDB_ASSIGN_OR_RETURN(auto select, OptString(req, "Select"));
  if (select) {
    if (*select == "ALL_ATTRIBUTES") {
      r.select = Select::kAllAttributes;
    } else if (*select == "ALL_PROJECTED_ATTRIBUTES") {
      r.select = Select::kAllProjected;
    } else if (*select == "SPECIFIC_ATTRIBUTES") {
      r.select = Select::kSpecific;
    } else if (*select == "COUNT") {
      r.select = Select::kCount;
    } else {
      return Validation("1 validation error detected: Value '" + *select +
                        "' at 'select' failed to satisfy constraint: Member must satisfy enum "
                        "value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
                        "ALL_PROJECTED_ATTRIBUTES]");
    }
    if (r.select == Select::kAllProjected) {
      return Validation(
          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    if (r.projection && r.select != Select::kSpecific) {
      return Validation("Cannot specify the AttributesToGet or ProjectionExpression when "
                        "choosing to get " +
                        *select);
    }
    if (!r.projection && r.select == Select::kSpecific) {
      return Validation("Must specify the AttributesToGet or ProjectionExpression when choosing "
                        "to get SPECIFIC_ATTRIBUTES");
    }
  }
  if (const auto* esk = Member(req, "ExclusiveStartKey")) {
    auto k = KeyFromRequest(r.table->info.key, esk);
    if (!k.ok()) return Validation("The provided starting key is invalid: " + k.error().message);
    r.exclusive_start = std::move(k).value();
  }
  return r;
}

// Scans [lower, upper) in the given direction and writes Items / Count /
// ScannedCount / LastEvaluatedKey / ConsumedCapacity.
Status RunRead(EngineContext& ctx, ReadRequest& r, const std::string& lower,
               const std::string& upper, bool reverse, JsonWriter& out) {
  const TableInfo& info = r.table->info;
  auto cur = ctx.store->NewCursor(lower, upper, reverse);
  cur->SeekToStart();
  size_t bytes = 0;
  int64_t scanned = 0, count = 0;
  bool stopped_early = false;
  std::string last_stored;
  const bool want_items = r.select != Select::kCount;
  const bool raw = want_items && !r.projection && !r.filter;
  out.StartObject();
  if (want_items) {
    out.Key("Items");
    out.StartArray();
  }
  for (; cur->Valid(); cur->Next()) {
    std::string_view stored = cur->value();
    bytes += StoredItemSize(stored);
    ++scanned;
    if (raw) {
      std::string_view json = StoredItemJson(stored);
      out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
      ++count;
    } else {
      DDB_ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
      if (!r.filter || expr::Evaluate(*r.filter, item)) {
        ++count;
        if (want_items) {
          if (r.projection) {
            EncodeItem(expr::Project(*r.projection, item), out);
          } else {
            EncodeItem(item, out);
          }
        }
      }
    }
    if ((r.limit && scanned >= *r.limit) || bytes >= kPageBytes) {
      last_stored.assign(stored);
      stopped_early = true;
      break;
    }
  }
  DDB_RETURN_IF_ERROR(cur->status());
  if (want_items) out.EndArray();
  out.Key("Count");
  out.Int64(count);
  out.Key("ScannedCount");
  out.Int64(scanned);
  if (stopped_early) {
    DDB_ASSIGN_OR_RETURN(Item last, DecodeStoredItem(last_stored));
    out.Key("LastEvaluatedKey");
    EncodeItem(KeyItem(info.key, last), out);
  }
  WriteConsumedCapacity(r.cap, info, ReadUnits(bytes, r.consistent), true, out);
  out.EndObject();
  return Status::Ok();
}

std::string Successor(std::string k) {
  k.push_back('\0');
  return k;
}

Status CheckKeyValueType(const KeyAttr& attr, const AttributeValue& v) {
  if (v.type != attr.type) {
    return Validation(
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type");
  }
  return Status::Ok();
}

}  // namespace

Status Query(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(ReadRequest r, ReadCommon(ctx, req, true));
  const TableInfo& info = r.table->info;
  expr::KeyCondition kc;
  DDB_ASSIGN_OR_RETURN(auto kce, OptString(req, "KeyConditionExpression"));
  if (kce) {
    DDB_ASSIGN_OR_RETURN(kc, expr::ParseKeyCondition(*kce, r.in->ctx));
  } else if (const auto* legacy = Member(req, "KeyConditions")) {
    DDB_ASSIGN_OR_RETURN(kc, expr::TranslateKeyConditions(*legacy));
  } else {
    return Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  DDB_RETURN_IF_ERROR(r.in->ctx.CheckAllUsed());
  // Match the key condition to the schema (the two conjuncts may name the
  // keys in either order).
  if (kc.hash_name != info.key.hash.name) {
    if (kc.sort && kc.sort->name == info.key.hash.name && kc.sort->op == expr::SortOp::kEq &&
        info.key.range && kc.hash_name == info.key.range->name) {
      // "sk = :a AND pk = :b": swap.
      expr::KeyCondition swapped;
      swapped.hash_name = kc.sort->name;
      swapped.hash_value = kc.sort->v1;
      swapped.sort.emplace();
      swapped.sort->name = kc.hash_name;
      swapped.sort->op = expr::SortOp::kEq;
      swapped.sort->v1 = kc.hash_value;
      kc = std::move(swapped);
    } else {
      return Validation("Query condition missed key schema element: " + info.key.hash.name);
    }
  }
  DDB_RETURN_IF_ERROR(CheckKeyValueType(info.key.hash, kc.hash_value));
  if (kc.sort) {
    if (!info.key.range || kc.sort->name != info.key.range->name) {
      return Validation("Query condition missed key schema element: " +
                        (info.key.range ? info.key.range->name : info.key.hash.name));
    }
    DDB_RETURN_IF_ERROR(CheckKeyValueType(*info.key.range, kc.sort->v1));
    if (kc.sort->op == expr::SortOp::kBetween) {
      DDB_RETURN_IF_ERROR(CheckKeyValueType(*info.key.range, kc.sort->v2));
      if (CompareScalar(kc.sort->v1, kc.sort->v2) > 0) {
        return Validation(
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
            "greater than or equal to lower bound; lower bound operand: AttributeValue: {" +
            std::string(AttrTypeName(kc.sort->v1.type)) + ":" + kc.sort->v1.scalar +
            "}, upper bound operand: AttributeValue: {" +
            std::string(AttrTypeName(kc.sort->v2.type)) + ":" + kc.sort->v2.scalar + "}");
      }
    }
    if (kc.sort->op == expr::SortOp::kBeginsWith && kc.sort->v1.type == AttrType::kN) {
      return Validation(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
          "operator or function: begins_with, operand type: N");
    }
  }
  DDB_ASSIGN_OR_RETURN(auto forward, OptBool(req, "ScanIndexForward"));

  std::string prefix = keys::PartitionPrefix(info.id, kc.hash_value);
  std::string lower = prefix, upper = keys::PrefixEnd(prefix);
  if (!info.key.range) upper = Successor(prefix);
  if (kc.sort) {
    std::string v1 = prefix;
    AppendSortKey(kc.sort->v1, &v1);
    switch (kc.sort->op) {
      case expr::SortOp::kEq:
        lower = v1;
        upper = Successor(v1);
        break;
      case expr::SortOp::kLt:
        upper = v1;
        break;
      case expr::SortOp::kLe:
        upper = Successor(v1);
        break;
      case expr::SortOp::kGt:
        lower = Successor(v1);
        break;
      case expr::SortOp::kGe:
        lower = v1;
        break;
      case expr::SortOp::kBetween: {
        std::string v2 = prefix;
        AppendSortKey(kc.sort->v2, &v2);
        lower = v1;
        upper = Successor(v2);
        break;
      }
      case expr::SortOp::kBeginsWith:
        lower = v1;
        upper = keys::PrefixEnd(v1);
        break;
    }
  }
  bool reverse = !forward.value_or(true);
  if (r.exclusive_start) {
    if (r.exclusive_start->hash != kc.hash_value) {
      return Validation("The provided starting key is invalid: The provided key element does "
                        "not match the schema");
    }
    std::string esk = StorageKey(info, *r.exclusive_start);
    if (reverse) {
      if (esk < upper) upper = esk;
    } else {
      std::string next = Successor(esk);
      if (next > lower) lower = next;
    }
  }
  if (lower >= upper) upper = lower;
  return RunRead(ctx, r, lower, upper, reverse, out);
}

Status Scan(EngineContext& ctx, const Request& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(ReadRequest r, ReadCommon(ctx, req, false));
  DDB_RETURN_IF_ERROR(r.in->ctx.CheckAllUsed());
  const TableInfo& info = r.table->info;
  DDB_ASSIGN_OR_RETURN(auto segment, OptInt(req, "Segment"));
  DDB_ASSIGN_OR_RETURN(auto total, OptInt(req, "TotalSegments"));
  if (total && (*total < 1 || *total > 1000000)) {
    return Validation("1 validation error detected: Value '" + std::to_string(*total) +
                      "' at 'totalSegments' failed to satisfy constraint: Member must have value " +
                      (*total < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"));
  }
  if (segment && (*segment < 0 || *segment > 999999)) {
    return Validation("1 validation error detected: Value '" + std::to_string(*segment) +
                      "' at 'segment' failed to satisfy constraint: Member must have value " +
                      (*segment < 0 ? "greater than or equal to 0" : "less than or equal to 999999"));
  }
  if (segment && !total) {
    return Validation(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (total && !segment) {
    return Validation(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (segment && *segment >= *total) {
    return Validation("The Segment parameter is zero-based and must be less than parameter "
                      "TotalSegments: Segment: " +
                      std::to_string(*segment) +
                      " is not less than TotalSegments: " + std::to_string(*total));
  }
  std::string lower = keys::TablePrefix(info.id), upper = keys::TablePrefixEnd(info.id);
  if (total && *total > 1) {
    // Segment i owns partition hashes [i * 2^64 / n, (i + 1) * 2^64 / n).
    auto bound = [&](int64_t i) {
      unsigned __int128 b = (static_cast<unsigned __int128>(i) << 64) /
                            static_cast<unsigned __int128>(*total);
      return static_cast<uint64_t>(b);
    };
    lower = keys::TablePrefix(info.id);
    AppendBigEndian64(bound(*segment), &lower);
    if (*segment + 1 < *total) {
      upper = keys::TablePrefix(info.id);
      AppendBigEndian64(bound(*segment + 1), &upper);
    }
  }
  if (r.exclusive_start) {
    std::string next = Successor(StorageKey(info, *r.exclusive_start));
    if (next > lower) lower = next;
    if (lower > upper) upper = lower;
  }
  return RunRead(ctx, r, lower, upper, false, out);
}

}  // namespace ddb::ops
