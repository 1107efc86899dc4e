#include "ddb/format/stream_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "ddb/common/mix64.h"
#include "ddb/format/item_key.h"
#include "ddb/format/stored_item.h"
#include "ddb/model/json_codec.h"

namespace ddb::streams {
namespace {

void WriteString(JsonWriter& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

}  // namespace

std::string FormatSeq(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%021llu", static_cast<unsigned long long>(seq));
  return buf;
}

std::optional<uint64_t> ParseSeq(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return Mix64(h);
}

std::string Hex(uint64_t v, int digits) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf + 16 - digits, static_cast<size_t>(digits));
}

std::string StreamArnOf(const TableInfo& t) { return t.Arn() + "/stream/" + t.stream_label; }

std::string SerializeDesc(const StreamDesc& d) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  str("arn", d.arn);
  str("table", d.table_name);
  str("label", d.label);
  str("view", d.view_type);
  str("region", d.region);
  str("hash", d.hash_key);
  str("range", d.range_key);
  w.Key("id");
  w.Uint64(d.id);
  w.Key("table_id");
  w.Uint64(d.table_id);
  w.Key("created_ms");
  w.Int64(d.created_ms);
  w.Key("shard_ms");
  w.Int64(d.shard_ms);
  w.Key("disabled");
  w.Bool(d.disabled);
  w.Key("end_seq");
  w.Uint64(d.end_seq);
  w.Key("trimmed_seq");
  w.Uint64(d.trimmed_seq);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<StreamDesc> ParseDesc(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  StreamDesc d;
  auto str = [&](const char* k, std::string* out) {
    auto it = doc.FindMember(k);
    if (it != doc.MemberEnd() && it->value.IsString()) out->assign(it->value.GetString());
  };
  auto u64 = [&](const char* k) -> uint64_t {
    auto it = doc.FindMember(k);
    return it != doc.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
  };
  str("arn", &d.arn);
  str("table", &d.table_name);
  str("label", &d.label);
  str("view", &d.view_type);
  str("region", &d.region);
  str("hash", &d.hash_key);
  str("range", &d.range_key);
  d.id = u64("id");
  d.table_id = u64("table_id");
  d.created_ms = static_cast<int64_t>(u64("created_ms"));
  d.shard_ms = static_cast<int64_t>(u64("shard_ms"));
  auto it = doc.FindMember("disabled");
  d.disabled = it != doc.MemberEnd() && it->value.IsBool() && it->value.GetBool();
  d.end_seq = u64("end_seq");
  d.trimmed_seq = u64("trimmed_seq");
  if (d.arn.empty() || d.id == 0 || d.shard_ms <= 0) return std::nullopt;
  return d;
}

std::string EncodeRecord(const ItemChange& c, uint64_t stream_id, uint64_t seq,
                         const std::string& view, int64_t now_ms) {
  const bool had = c.old_item != nullptr, has = c.new_item != nullptr;
  const Item& any = has ? *c.new_item : *c.old_item;
  Item keys_item = KeyItem(c.table->key, any);
  const bool new_image = has && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  const bool old_image = had && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  size_t size = ItemSize(keys_item);
  if (new_image) size += c.new_size;
  if (old_image) size += c.old_size;

  rapidjson::StringBuffer buf;
  JsonWriter out(buf);
  out.StartObject();
  WriteString(out, "eventID",
              Hex(Mix64(seq ^ (stream_id << 40)), 16) + Hex(Mix64(seq + stream_id * 31), 16));
  WriteString(out, "eventName", !had ? "INSERT" : (!has ? "REMOVE" : "MODIFY"));
  WriteString(out, "eventVersion", "1.1");
  WriteString(out, "eventSource", "aws:dynamodb");
  WriteString(out, "awsRegion", c.table->region);
  out.Key("dynamodb");
  out.StartObject();
  out.Key("ApproximateCreationDateTime");
  out.Int64(now_ms / 1000);
  out.Key("Keys");
  EncodeItem(keys_item, out);
  if (new_image) {
    out.Key("NewImage");
    if (!c.new_stored.empty()) {  // the same text, already encoded
      const std::string_view json = StoredItemJson(c.new_stored);
      out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    } else {
      EncodeItem(*c.new_item, out);
    }
  }
  if (old_image) {
    out.Key("OldImage");
    EncodeItem(*c.old_item, out);
  }
  WriteString(out, "SequenceNumber", FormatSeq(seq));
  out.Key("SizeBytes");
  out.Uint64(size);
  WriteString(out, "StreamViewType", view);
  out.EndObject();
  if (c.identity) {
    out.Key("userIdentity");
    out.StartObject();
    WriteString(out, "PrincipalId", c.identity->principal_id);
    WriteString(out, "Type", c.identity->type);
    out.EndObject();
  }
  out.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace ddb::streams
