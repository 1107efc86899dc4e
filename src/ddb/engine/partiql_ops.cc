// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL.
//
// A statement is parsed and translated (../partiql/) into a request of one of
// the JSON API's operations (GetItem, Query, Scan, PutItem, UpdateItem,
// DeleteItem, TransactGetItems, TransactWriteItems), which is run as is; its
// response is reshaped into PartiQL's. So PartiQL reads and writes through
// exactly the JSON API's paths: locks, conditions, indexes, streams,
// point-in-time log, capacity and throttling, transactions.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <vector>

#include "base/base64.h"
#include "base/bounded_json.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/partiql/json_value.h"
#include "ddb/partiql/parser.h"
#include "ddb/partiql/translate.h"

namespace ddb::ops {
namespace {

using partiql::EngineRequest;
using partiql::Statement;

constexpr size_t kMaxStatementLength = 8192;
constexpr size_t kMaxNextTokenLength = 32768;
constexpr unsigned kMaxNextTokenDepth = 80;
constexpr size_t kMaxBatchStatements = 25;
constexpr size_t kMaxTransactStatements = 100;
constexpr const char* kDuplicateItemMessage = "Duplicate primary key exists in table";

// ---- Request members ------------------------------------------------------------

// "1 validation error detected: Value <shown> at '<path>' failed to satisfy
// constraint: <constraint>", DynamoDB's form for a member's constraint.
Error ConstraintError(std::string_view shown, std::string_view path, std::string_view constraint) {
  return Validation("1 validation error detected: Value " + std::string(shown) + " at '" +
                    std::string(path) +
                    "' failed to satisfy constraint: " + std::string(constraint));
}

// The Statement member of `obj`; `path` names it in messages ("statement",
// "statements.1.member.statement").
Result<std::string> ReadStatementText(const rapidjson::Value& obj, const std::string& path) {
  ASSIGN_OR_RETURN(auto text, OptString(obj, "Statement"));
  if (!text) return ConstraintError("null", path, "Member must not be null");
  if (text->empty()) {
    return ConstraintError("''", path, "Member must have length greater than or equal to 1");
  }
  if (text->size() > kMaxStatementLength) {
    return ConstraintError("'" + *text + "'", path,
                           "Member must have length less than or equal to 8192");
  }
  return std::move(*text);
}

// The Parameters member of `obj` (absent: none).
Result<std::vector<AttributeValue>> ReadParameters(const rapidjson::Value& obj,
                                                   const std::string& path) {
  std::vector<AttributeValue> out;
  const auto* params = Member(obj, "Parameters");
  if (!params) return out;
  if (!params->IsArray()) return Serialization("Unexpected field type");
  if (params->Empty()) {
    return ConstraintError("'[]'", path, "Member must have length greater than or equal to 1");
  }
  for (const auto& p : params->GetArray()) {
    ASSIGN_OR_RETURN(AttributeValue v, DecodeAttributeValue(p));
    out.push_back(std::move(v));
  }
  return out;
}

// A list member with its length limits (`member` as the request spells it,
// `path` as messages do).
Result<const rapidjson::Value*> ReadList(const rapidjson::Value& req, const char* member,
                                         const char* path, size_t max) {
  const auto* list = Member(req, member);
  if (!list) return ConstraintError("null", path, "Member must not be null");
  if (!list->IsArray()) return Serialization("Unexpected field type");
  if (list->Empty()) {
    return ConstraintError("'[]'", path, "Member must have length greater than or equal to 1");
  }
  if (list->Size() > max) {
    return ConstraintError("'[...]'", path,
                           "Member must have length less than or equal to " + std::to_string(max));
  }
  return list;
}

// ---- Running the JSON API's operations ---------------------------------------

partiql::TableKeys KeysOf(const TableInfo& info) {
  auto names = [](const KeySchema& k) {
    partiql::KeyNames n;
    n.hash = k.hash.name;
    n.hash_type = k.hash.type;
    if (k.range) {
      n.range = k.range->name;
      n.range_type = k.range->type;
    }
    for (const KeyAttr& a : k.more_hash) n.more_hash.push_back({a.name, a.type});
    for (const KeyAttr& a : k.more_range) n.more_range.push_back({a.name, a.type});
    return n;
  };
  partiql::TableKeys keys;
  keys.table = names(info.key);
  for (const auto* list : {&info.gsis, &info.lsis}) {
    for (const IndexInfo& index : *list) keys.indexes.emplace(index.name, names(index.key));
  }
  return keys;
}

using OpFn = Status (*)(EngineContext&, const Request&, JsonWriter&);

OpFn OperationOf(EngineRequest::Op op) {
  switch (op) {
    case EngineRequest::Op::kGetItem:
      return &GetItem;
    case EngineRequest::Op::kQuery:
      return &Query;
    case EngineRequest::Op::kScan:
      return &Scan;
    case EngineRequest::Op::kPutItem:
      return &PutItem;
    case EngineRequest::Op::kUpdateItem:
      return &UpdateItem;
    case EngineRequest::Op::kDeleteItem:
    case EngineRequest::Op::kConditionCheck:
      break;
  }
  return &DeleteItem;
}

// Runs `fn` on `body` and returns its response as a document.
Result<rapidjson::Document> Run(EngineContext& ctx, OpFn fn, const rapidjson::Value& body) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  RETURN_IF_ERROR(fn(ctx, body, w));
  rapidjson::Document d;
  d.Parse(buffer.GetString(), buffer.GetSize());
  if (d.HasParseError() || !d.IsObject()) return Internal();
  return d;
}

// The members an error carries beyond its message (Error::extra_json: Item,
// CancellationReasons) as an object; false if there are none.
bool ParseExtraJson(const Error& e, rapidjson::Document* d) {
  if (e.extra_json.empty()) return false;
  const std::string obj = "{" + e.extra_json + "}";
  d->Parse(obj.data(), obj.size());
  return !d->HasParseError();
}

void WriteMember(const rapidjson::Value& obj, const char* name, JsonWriter& out) {
  if (const auto* v = Member(obj, name)) {
    out.Key(name);
    v->Accept(out);
  }
}

// The table, its key schemas, and the statement's request for the engine.
struct Translated {
  TablePtr table;
  EngineRequest request;
};

Result<Translated> Translate(EngineContext& ctx, const Statement& s, bool single_item_reads) {
  Translated t;
  ASSIGN_OR_RETURN(t.table, ctx.catalog.Get(s.table));
  partiql::TableKeys keys = KeysOf(t.table->info);
  if (s.is_read()) {
    ASSIGN_OR_RETURN(t.request, single_item_reads ? partiql::TranslateGet(s, keys)
                                                  : partiql::TranslateSelect(s, keys));
  } else {
    ASSIGN_OR_RETURN(t.request, partiql::TranslateWrite(s, keys));
  }
  return t;
}

// A write statement's error as PartiQL reports it: a failed INSERT
// condition is DuplicateItemException.
Error WriteError(const EngineRequest& r, Error e) {
  if (r.is_insert && e.code == ErrorCode::kConditionalCheckFailed) {
    return Error{ErrorCode::kDuplicateItem, kDuplicateItemMessage};
  }
  return e;
}

// ---- NextToken ----------------------------------------------------------------------
// A SELECT is one read or, for a multi-partition SELECT, one Query per
// partition-key value. The token is the base64 of
// {"s": <statement id>, "i": <read index>, "k": <its LastEvaluatedKey>}
// ("k" absent: that read from its start). The statement id binds it to the
// statement's text and parameters: a token of another statement is refused.

// The id of a statement: FNV-1a (64 bits, hex) of its text and its
// Parameters' JSON. Not a secret: it only tells statements apart.
std::string StatementId(const std::string& text, const rapidjson::Value* params) {
  std::string input = text;
  input.push_back('\0');
  if (params) {
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    params->Accept(w);
    input.append(b.GetString(), b.GetSize());
  }
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : input) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 0xf];
  return out;
}

std::string EncodeNextToken(const std::string& statement_id, size_t index,
                            const rapidjson::Value* last_key) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key("s");
  w.String(statement_id.c_str(), static_cast<rapidjson::SizeType>(statement_id.size()));
  w.Key("i");
  w.Uint64(index);
  if (last_key) {
    w.Key("k");
    last_key->Accept(w);
  }
  w.EndObject();
  return base::Base64Encode(std::string_view(b.GetString(), b.GetSize()));
}

// Where a page starts: the read's index and its ExclusiveStartKey (null:
// from its start).
struct PagePosition {
  size_t index = 0;
  rapidjson::Document key;
};

// Decodes `token` of the statement `statement_id` of `reads` reads.
Status DecodeNextToken(const std::string& token, const std::string& statement_id, size_t reads,
                       PagePosition* pos) {
  // Wording is this engine's: DynamoDB's documentation does not give it.
  const Error invalid = Validation("Invalid NextToken: " + token.substr(0, 64));
  if (token.empty() || token.size() > kMaxNextTokenLength) return invalid;
  std::string json;
  if (base::Base64Decode(token, &json) != base::Base64Problem::kNone) return invalid;
  rapidjson::Document d;
  // Bounded: the token is the client's (a key nested thousands deep must not
  // overflow the stack); a LastEvaluatedKey nests as deep as an item.
  base::JsonParseOutcome parsed =
      base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&d, json, kMaxNextTokenDepth, nullptr);
  if (parsed.error != rapidjson::kParseErrorNone || !d.IsObject()) return invalid;
  const auto* id = Member(d, "s");
  const auto* index = Member(d, "i");
  const auto* key = Member(d, "k");
  if (!id || !id->IsString() || !index || !index->IsUint64() || (key && !key->IsObject())) {
    return invalid;
  }
  if (std::string_view(id->GetString(), id->GetStringLength()) != statement_id) {
    // Guess: DynamoDB's wording for a token of another statement is not
    // documented.
    return Validation("The NextToken does not belong to this statement");
  }
  if (index->GetUint64() >= reads) return invalid;
  pos->index = index->GetUint64();
  if (key) pos->key.CopyFrom(*key, pos->key.GetAllocator());
  return Status::Ok();
}

// ---- ConsumedCapacity of several operations ---------------------------------------

// Sums the ConsumedCapacity objects of several operations per table
// (numbers summed member by member, nested objects alike).
class CapacitySum {
 public:
  void Add(const rapidjson::Value& response) {
    const auto* c = Member(response, "ConsumedCapacity");
    if (!c) return;
    if (c->IsArray()) {
      for (const auto& one : c->GetArray()) AddOne(one);
    } else {
      AddOne(*c);
    }
  }
  bool empty() const { return tables_.empty(); }
  // ConsumedCapacity as one object: the first table's (a statement reads
  // one table).
  void WriteOne(JsonWriter& out) const {
    if (order_.empty()) return;
    out.Key("ConsumedCapacity");
    tables_.at(order_[0]).Accept(out);
  }
  void Write(JsonWriter& out) const {
    out.Key("ConsumedCapacity");
    out.StartArray();
    for (const auto& name : order_) tables_.at(name).Accept(out);
    out.EndArray();
  }

 private:
  void AddOne(const rapidjson::Value& c) {
    const auto* name = Member(c, "TableName");
    if (!c.IsObject() || !name || !name->IsString()) return;
    std::string key = name->GetString();
    auto it = tables_.find(key);
    if (it == tables_.end()) {
      order_.push_back(key);
      tables_.emplace(key, rapidjson::Value(c, alloc_));
      return;
    }
    Sum(it->second, c);
  }
  void Sum(rapidjson::Value& into, const rapidjson::Value& from) {
    for (auto m = from.MemberBegin(); m != from.MemberEnd(); ++m) {
      auto t = into.FindMember(m->name);
      if (t == into.MemberEnd()) {
        into.AddMember(rapidjson::Value(m->name, alloc_), rapidjson::Value(m->value, alloc_),
                       alloc_);
      } else if (t->value.IsNumber() && m->value.IsNumber()) {
        t->value.SetDouble(t->value.GetDouble() + m->value.GetDouble());
      } else if (t->value.IsObject() && m->value.IsObject()) {
        Sum(t->value, m->value);
      }
    }
  }
  rapidjson::Document::AllocatorType alloc_;
  std::vector<std::string> order_;
  std::map<std::string, rapidjson::Value> tables_;
};

// ---- Batch errors ---------------------------------------------------------------------

// BatchStatementError's Code for an operation's error.
const char* BatchErrorCode(const Error& e) {
  if (e.code == ErrorCode::kConditionalCheckFailed) return "ConditionalCheckFailed";
  if (e.code == ErrorCode::kDuplicateItem) return "DuplicateItem";
  if (e.code == ErrorCode::kValidation) return "ValidationError";
  if (e.code == ErrorCode::kResourceNotFound) return "ResourceNotFound";
  if (e.code == ErrorCode::kProvisionedThroughputExceeded) return "ProvisionedThroughputExceeded";
  if (e.code == ErrorCode::kTransactionConflict) return "TransactionConflict";
  if (e.code == ErrorCode::kItemCollectionSizeLimitExceeded) {
    return "ItemCollectionSizeLimitExceeded";
  }
  if (e.code == ErrorCode::kRequestLimitExceeded) return "RequestLimitExceeded";
  if (e.code == ErrorCode::kThrottling) return "ThrottlingError";
  if (e.code == ErrorCode::kAccessDenied) return "AccessDenied";
  return "InternalServerError";
}

void WriteBatchError(const Error& e, JsonWriter& out) {
  out.Key("Error");
  out.StartObject();
  out.Key("Code");
  out.String(BatchErrorCode(e));
  out.Key("Message");
  out.String(e.message.c_str(), static_cast<rapidjson::SizeType>(e.message.size()));
  // ConditionalCheckFailed with ReturnValuesOnConditionCheckFailure: the
  // error carries "Item":{...}.
  if (rapidjson::Document d; ParseExtraJson(e, &d)) WriteMember(d, "Item", out);
  out.EndObject();
}

// ---- One statement --------------------------------------------------------------------

// Options of one statement's run.
struct RunOptions {
  const rapidjson::Value* consistent = nullptr;  // ConsistentRead
  const rapidjson::Value* limit = nullptr;       // Limit
  const rapidjson::Value* capacity = nullptr;    // ReturnConsumedCapacity
  const rapidjson::Value* on_failure = nullptr;  // ReturnValuesOnConditionCheckFailure
  const rapidjson::Value* start_key = nullptr;   // ExclusiveStartKey
};

// Adds member `name` with a copy of `v` to `body`, when `v` is present.
void AddOption(rapidjson::Document& body, const char* name, const rapidjson::Value* v) {
  if (v)
    body.AddMember(rapidjson::StringRef(name), rapidjson::Value(*v, body.GetAllocator()),
                   body.GetAllocator());
}

// Runs a translated statement and returns the operation's response.
Result<rapidjson::Document> RunStatement(EngineContext& ctx, EngineRequest& r,
                                         const RunOptions& o) {
  if (r.op == EngineRequest::Op::kQuery || r.op == EngineRequest::Op::kScan ||
      r.op == EngineRequest::Op::kGetItem) {
    AddOption(r.body, "ConsistentRead", o.consistent);
    if (r.op != EngineRequest::Op::kGetItem) {
      AddOption(r.body, "Limit", o.limit);
      AddOption(r.body, "ExclusiveStartKey", o.start_key);
    }
  } else {
    AddOption(r.body, "ReturnValuesOnConditionCheckFailure", o.on_failure);
  }
  AddOption(r.body, "ReturnConsumedCapacity", o.capacity);
  auto response = Run(ctx, OperationOf(r.op), r.body);
  if (!response.ok()) return WriteError(r, std::move(response).error());
  return response;
}

// ---- Transactions ---------------------------------------------------------------------

// TransactionCanceledException of a transaction with INSERTs: their failed
// conditions are reported as DuplicateItem.
Error InsertCancellations(Error e, const std::vector<bool>& inserts) {
  if (e.code != ErrorCode::kTransactionCanceled) return e;
  rapidjson::Document d;
  const auto* reasons = ParseExtraJson(e, &d) ? Member(d, "CancellationReasons") : nullptr;
  if (!reasons || !reasons->IsArray()) return e;
  std::string codes;
  auto& alloc = d.GetAllocator();
  for (rapidjson::SizeType i = 0; i < reasons->Size(); ++i) {
    auto& reason = d["CancellationReasons"][i];
    auto code = reason.FindMember("Code");
    if (code == reason.MemberEnd() || !code->value.IsString()) return e;
    if (i < inserts.size() && inserts[i] &&
        std::string_view(code->value.GetString()) == "ConditionalCheckFailed") {
      code->value.SetString("DuplicateItem", alloc);
      auto message = reason.FindMember("Message");
      if (message != reason.MemberEnd()) message->value.SetString(kDuplicateItemMessage, alloc);
    }
    codes += (i ? ", " : "") + std::string(code->value.GetString());
  }
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  d["CancellationReasons"].Accept(w);
  return Error{ErrorCode::kTransactionCanceled,
               "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
                   codes + "]",
               "\"CancellationReasons\":" + std::string(b.GetString(), b.GetSize())};
}

const char* TransactKind(EngineRequest::Op op) {
  switch (op) {
    case EngineRequest::Op::kPutItem:
      return "Put";
    case EngineRequest::Op::kUpdateItem:
      return "Update";
    case EngineRequest::Op::kDeleteItem:
      return "Delete";
    case EngineRequest::Op::kConditionCheck:
      return "ConditionCheck";
    default:
      return "Get";
  }
}

// Wording is this engine's: the documentation states the rule
// ("The entire transaction must consist of either read statements or write
// statements"), not the message.
constexpr const char* kMixedTransaction =
    "Transaction must contain either only read statements or only write statements";
constexpr const char* kMixedBatch =
    "Batch must contain either only read statements or only write statements";

// A SELECT of ExecuteStatement: its reads (one, or one Query per
// partition-key value) from the NextToken's position, with Limit counting
// the items evaluated across them.
Status ExecuteSelect(EngineContext& ctx, const Request& req, const Statement& s,
                     const std::string& statement_id, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto next_token, OptString(req, "NextToken"));
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Get(s.table));
  ASSIGN_OR_RETURN(std::vector<EngineRequest> reads,
                   partiql::TranslateSelectAll(s, KeysOf(table->info)));
  PagePosition pos;
  if (next_token) RETURN_IF_ERROR(DecodeNextToken(*next_token, statement_id, reads.size(), &pos));
  const rapidjson::Value* limit = Member(req, "Limit");
  std::optional<int64_t> remaining;
  if (limit && limit->IsInt64()) remaining = limit->GetInt64();
  rapidjson::Document items(rapidjson::kArrayType);
  rapidjson::Document last_key;  // null: none
  std::optional<std::string> token;
  CapacitySum used;
  for (size_t i = pos.index; i < reads.size(); ++i) {
    // The first read takes Limit as sent (its checks are the Query's and
    // Scan's); the others what is left of it.
    rapidjson::Value left;
    if (remaining) left.SetInt64(*remaining);
    RunOptions o;
    o.consistent = Member(req, "ConsistentRead");
    o.limit = i == pos.index ? limit : (remaining ? &left : nullptr);
    o.capacity = Member(req, "ReturnConsumedCapacity");
    o.start_key = i == pos.index && pos.key.IsObject() ? &pos.key : nullptr;
    ASSIGN_OR_RETURN(rapidjson::Document response, RunStatement(ctx, reads[i], o));
    if (const auto* got = Member(response, "Items"); got && got->IsArray()) {
      for (const auto& item : got->GetArray()) {
        items.PushBack(rapidjson::Value(item, items.GetAllocator()), items.GetAllocator());
      }
    }
    used.Add(response);
    if (const auto* scanned = Member(response, "ScannedCount");
        remaining && scanned && scanned->IsInt64()) {
      *remaining -= scanned->GetInt64();
    }
    if (const auto* last = Member(response, "LastEvaluatedKey")) {
      token = EncodeNextToken(statement_id, i, last);
      last_key.CopyFrom(*last, last_key.GetAllocator());
      break;
    }
    if (remaining && *remaining <= 0 && i + 1 < reads.size()) {
      token = EncodeNextToken(statement_id, i + 1, nullptr);
      break;
    }
  }
  out.StartObject();
  out.Key("Items");
  items.Accept(out);
  if (token) {
    out.Key("NextToken");
    out.String(token->c_str(), static_cast<rapidjson::SizeType>(token->size()));
  }
  if (last_key.IsObject()) {
    out.Key("LastEvaluatedKey");
    last_key.Accept(out);
  }
  used.WriteOne(out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace

Status ExecuteStatement(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(std::string text, ReadStatementText(req, "statement"));
  ASSIGN_OR_RETURN(auto params, ReadParameters(req, "parameters"));
  ASSIGN_OR_RETURN(Statement s, partiql::Parse(text, params));
  if (s.kind == Statement::Kind::kExists) {
    // Wording is this engine's; the documentation: "The EXISTS function can
    // only be used in transactions."
    return Validation("EXISTS can only be used in a transaction");
  }
  if (s.is_read())
    return ExecuteSelect(ctx, req, s, StatementId(text, Member(req, "Parameters")), out);
  ASSIGN_OR_RETURN(Translated t, Translate(ctx, s, false));
  RunOptions o;
  o.capacity = Member(req, "ReturnConsumedCapacity");
  o.on_failure = Member(req, "ReturnValuesOnConditionCheckFailure");
  ASSIGN_OR_RETURN(rapidjson::Document response, RunStatement(ctx, t.request, o));
  out.StartObject();
  out.Key("Items");
  out.StartArray();
  if (const auto* attrs = Member(response, "Attributes")) attrs->Accept(out);
  out.EndArray();
  WriteMember(response, "ConsumedCapacity", out);
  out.EndObject();
  return Status::Ok();
}

Status BatchExecuteStatement(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(const rapidjson::Value* list,
                   ReadList(req, "Statements", "statements", kMaxBatchStatements));
  const rapidjson::Value* capacity = Member(req, "ReturnConsumedCapacity");
  // Parse every statement first: a batch may not mix reads and writes.
  struct Entry {
    std::optional<Statement> statement;
    std::optional<Error> error;
    const rapidjson::Value* json = nullptr;
  };
  std::vector<Entry> entries;
  bool reads = false, writes = false;
  size_t i = 0;
  for (const auto& item : list->GetArray()) {
    ++i;
    if (!item.IsObject()) return Serialization("Unexpected value type in payload");
    const std::string path = "statements." + std::to_string(i) + ".member";
    Entry e;
    e.json = &item;
    ASSIGN_OR_RETURN(std::string text, ReadStatementText(item, path + ".statement"));
    ASSIGN_OR_RETURN(auto params, ReadParameters(item, path + ".parameters"));
    auto parsed = partiql::Parse(text, params);
    if (parsed.ok() && parsed->kind == Statement::Kind::kExists) {
      parsed = Validation("EXISTS can only be used in a transaction");
    }
    if (parsed.ok()) {
      (parsed->is_read() ? reads : writes) = true;
      e.statement = std::move(*parsed);
    } else {
      e.error = std::move(parsed).error();
    }
    entries.push_back(std::move(e));
  }
  if (reads && writes) return Validation(kMixedBatch);
  CapacitySum used;
  out.StartObject();
  out.Key("Responses");
  out.StartArray();
  for (Entry& e : entries) {
    out.StartObject();
    if (!e.statement) {
      WriteBatchError(*e.error, out);
      out.EndObject();
      continue;
    }
    const Statement& s = *e.statement;
    auto response = [&]() -> Result<rapidjson::Document> {
      ASSIGN_OR_RETURN(Translated t, Translate(ctx, s, true));
      RunOptions o;
      o.consistent = Member(*e.json, "ConsistentRead");
      o.on_failure = Member(*e.json, "ReturnValuesOnConditionCheckFailure");
      o.capacity = capacity;
      return RunStatement(ctx, t.request, o);
    }();
    if (!response.ok()) {
      WriteBatchError(response.error(), out);
    } else {
      used.Add(*response);
      if (s.is_read()) WriteMember(*response, "Item", out);
    }
    out.Key("TableName");
    out.String(s.table.c_str(), static_cast<rapidjson::SizeType>(s.table.size()));
    out.EndObject();
  }
  out.EndArray();
  if (!used.empty()) used.Write(out);
  out.EndObject();
  return Status::Ok();
}

Status ExecuteTransaction(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(
      const rapidjson::Value* list,
      ReadList(req, "TransactStatements", "transactStatements", kMaxTransactStatements));
  std::vector<Translated> translated;
  std::vector<bool> inserts;
  bool reads = false, writes = false;
  size_t i = 0;
  for (const auto& item : list->GetArray()) {
    ++i;
    if (!item.IsObject()) return Serialization("Unexpected value type in payload");
    const std::string path = "transactStatements." + std::to_string(i) + ".member";
    ASSIGN_OR_RETURN(std::string text, ReadStatementText(item, path + ".statement"));
    ASSIGN_OR_RETURN(auto params, ReadParameters(item, path + ".parameters"));
    ASSIGN_OR_RETURN(Statement s, partiql::Parse(text, params));
    (s.is_read() ? reads : writes) = true;
    ASSIGN_OR_RETURN(Translated t, Translate(ctx, s, true));
    AddOption(t.request.body, "ReturnValuesOnConditionCheckFailure",
              Member(item, "ReturnValuesOnConditionCheckFailure"));
    inserts.push_back(t.request.is_insert);
    translated.push_back(std::move(t));
  }
  if (reads && writes) return Validation(kMixedTransaction);
  rapidjson::Document body;
  body.SetObject();
  auto& alloc = body.GetAllocator();
  rapidjson::Value items(rapidjson::kArrayType);
  for (Translated& t : translated) {
    rapidjson::Value entry(rapidjson::kObjectType);
    if (reads) t.request.body.RemoveMember("ReturnValuesOnConditionCheckFailure");
    entry.AddMember(rapidjson::StringRef(TransactKind(t.request.op)),
                    rapidjson::Value(t.request.body, alloc), alloc);
    items.PushBack(entry, alloc);
  }
  body.AddMember("TransactItems", items, alloc);
  AddOption(body, "ReturnConsumedCapacity", Member(req, "ReturnConsumedCapacity"));
  if (writes) AddOption(body, "ClientRequestToken", Member(req, "ClientRequestToken"));
  auto response = Run(ctx, reads ? &TransactGetItems : &TransactWriteItems, body);
  if (!response.ok()) return InsertCancellations(std::move(response).error(), inserts);
  out.StartObject();
  WriteMember(*response, "Responses", out);
  WriteMember(*response, "ConsumedCapacity", out);
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
