#include "ddb/engine/job_records.h"

#include <cctype>
#include <cinttypes>
#include <cstdio>

#include "ddb/common/mix64.h"
#include "ddb/format/keys.h"

namespace ddb::job_records {
namespace {

std::string KindPrefix(char kind) { return std::string{keys::kExport, kind}; }

}  // namespace

std::string RecordKey(char kind, std::string_view arn) {
  return KindPrefix(kind) + std::string(arn);
}

Status PutRecord(Store& store, char kind, std::string_view arn, std::string value) {
  WriteBatch b;
  b.Put(RecordKey(kind, arn), std::move(value));
  return store.Write(b);
}

Result<std::optional<std::string>> GetRecord(const Store& store, char kind, std::string_view arn) {
  std::string value;
  ASSIGN_OR_RETURN(bool found, store.Get(RecordKey(kind, arn), &value));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

Status ForEachRecord(const Store& store, char kind,
                     const std::function<Status(std::string_view)>& each) {
  const std::string prefix = KindPrefix(kind);
  auto cur = store.NewCursor(prefix, keys::PrefixEnd(prefix));
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) RETURN_IF_ERROR(each(cur->value()));
  return cur->status();
}

void WriteOptionalString(JsonWriter& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v);
}

bool ValidBucketName(std::string_view b) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (b.size() < 2 || !alnum(b.front()) || !alnum(b.back())) return false;
  return std::all_of(b.begin(), b.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '-' || c == '_'; });
}

bool ValidClientToken(std::string_view t) {
  return !t.empty() && t.find('$') == std::string_view::npos;
}

std::string MakeJobId(double now, uint64_t seq, uint64_t salt) {
  auto ms = static_cast<long long>(now * 1000.0 + 0.5);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%014lld-%08" PRIx64, ms,
                static_cast<uint64_t>(Mix64(seq ^ static_cast<uint64_t>(ms) ^ salt) & 0xffffffffu));
  return buf;
}

}  // namespace ddb::job_records
