// Query and Scan: range reads over a table's key space, with Limit, the 1 MB
// page limit, filters, projections, Select and pagination keys.
#include <cstring>
#include <set>

#include "ddb/engine/capacity.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/query_multi_key.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/validation_items.h"
#include "ddb/expr/legacy.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/keys.h"
#include "ddb/model/number.h"

namespace ddb::ops {
namespace {

constexpr size_t kPageBytes = 1024 * 1024;

enum class Select { kAllAttributes, kAllProjected, kSpecific, kCount };

// Options common to Query and Scan.
struct ReadRequest {
  std::string table_name;
  std::optional<std::string> index_name;
  TablePtr table;  // set by BindTable
  std::unique_ptr<ExprInputs> in;
  std::optional<int64_t> limit;
  bool consistent = false;
  CapacityMode cap = CapacityMode::kNone;
  Select select = Select::kAllAttributes;
  std::optional<std::string> select_name;  // as sent
  std::optional<expr::Projection> projection;
  expr::Condition filter;
  // ExclusiveStartKey's attributes as sent (decoded, not yet matched to the
  // schema), and as a storage key (table item key or index entry key).
  std::optional<Item> start_item;
  std::optional<std::string> exclusive_start;
  // The index read (null: the table itself).
  const IndexInfo* index = nullptr;
  bool global = false;
  // LSI reads that need attributes the index does not project fetch the
  // base item.
  bool fetch_base = false;
  const KeySchema& key() const { return index ? index->key : table->info.key; }
};

// Phase 3 of Query and Scan (validation.h): the members read and the rules
// that need no table -- mixed parameters, expressions, Select with the
// projection, the start key's values. The members must have passed
// Validate{Query,Scan}Members.
Result<ReadRequest> ReadCommon(const Request& req, bool is_query) {
  ReadRequest r;
  ASSIGN_OR_RETURN(r.table_name, RequireTableName(req));
  ASSIGN_OR_RETURN(r.index_name, OptString(req, "IndexName"));
  ASSIGN_OR_RETURN(r.limit, OptInt32(req, "Limit"));
  ASSIGN_OR_RETURN(auto consistent, OptBool(req, "ConsistentRead"));
  r.consistent = consistent.value_or(false);
  ASSIGN_OR_RETURN(r.cap, ReadCapacityMode(req));
  const char* filter_param = is_query ? "QueryFilter" : "ScanFilter";
  // KeyConditions conflicts only with KeyConditionExpression: beside
  // FilterExpression or ProjectionExpression alone it is accepted, and it is
  // named in the message only when KeyConditionExpression is present.
  // Evidence: dynalite's tests (checked against DynamoDB), "all expressions
  // and non-expression without KeyConditionExpression": Non-expression
  // parameters {AttributesToGet, QueryFilter, ConditionalOperator}, with
  // KeyConditions sent; and its validateExpressionParams special case.
  const bool key_conditions_conflict = is_query && Member(req, "KeyConditionExpression") != nullptr;
  RETURN_IF_ERROR(CheckNoMixedParameters(
      req,
      !is_query ? std::initializer_list<std::string_view>{"AttributesToGet", "ScanFilter",
                                                          "ConditionalOperator"}
      : key_conditions_conflict
          ? std::initializer_list<std::string_view>{"AttributesToGet", "QueryFilter",
                                                    "ConditionalOperator", "KeyConditions"}
          : std::initializer_list<std::string_view>{"AttributesToGet", "QueryFilter",
                                                    "ConditionalOperator"},
      {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"}));
  ASSIGN_OR_RETURN(r.in, ReadExprInputs(req));
  ASSIGN_OR_RETURN(auto proj_text, OptString(req, "ProjectionExpression"));
  if (proj_text) {
    ASSIGN_OR_RETURN(r.projection, expr::ParseProjection(*proj_text, r.in->ctx));
  } else if (const auto* atg = Member(req, "AttributesToGet")) {
    ASSIGN_OR_RETURN(r.projection, expr::TranslateAttributesToGet(*atg));
  }
  ASSIGN_OR_RETURN(auto filter_text, OptString(req, "FilterExpression"));
  if (filter_text) {
    ASSIGN_OR_RETURN(r.filter, expr::ParseCondition(*filter_text, "FilterExpression", r.in->ctx));
  } else if (const auto* f = Member(req, filter_param)) {
    ASSIGN_OR_RETURN(r.filter, expr::TranslateFilter(*f, Member(req, "ConditionalOperator")));
  }
  ASSIGN_OR_RETURN(r.select_name, OptString(req, "Select"));
  if (r.select_name) {
    // The enum itself was checked with the other members.
    const std::string& select = *r.select_name;
    if (select == "ALL_PROJECTED_ATTRIBUTES") {
      r.select = Select::kAllProjected;
    } else if (select == "SPECIFIC_ATTRIBUTES") {
      r.select = Select::kSpecific;
    } else if (select == "COUNT") {
      r.select = Select::kCount;
    }
    if (r.select == Select::kAllProjected && !r.index_name) {
      return Validation(
          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    if (r.projection && r.select != Select::kSpecific) {
      return Validation(
          "Cannot specify the AttributesToGet or ProjectionExpression when "
          "choosing to get " +
          select);
    }
    if (!r.projection && r.select == Select::kSpecific) {
      return Validation(
          "Must specify the AttributesToGet or ProjectionExpression when choosing "
          "to get SPECIFIC_ATTRIBUTES");
    }
  }
  if (const auto* esk = Member(req, "ExclusiveStartKey")) {
    auto item = DecodeItem(*esk);
    if (!item.ok()) {
      return Validation("The provided starting key is invalid: " + item.error().message);
    }
    r.start_item = std::move(*item);
  }
  return r;
}

// Phases 4 and 5: the table (ResourceNotFoundException), then the rules that
// need its schema -- the index, consistent reads of a GSI, Select and the
// projection against the index's projection, the start key.
Status BindTable(EngineContext& ctx, ReadRequest& r) {
  ASSIGN_OR_RETURN(r.table, ctx.catalog.Get(r.table_name));
  if (r.index_name) {
    r.index = r.table->info.FindIndex(*r.index_name, &r.global);
    if (!r.index) {
      return Validation("The table does not have the specified index: " + *r.index_name);
    }
    if (r.global && r.index->backfilling) {
      return Validation("Cannot read from backfilling global secondary index: " + *r.index_name);
    }
  }
  if (r.consistent && r.global) {
    return Validation("Consistent reads are not supported on global secondary indexes");
  }
  if (r.select_name && r.select == Select::kAllAttributes && r.index &&
      r.index->projection_type != "ALL") {
    if (r.global) {
      return Validation(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
          "supported for global secondary index " +
          r.index->name + " because its projection type is not ALL");
    }
    r.fetch_base = true;
  }
  if (r.index && r.index->projection_type != "ALL" && r.projection) {
    // Attributes outside the index's projection: an LSI fetches them from the
    // table; a GSI cannot.
    Item probe;
    for (const auto& path : r.projection->paths) {
      if (!path.empty() && !path[0].is_index) probe.emplace(path[0].name, AttributeValue::Null());
    }
    Item kept = ProjectForIndex(r.table->info, *r.index, probe);
    if (kept.size() != probe.size()) {
      if (r.global) {
        return Validation("One or more parameter values were invalid: Global secondary index " +
                          r.index->name + " does not project all the attributes requested");
      }
      r.fetch_base = true;
    }
  }
  if (r.start_item) {
    const std::string kInvalid = "The provided starting key is invalid: ";
    const Item& item = *r.start_item;
    if (!r.index) {
      auto k = KeyFromItem(r.table->info.key, item);
      if (!k.ok()) return Validation(kInvalid + k.error().message);
      r.exclusive_start = StorageKey(r.table->info, *k);
    } else {
      // The key must hold exactly the index and table key attributes, each
      // of its schema type; the table's key is checked first, since the
      // index entry's key ends with it (a common pagination mistake is an
      // ExclusiveStartKey holding only the index key).
      const std::string kMismatch = kInvalid + "The provided key element does not match the schema";
      auto has = [&](const KeyAttr& a) {
        auto it = item.find(a.name);
        return it != item.end() && it->second.type == a.type;
      };
      const KeySchema& table_key = r.table->info.key;
      if (!has(table_key.hash) || (table_key.range && !has(*table_key.range))) {
        return Validation(kMismatch);
      }
      auto entry = IndexEntryKey(r.table->info, *r.index, item);
      Item keys_only = KeyItem(r.table->info.key, item);
      for (auto& [n, v] : KeyItem(r.index->key, item)) keys_only.emplace(n, v);
      if (!entry || keys_only.size() != item.size()) return Validation(kMismatch);
      r.exclusive_start = *entry;
    }
  }
  return Status::Ok();
}

// Scans [lower, upper) in the given direction and writes Items / Count /
// ScannedCount / LastEvaluatedKey / ConsumedCapacity.
Status RunRead(EngineContext& ctx, ReadRequest& r, const std::string& lower,
               const std::string& upper, bool reverse, JsonWriter& out) {
  const TableInfo& info = r.table->info;
  // Admitted while the bucket read from (the table's, or the GSI's) is not
  // exhausted; the real cost is charged once known (jobs/throttle.h).
  RETURN_IF_ERROR(ctx.throttle.CheckRead(info, r.global ? &r.index->name : nullptr));
  auto cur = ctx.store->NewCursor(lower, upper, reverse);
  cur->SeekToStart();
  // Bytes read from the table or index scanned; bytes of base items fetched
  // for a local secondary index (charged to the table).
  size_t bytes = 0, fetched_bytes = 0;
  int64_t scanned = 0, count = 0;
  bool stopped_early = false;
  std::string last_stored;
  const bool want_items = r.select != Select::kCount;
  const bool raw = want_items && !r.projection && !r.filter && !r.fetch_base;
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
      ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
      if (r.fetch_base) {
        std::string base;
        ASSIGN_OR_RETURN(bool found,
                         ctx.store->Get(StorageKey(info, KeyOfItem(info.key, item)), &base));
        if (found) {
          bytes += StoredItemSize(base);
          fetched_bytes += StoredItemSize(base);
          ASSIGN_OR_RETURN(item, DecodeStoredItem(base));
        }
      }
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
  RETURN_IF_ERROR(cur->status());
  if (want_items) out.EndArray();
  out.Key("Count");
  out.Int64(count);
  out.Key("ScannedCount");
  out.Int64(scanned);
  if (stopped_early) {
    ASSIGN_OR_RETURN(Item last, DecodeStoredItem(last_stored));
    out.Key("LastEvaluatedKey");
    Item lek = KeyItem(info.key, last);
    if (r.index) {
      for (auto& [n, v] : KeyItem(r.index->key, last)) lek.emplace(n, v);
    }
    EncodeItem(lek, out);
  }
  Consumed units;
  if (!r.index) {
    units.table = ReadUnits(bytes, r.consistent);
  } else {
    double index_units = ReadUnits(bytes - fetched_bytes, r.consistent);
    (r.global ? units.gsis : units.lsis)[r.index->name] = index_units;
    if (fetched_bytes > 0) units.table = ReadUnits(fetched_bytes, r.consistent);
  }
  ctx.throttle.Charge(info, units, true);
  WriteConsumedCapacity(r.cap, info.name, units, true, out);
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

Status CheckFilterKeys(const Request& req, const ReadRequest& r,
                       const std::vector<std::string>& key_names);
Status ReadRange(EngineContext& ctx, ReadRequest& r, const std::string& prefix, std::string lower,
                 std::string upper, bool reverse, JsonWriter& out);

}  // namespace

Status Query(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateQueryMembers(req));
  ASSIGN_OR_RETURN(ReadRequest r, ReadCommon(req, true));
  expr::KeyCondition kc;
  // The expression's conjuncts: a GSI with multi-attribute keys takes up to
  // 8, a rule only its schema (known after BindTable) can check.
  std::vector<expr::KeyCondition::Sort> parts;
  bool have_kc = true;
  const rapidjson::Value* legacy = nullptr;  // KeyConditions
  ASSIGN_OR_RETURN(auto kce, OptString(req, "KeyConditionExpression"));
  if (kce) {
    ASSIGN_OR_RETURN(parts, expr::ParseKeyConditionParts(*kce, r.in->ctx));
    if (!r.index_name) {
      ASSIGN_OR_RETURN(kc, expr::KeyConditionFromParts(std::move(parts)));
    } else if (parts.size() <= 2) {
      ASSIGN_OR_RETURN(kc, expr::KeyConditionFromParts(parts));
    } else {
      have_kc = false;
    }
  } else if (legacy = Member(req, "KeyConditions"); legacy) {
    if (r.index_name && legacy->IsObject() && legacy->MemberCount() > 2) {
      // A GSI with a multi-attribute key takes a condition per key attribute.
      ASSIGN_OR_RETURN(parts, expr::TranslateKeyConditionParts(*legacy));
      have_kc = false;
    } else {
      ASSIGN_OR_RETURN(kc, expr::TranslateKeyConditions(*legacy));
    }
  } else {
    return Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  RETURN_IF_ERROR(r.in->ctx.CheckAllUsed());
  RETURN_IF_ERROR(BindTable(ctx, r));
  if (r.index && r.index->key.multi_attribute()) {
    if (have_kc && (!kce || !r.index_name)) {
      parts.clear();
      parts.push_back({kc.hash_name, expr::SortOp::kEq, kc.hash_value, {}});
      if (kc.sort) parts.push_back(*kc.sort);
    }
    ASSIGN_OR_RETURN(QueryRange range, PlanMultiKeyQuery(*r.index, parts));
    std::vector<std::string> key_names;
    for (const KeyAttr* a : r.index->key.AllAttrs()) key_names.push_back(a->name);
    RETURN_IF_ERROR(CheckFilterKeys(req, r, key_names));
    ASSIGN_OR_RETURN(auto forward, OptBool(req, "ScanIndexForward"));
    return ReadRange(ctx, r, range.partition, std::move(range.lower), std::move(range.upper),
                     !forward.value_or(true), out);
  }
  if (!have_kc && legacy) {
    ASSIGN_OR_RETURN(kc, expr::TranslateKeyConditions(*legacy));  // its length rule's error
  } else if (!have_kc) {
    ASSIGN_OR_RETURN(kc, expr::KeyConditionFromParts(std::move(parts)));
  }
  const TableInfo& info = r.table->info;
  const KeySchema& schema = r.key();
  // Match the key condition to the schema (the two conjuncts may name the
  // keys in either order).
  expr::NormalizeKeyCondition(kc, schema.hash.name);
  if (kc.hash_name != schema.hash.name) {
    return Validation("Query condition missed key schema element: " + schema.hash.name);
  }
  RETURN_IF_ERROR(CheckKeyValueType(schema.hash, kc.hash_value));
  RETURN_IF_ERROR(CheckQueryPartitionValue(schema.hash, kc.hash_value));
  if (kc.sort) {
    if (!schema.range || kc.sort->name != schema.range->name) {
      return Validation("Query condition missed key schema element: " +
                        (schema.range ? schema.range->name : schema.hash.name));
    }
    RETURN_IF_ERROR(CheckKeyValueType(*schema.range, kc.sort->v1));
    if (kc.sort->op == expr::SortOp::kBetween) {
      RETURN_IF_ERROR(CheckKeyValueType(*schema.range, kc.sort->v2));
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
  if (r.filter) {
    std::vector<std::string> key_names = {schema.hash.name};
    if (schema.range) key_names.push_back(schema.range->name);
    RETURN_IF_ERROR(CheckFilterKeys(req, r, key_names));
  }
  ASSIGN_OR_RETURN(auto forward, OptBool(req, "ScanIndexForward"));

  // Key range of the partition. In the table the sort key is the key's last
  // part; in an index it is followed by the base key, so it is delimited.
  const bool delimited = r.index != nullptr;
  std::string prefix = r.index ? IndexPartitionPrefix(r.index->id, kc.hash_value)
                               : keys::PartitionPrefix(info.id, kc.hash_value);
  std::string lower = prefix, upper = keys::PrefixEnd(prefix);
  if (!r.index && !schema.range) upper = Successor(prefix);
  auto encode = [&](const AttributeValue& v) {
    std::string k = prefix;
    if (delimited) {
      AppendDelimitedSortKey(v, &k);
    } else {
      AppendSortKey(v, &k);
    }
    return k;
  };
  // The exclusive end of all keys whose sort key equals the encoded value.
  auto after = [&](const std::string& k) { return delimited ? keys::PrefixEnd(k) : Successor(k); };
  if (kc.sort) {
    std::string v1 = encode(kc.sort->v1);
    switch (kc.sort->op) {
      case expr::SortOp::kEq:
        lower = v1;
        upper = after(v1);
        break;
      case expr::SortOp::kLt:
        upper = v1;
        break;
      case expr::SortOp::kLe:
        upper = after(v1);
        break;
      case expr::SortOp::kGt:
        lower = after(v1);
        break;
      case expr::SortOp::kGe:
        lower = v1;
        break;
      case expr::SortOp::kBetween:
        lower = v1;
        upper = after(encode(kc.sort->v2));
        break;
      case expr::SortOp::kBeginsWith: {
        std::string p = prefix;
        if (delimited) {
          AppendEscapedSortKeyPrefix(kc.sort->v1, &p);
        } else {
          AppendSortKey(kc.sort->v1, &p);
        }
        lower = p;
        upper = keys::PrefixEnd(p);
        break;
      }
    }
  }
  return ReadRange(ctx, r, prefix, std::move(lower), std::move(upper), !forward.value_or(true),
                   out);
}

namespace {

// A Query filter may not name the key attributes (`key_names`) of the
// table or of the index being read.
Status CheckFilterKeys(const Request& req, const ReadRequest& r,
                       const std::vector<std::string>& key_names) {
  if (!r.filter) return Status::Ok();
  std::set<std::string> names;
  expr::CollectTopLevelNames(*r.filter, &names);
  for (const std::string& k : key_names) {
    if (names.count(k)) {
      return Validation(
          std::string(Member(req, "QueryFilter") ? "QueryFilter" : "Filter Expression") +
          " can only contain non-primary key attributes: Primary key attribute: " + k);
    }
  }
  return Status::Ok();
}

// Query's read of [lower, upper) inside the partition whose keys start with
// `prefix`, after the ExclusiveStartKey's checks.
Status ReadRange(EngineContext& ctx, ReadRequest& r, const std::string& prefix, std::string lower,
                 std::string upper, bool reverse, JsonWriter& out) {
  if (r.exclusive_start) {
    // The start key must satisfy the key condition: its partition key the
    // queried one, its sort key inside the sort key condition's range
    // [lower, upper). DynamoDB's messages as dynalite's query tests
    // (written against DynamoDB) record them: "should return
    // ValidationException for ExclusiveStartKey with out-of-bounds hash key"
    // and "... with non-matching range key".
    const std::string& esk = *r.exclusive_start;
    if (esk.compare(0, prefix.size(), prefix) != 0) {
      return Validation(
          "The provided starting key is outside query boundaries based on provided conditions");
    }
    if (esk < lower || esk >= upper) {
      return Validation("The provided starting key does not match the range key predicate");
    }
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

}  // namespace

Status Scan(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(ValidateScanMembers(req));
  ASSIGN_OR_RETURN(ReadRequest r, ReadCommon(req, false));
  ASSIGN_OR_RETURN(auto segment, OptInt32(req, "Segment"));
  ASSIGN_OR_RETURN(auto total, OptInt32(req, "TotalSegments"));
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
    return Validation(
        "The Segment parameter is zero-based and must be less than parameter "
        "TotalSegments: Segment: " +
        std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
  }
  RETURN_IF_ERROR(r.in->ctx.CheckAllUsed());
  RETURN_IF_ERROR(BindTable(ctx, r));
  const TableInfo& info = r.table->info;
  std::string base = r.index ? IndexPrefix(r.index->id) : keys::TablePrefix(info.id);
  std::string lower = base;
  std::string upper = r.index ? IndexPrefixEnd(r.index->id) : keys::TablePrefixEnd(info.id);
  if (total && *total > 1) {
    // Segment i owns partition hashes [i * 2^64 / n, (i + 1) * 2^64 / n).
    auto bound = [&](int64_t i) {
      unsigned __int128 b =
          (static_cast<unsigned __int128>(i) << 64) / static_cast<unsigned __int128>(*total);
      return static_cast<uint64_t>(b);
    };
    lower = base;
    AppendBigEndian64(bound(*segment), &lower);
    if (*segment + 1 < *total) {
      upper = base;
      AppendBigEndian64(bound(*segment + 1), &upper);
    }
  }
  if (r.exclusive_start) {
    // A parallel scan continues only a key of its own segment. DynamoDB's
    // message as ScyllaDB's maintainers quote it from DynamoDB
    // (scylladb/scylladb pull request #9270), with the request's own
    // TotalSegments and Segment; the documentation does not state the rule.
    const std::string& esk = *r.exclusive_start;
    if (total && *total > 1 && (esk < lower || esk >= upper)) {
      return Validation(
          "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
          "ExclusiveStartKey with correct Segment. TotalSegments: " +
          std::to_string(*total) + " Segment: " + std::to_string(*segment));
    }
    std::string next = Successor(esk);
    if (next > lower) lower = next;
    if (lower > upper) upper = lower;
  }
  return RunRead(ctx, r, lower, upper, false, out);
}

}  // namespace ddb::ops
