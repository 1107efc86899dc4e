// The common half of the durable record of a background job that a request
// starts and later requests describe and list: table exports
// (export_records.h) and imports (import_records.h). Each kind keeps its own
// record struct and field table; what is common is here:
//   - the key: "\x08" <kind> <arn> (keys::kExport; kind 'e' exports, 'i'
//     imports);
//   - the value: a JSON object of the record's fields, in its
//     RecordSchema's order (strings, doubles, int64s, uint64s), every field
//     required when read; then the optional fields (strings, doubles),
//     written only when set (not "" or 0) and read as unset when absent, so
//     that a field added later leaves the records written before it (and
//     the records that do not use it) byte for byte as they were;
//   - loading one, loading all in creation order (`seq`);
//   - failing the IN_PROGRESS records left by a stop or crash;
//   - the ClientToken lookup and the List* paging of the operations;
//   - the request checks both operations share (bucket name, client token)
//     and the id form of their ARNs.
// A record type R used with these templates has at least the members arn,
// seq, status, table_arn, start_time, end_time, client_token, failure_code
// and failure_message.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/model/json_codec.h"
#include "ddb/storage/store.h"

namespace ddb::job_records {

// DynamoDB: "A client token is valid for 8 hours after the first request
// that uses it" (exports and imports alike).
inline constexpr double kClientTokenSeconds = 8 * 3600;

// One member of a record and its JSON key.
template <class R, class T>
struct Field {
  const char* key;
  T R::*member;
};

// How a record of type R is stored.
template <class R>
struct RecordSchema {
  char kind;            // the key's kind byte
  const char* corrupt;  // InternalServerError's message for a malformed record
  std::span<const Field<R, std::string>> strings;
  std::span<const Field<R, double>> doubles;
  std::span<const Field<R, int64_t>> ints;
  std::span<const Field<R, uint64_t>> uints;
  std::span<const Field<R, std::string>> optional_strings = {};
  std::span<const Field<R, double>> optional_doubles = {};
};

// "\x08" <kind> <arn>.
std::string RecordKey(char kind, std::string_view arn);
// Writes `value` at RecordKey(kind, arn) (durably).
Status PutRecord(Store& store, char kind, std::string_view arn, std::string value);
// The value at RecordKey(kind, arn), or nullopt.
Result<std::optional<std::string>> GetRecord(const Store& store, char kind, std::string_view arn);
// Calls `each` with every value of `kind`, in key order; stops at its first error.
Status ForEachRecord(const Store& store, char kind,
                     const std::function<Status(std::string_view)>& each);

// A string member written only when not empty.
void WriteOptionalString(JsonWriter& w, const char* key, const std::string& v);

// S3Bucket's pattern in the service model: ^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$
bool ValidBucketName(std::string_view b);
// ClientToken's pattern: ^[^\$]+$
bool ValidClientToken(std::string_view t);
// <ms since epoch, 14 digits>-<8 hex>: the id part of an export or import
// ARN, as the guide's examples show it; `salt` tells the kinds apart.
std::string MakeJobId(double now, uint64_t seq, uint64_t salt);

template <class R>
std::string Serialize(const RecordSchema<R>& s, const R& r) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  for (const auto& f : s.strings) {
    w.Key(f.key);
    w.String(r.*f.member);
  }
  for (const auto& f : s.doubles) {
    w.Key(f.key);
    w.Double(r.*f.member);
  }
  for (const auto& f : s.ints) {
    w.Key(f.key);
    w.Int64(r.*f.member);
  }
  for (const auto& f : s.uints) {
    w.Key(f.key);
    w.Uint64(r.*f.member);
  }
  for (const auto& f : s.optional_strings) {
    if ((r.*f.member).empty()) continue;
    w.Key(f.key);
    w.String(r.*f.member);
  }
  for (const auto& f : s.optional_doubles) {
    if (r.*f.member == 0) continue;
    w.Key(f.key);
    w.Double(r.*f.member);
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// InternalServerError `s.corrupt` if malformed or a field is missing.
template <class R>
Result<R> Parse(const RecordSchema<R>& s, std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [&] { return Internal(s.corrupt); };
  if (d.HasParseError() || !d.IsObject()) return bad();
  R r;
  for (const auto& f : s.strings) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsString()) return bad();
    (r.*f.member).assign(it->value.GetString(), it->value.GetStringLength());
  }
  for (const auto& f : s.doubles) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsNumber()) return bad();
    r.*f.member = it->value.GetDouble();
  }
  for (const auto& f : s.ints) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsInt64()) return bad();
    r.*f.member = it->value.GetInt64();
  }
  for (const auto& f : s.uints) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd() || !it->value.IsUint64()) return bad();
    r.*f.member = it->value.GetUint64();
  }
  for (const auto& f : s.optional_strings) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd()) continue;
    if (!it->value.IsString()) return bad();
    (r.*f.member).assign(it->value.GetString(), it->value.GetStringLength());
  }
  for (const auto& f : s.optional_doubles) {
    auto it = d.FindMember(f.key);
    if (it == d.MemberEnd()) continue;
    if (!it->value.IsNumber()) return bad();
    r.*f.member = it->value.GetDouble();
  }
  return r;
}

// Writes `r` (durably).
template <class R>
Status Save(Store& store, const RecordSchema<R>& s, const R& r) {
  return PutRecord(store, s.kind, r.arn, Serialize(s, r));
}

// The record `arn`, or nullopt.
template <class R>
Result<std::optional<R>> Load(const Store& store, const RecordSchema<R>& s, std::string_view arn) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, GetRecord(store, s.kind, arn));
  if (!value) return std::optional<R>();
  ASSIGN_OR_RETURN(R r, Parse(s, *value));
  return std::optional<R>(std::move(r));
}

// Every record of the kind, in creation order.
template <class R>
Result<std::vector<R>> LoadAll(const Store& store, const RecordSchema<R>& s) {
  std::vector<R> all;
  RETURN_IF_ERROR(ForEachRecord(store, s.kind, [&](std::string_view value) -> Status {
    ASSIGN_OR_RETURN(R r, Parse(s, value));
    all.push_back(std::move(r));
    return Status::Ok();
  }));
  std::sort(all.begin(), all.end(), [](const R& a, const R& b) { return a.seq < b.seq; });
  return all;
}

// Marks every IN_PROGRESS record FAILED at `now` with `code` and `message`
// and saves it; `before` (Status(R&)) runs first on each, and its error
// stops the pass.
template <class R, class Before>
Status FailInterrupted(Store& store, const RecordSchema<R>& s, double now, const char* code,
                       const char* message, Before&& before) {
  ASSIGN_OR_RETURN(std::vector<R> all, LoadAll(store, s));
  for (R& r : all) {
    if (r.status != "IN_PROGRESS") continue;
    RETURN_IF_ERROR(before(r));
    r.status = "FAILED";
    r.end_time = now;
    r.failure_code = code;
    r.failure_message = message;
    RETURN_IF_ERROR(Save(store, s, r));
  }
  return Status::Ok();
}

// The record of `all` started with `token` within kClientTokenSeconds of
// `now`, or null.
template <class R>
const R* FindByClientToken(const std::vector<R>& all, const std::string& token, double now) {
  for (const R& e : all) {
    if (e.client_token == token && now - e.start_time <= kClientTokenSeconds) return &e;
  }
  return nullptr;
}

// One page of a List* answer.
template <class R>
struct Page {
  std::vector<const R*> records;
  // The last record of the page when more follow (the next page starts
  // after it), else null.
  const R* more_after = nullptr;
};

// The records of `all` (in its order) of `table_arn` (all when nullopt),
// from the one after the record `after_arn` (from the first when nullopt),
// at most `size`; nullopt when `after_arn` is no such record.
template <class R>
std::optional<Page<R>> PageAfter(const std::vector<R>& all,
                                 const std::optional<std::string>& table_arn,
                                 const std::optional<std::string>& after_arn, size_t size) {
  std::vector<const R*> matching;
  for (const R& r : all) {
    if (table_arn && r.table_arn != *table_arn) continue;
    matching.push_back(&r);
  }
  size_t first = 0;
  if (after_arn) {
    auto pos = std::find_if(matching.begin(), matching.end(),
                            [&](const R* r) { return r->arn == *after_arn; });
    if (pos == matching.end()) return std::nullopt;
    first = static_cast<size_t>(pos - matching.begin()) + 1;
  }
  const size_t end = std::min(matching.size(), first + size);
  Page<R> page;
  page.records.assign(matching.begin() + static_cast<std::ptrdiff_t>(first),
                      matching.begin() + static_cast<std::ptrdiff_t>(end));
  if (end < matching.size()) page.more_after = matching[end - 1];
  return page;
}

}  // namespace ddb::job_records
