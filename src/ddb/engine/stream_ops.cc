// The DynamoDBStreams_20120810 operations (ops.h): ListStreams,
// DescribeStream, GetShardIterator and GetRecords, over the stream log
// (format/stream_log.h; shards and iterators: format/stream_shards.h).
#include <algorithm>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/format/keys.h"
#include "ddb/format/stream_log.h"

namespace ddb {

using namespace streams;  // NOLINT: StreamDesc, shards, iterators, sequence numbers

namespace {

constexpr int64_t kMaxGetRecordsLimit = 1000;
constexpr int64_t kMaxDescribeLimit = 100;

std::string HttpDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

Error ShardNotFound(std::string_view shard) {
  return ResourceNotFound("Requested resource not found: Shard: " + std::string(shard) +
                          " not found");
}
Error Trimmed() {
  return Error{ErrorCode::kTrimmedDataAccess,
               "The operation attempted to read past the oldest stream record in a shard."};
}
Error NullParam(std::string_view param) {
  return Validation("1 validation error detected: Value null at '" + std::string(param) +
                    "' failed to satisfy constraint: Member must not be null");
}

Result<std::optional<int64_t>> ReadLimit(const rapidjson::Value& req, int64_t max) {
  ASSIGN_OR_RETURN(auto limit, OptInt32(req, "Limit"));
  if (!limit) return std::optional<int64_t>{};
  if (*limit < 1) {
    return Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value greater "
                      "than or equal to 1");
  }
  if (*limit > max) {
    return Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value less "
                      "than or equal to " +
                      std::to_string(max));
  }
  return limit;
}

// DescribeStream's ShardFilter ({"Type": "CHILD_SHARDS", "ShardId": ...}, in
// the API since 2024; the 2022 botocore model lacks it): the parent shard
// whose children alone are described, or nullopt without a filter. Errors:
// DynamoDB's constraint messages for Type (enum [CHILD_SHARDS]) and ShardId
// (length 28..65), every failed one listed. Both members are optional in the
// model; a filter missing either is rejected as null (a guess: what
// DynamoDB does with a half filter is not documented).
Result<std::optional<std::string>> ReadShardFilter(const rapidjson::Value& req) {
  const rapidjson::Value* filter = Member(req, "ShardFilter");
  if (!filter) return std::optional<std::string>();
  if (!filter->IsObject()) return Serialization("Unexpected value type in payload");
  ASSIGN_OR_RETURN(auto type, OptString(*filter, "Type"));
  ASSIGN_OR_RETURN(auto shard, OptString(*filter, "ShardId"));
  std::vector<std::string> errors;
  auto fail = [&](const std::string& value, const char* path, const std::string& rule) {
    errors.push_back("Value " + value + " at '" + path + "' failed to satisfy constraint: " + rule);
  };
  if (!type) {
    fail("null", "shardFilter.type", "Member must not be null");
  } else if (*type != "CHILD_SHARDS") {
    fail("'" + *type + "'", "shardFilter.type",
         "Member must satisfy enum value set: [CHILD_SHARDS]");
  }
  if (!shard) {
    fail("null", "shardFilter.shardId", "Member must not be null");
  } else if (shard->size() < 28) {
    fail("'" + *shard + "'", "shardFilter.shardId",
         "Member must have length greater than or equal to 28");
  } else if (shard->size() > 65) {
    fail("'" + *shard + "'", "shardFilter.shardId",
         "Member must have length less than or equal to 65");
  }
  if (!errors.empty()) {
    std::string msg = std::to_string(errors.size()) + " validation error" +
                      (errors.size() > 1 ? "s" : "") + " detected: ";
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i];
    return Validation(msg);
  }
  return std::optional<std::string>(*shard);
}

void WriteString(JsonWriter& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

}  // namespace

namespace ops {

Status ListStreams(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto table, OptString(req, "TableName"));
  if (table) RETURN_IF_ERROR(ValidateTableName(*table, "tableName"));
  ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxDescribeLimit));
  ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartStreamArn"));
  std::vector<StreamDesc> found;
  for (StreamDesc& d : ctx.streams->List()) {
    if (table && d.table_name != *table) continue;
    found.push_back(std::move(d));
  }
  if (table && found.empty() && !ctx.catalog.Find(*table)) {
    return ResourceNotFound("Requested resource not found: Table: " + *table + " not found");
  }
  out.StartObject();
  out.Key("Streams");
  out.StartArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const auto& d : found) {
    if (start && d.arn <= *start) continue;
    if (limit && n == static_cast<size_t>(*limit)) {
      more = true;
      break;
    }
    out.StartObject();
    WriteString(out, "StreamArn", d.arn);
    WriteString(out, "TableName", d.table_name);
    WriteString(out, "StreamLabel", d.label);
    out.EndObject();
    last = d.arn;
    ++n;
  }
  out.EndArray();
  if (more) WriteString(out, "LastEvaluatedStreamArn", last);
  out.EndObject();
  return Status::Ok();
}

Status DescribeStream(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto arn, OptString(req, "StreamArn"));
  if (!arn) return NullParam("streamArn");
  ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxDescribeLimit));
  ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartShardId"));
  ASSIGN_OR_RETURN(auto parent, ReadShardFilter(req));
  ASSIGN_OR_RETURN(StreamDesc d, ctx.streams->Find(*arn));
  int64_t now = NowMs();
  ShardSpan span = ctx.streams->SpanOf(d, now);
  int64_t first = span.first, last = span.last;
  if (start) {
    auto k = ParseShardId(d, *start);
    if (!k) return ShardNotFound(*start);
    first = std::max(first, *k + 1);
  }
  if (parent) {
    // Shards form one chain (each rolls over into the next), so a shard's
    // only child is the next one, once it exists. A shard id that is not
    // one of the stream's is not found (as for ExclusiveStartShardId; a guess).
    auto k = ParseShardId(d, *parent);
    if (!k) return ShardNotFound(*parent);
    first = std::max(first, *k + 1);
    last = std::min(last, *k + 1);
  }
  out.StartObject();
  out.Key("StreamDescription");
  out.StartObject();
  WriteString(out, "StreamArn", d.arn);
  WriteString(out, "StreamLabel", d.label);
  WriteString(out, "StreamStatus", d.disabled ? "DISABLED" : "ENABLED");
  WriteString(out, "StreamViewType", d.view_type);
  out.Key("CreationRequestDateTime");
  out.Double(static_cast<double>(d.created_ms) / 1000.0);
  WriteString(out, "TableName", d.table_name);
  out.Key("KeySchema");
  out.StartArray();
  out.StartObject();
  WriteString(out, "AttributeName", d.hash_key);
  WriteString(out, "KeyType", "HASH");
  out.EndObject();
  if (!d.range_key.empty()) {
    out.StartObject();
    WriteString(out, "AttributeName", d.range_key);
    WriteString(out, "KeyType", "RANGE");
    out.EndObject();
  }
  out.EndArray();
  out.Key("Shards");
  out.StartArray();
  int64_t max = limit.value_or(kMaxDescribeLimit);
  int64_t n = 0;
  std::string last_id;
  for (int64_t k = first; k <= last; ++k) {
    if (n == max) break;
    out.StartObject();
    std::string id = ShardId(d, k);
    WriteString(out, "ShardId", id);
    out.Key("SequenceNumberRange");
    out.StartObject();
    WriteString(out, "StartingSequenceNumber", FormatSeq(ShardStart(d, k)));
    uint64_t end = ShardLast(d, span, k);
    if (end != UINT64_MAX) WriteString(out, "EndingSequenceNumber", FormatSeq(end));
    out.EndObject();
    if (k > 0) WriteString(out, "ParentShardId", ShardId(d, k - 1));
    out.EndObject();
    last_id = id;
    ++n;
  }
  out.EndArray();
  if (n == max && first + n <= last) WriteString(out, "LastEvaluatedShardId", last_id);
  out.EndObject();
  out.EndObject();
  return Status::Ok();
}

Status GetShardIterator(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto arn, OptString(req, "StreamArn"));
  ASSIGN_OR_RETURN(auto shard_id, OptString(req, "ShardId"));
  ASSIGN_OR_RETURN(auto type, OptString(req, "ShardIteratorType"));
  ASSIGN_OR_RETURN(auto seq_text, OptString(req, "SequenceNumber"));
  if (!arn) return NullParam("streamArn");
  if (!shard_id) return NullParam("shardId");
  if (!type) return NullParam("shardIteratorType");
  const bool at = *type == "AT_SEQUENCE_NUMBER", after = *type == "AFTER_SEQUENCE_NUMBER";
  if (!at && !after && *type != "TRIM_HORIZON" && *type != "LATEST") {
    return Validation("1 validation error detected: Value '" + *type +
                      "' at 'shardIteratorType' failed to satisfy constraint: Member must "
                      "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, "
                      "AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
  }
  std::optional<uint64_t> seq;
  if (at || after) {
    if (!seq_text) {
      return Validation("Must specify a sequence number for iterator type " + *type);
    }
    seq = ParseSeq(*seq_text);
    if (!seq) return Validation("Invalid SequenceNumber: " + *seq_text);
  } else if (seq_text) {
    return Validation("Sequence number must not be specified for iterator type " + *type);
  }
  ASSIGN_OR_RETURN(StreamDesc d, ctx.streams->Find(*arn));
  int64_t now = NowMs();
  StreamLog& log = *ctx.streams;
  ShardSpan span = log.SpanOf(d, now);
  auto k = ParseShardId(d, *shard_id);
  if (!k || *k > span.last) return ShardNotFound(*shard_id);
  const uint64_t start = ShardStart(d, *k), last = ShardLast(d, span, *k);
  if (*k < span.first) return Trimmed();
  ShardIterator it{d.arn, *k, 0, now};
  if (*type == "TRIM_HORIZON") {
    it.position = std::max(start, d.trimmed_seq + 1);
  } else if (*type == "LATEST") {
    it.position = last == UINT64_MAX ? span.watermark + 1 : last + 1;
    it.position = std::max(it.position, start);
  } else {
    if (*seq <= d.trimmed_seq || *seq < log.CutoffSeq(now)) return Trimmed();
    if (*seq < start || *seq > last) {
      return Validation("Invalid SequenceNumber " + *seq_text + " for shard " + *shard_id);
    }
    it.position = after ? *seq + 1 : *seq;
  }
  out.StartObject();
  WriteString(out, "ShardIterator", EncodeIterator(it));
  out.EndObject();
  return Status::Ok();
}

Status GetRecords(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(auto text, OptString(req, "ShardIterator"));
  if (!text) return NullParam("shardIterator");
  ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxGetRecordsLimit));
  auto it = DecodeIterator(*text);
  if (!it) return Validation("Invalid ShardIterator");
  int64_t now = NowMs();
  const int64_t lifetime = ctx.streams->IteratorLifetimeMs();
  if (now - it->issued_ms > lifetime) {
    return Error{ErrorCode::kExpiredIterator,
                 "Iterator expired. The iterator was created at time " + HttpDate(it->issued_ms) +
                     " while right now it is " + HttpDate(now) +
                     " which is further in the future than the tolerated delay of " +
                     std::to_string(lifetime) + " milliseconds."};
  }
  ASSIGN_OR_RETURN(StreamDesc d, ctx.streams->Find(it->arn));
  if (it->position <= d.trimmed_seq) return Trimmed();
  StreamLog& log = *ctx.streams;
  ShardSpan span = log.SpanOf(d, now);
  if (it->shard > span.last) return ShardNotFound(ShardId(d, it->shard));
  const uint64_t last = ShardLast(d, span, it->shard);
  const uint64_t upper = std::min(last, span.watermark);  // readable up to here
  const int64_t max = limit.value_or(kMaxGetRecordsLimit);

  out.StartObject();
  out.Key("Records");
  out.StartArray();
  uint64_t next = it->position;
  int64_t n = 0;
  if (it->position <= upper) {
    std::string prefix = keys::StreamRecordPrefix(d.id);
    auto cur = ctx.store->NewCursor(keys::StreamRecordKey(d.id, it->position),
                                    keys::StreamRecordKey(d.id, upper + 1));
    for (cur->SeekToStart(); cur->Valid() && n < max; cur->Next()) {
      std::string_view v = cur->value();
      out.RawValue(v.data(), v.size(), rapidjson::kObjectType);
      next = ReadBigEndian64(cur->key().substr(prefix.size())) + 1;
      ++n;
    }
    RETURN_IF_ERROR(cur->status());
    if (n < max) next = upper + 1;  // everything readable was read
  }
  out.EndArray();
  // A closed shard read to its end has no next iterator.
  if (!(last != UINT64_MAX && next > last)) {
    ShardIterator nit{d.arn, it->shard, next, now};
    WriteString(out, "NextShardIterator", EncodeIterator(nit));
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ops
}  // namespace ddb
