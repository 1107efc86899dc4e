#include "ddb/format/table_info.h"

#include <rapidjson/document.h>

namespace ddb {
namespace {

// Key attributes are S, N or B only; the catalog stores them by name.
const char* KeyTypeName(AttrType t) {
  switch (t) {
    case AttrType::kN:
      return "N";
    case AttrType::kB:
      return "B";
    default:
      return "S";
  }
}

bool ParseKeyTypeName(std::string_view s, AttrType* out) {
  if (s == "S")
    *out = AttrType::kS;
  else if (s == "N")
    *out = AttrType::kN;
  else if (s == "B")
    *out = AttrType::kB;
  else
    return false;
  return true;
}

// ---- Serialization (catalog form) ----------------------------------------

void WriteKeyAttr(const KeyAttr& k, JsonWriter& w) {
  w.StartObject();
  w.Key("name");
  w.String(k.name);
  w.Key("type");
  w.String(KeyTypeName(k.type));
  w.EndObject();
}

// A multi-attribute key's further attributes are two optional members
// ("more_hash", "more_range"), absent for one-attribute keys, so catalogs
// written before multi-attribute keys parse unchanged.
void WriteKeySchema(const KeySchema& k, JsonWriter& w) {
  w.StartObject();
  w.Key("hash");
  WriteKeyAttr(k.hash, w);
  if (k.range) {
    w.Key("range");
    WriteKeyAttr(*k.range, w);
  }
  auto write_more = [&](const char* name, const std::vector<KeyAttr>& more) {
    if (more.empty()) return;
    w.Key(name);
    w.StartArray();
    for (const auto& a : more) WriteKeyAttr(a, w);
    w.EndArray();
  };
  write_more("more_hash", k.more_hash);
  write_more("more_range", k.more_range);
  w.EndObject();
}

void WriteThroughput(const Throughput& t, JsonWriter& w) {
  w.StartObject();
  w.Key("read");
  w.Int64(t.read);
  w.Key("write");
  w.Int64(t.write);
  w.Key("last_increase");
  w.Double(t.last_increase);
  w.Key("last_decrease");
  w.Double(t.last_decrease);
  w.Key("decreases_today");
  w.Int64(t.decreases_today);
  w.EndObject();
}

void WriteIndex(const IndexInfo& i, JsonWriter& w) {
  w.StartObject();
  w.Key("name");
  w.String(i.name);
  w.Key("key");
  WriteKeySchema(i.key, w);
  w.Key("projection_type");
  w.String(i.projection_type);
  w.Key("non_key_attributes");
  w.StartArray();
  for (auto& a : i.non_key_attributes) w.String(a);
  w.EndArray();
  w.Key("throughput");
  WriteThroughput(i.throughput, w);
  w.Key("status");
  w.String(i.status);
  w.Key("backfilling");
  w.Bool(i.backfilling);
  w.Key("id");
  w.Uint64(i.id);
  w.EndObject();
}

// ---- Parsing (catalog form) ------------------------------------------------

Error Corrupt(std::string_view what) {
  return Internal("corrupt table metadata: " + std::string(what));
}

const rapidjson::Value* Field(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it == o.MemberEnd() ? nullptr : &it->value;
}

Status GetString(const rapidjson::Value& o, const char* name, std::string* out,
                 bool required = true) {
  const auto* v = Field(o, name);
  if (!v) return required ? Status(Corrupt(std::string("missing ") + name)) : Status::Ok();
  if (!v->IsString()) return Corrupt(std::string("bad ") + name);
  out->assign(v->GetString(), v->GetStringLength());
  return Status::Ok();
}

template <typename T>
Status GetNumber(const rapidjson::Value& o, const char* name, T* out) {
  const auto* v = Field(o, name);
  if (!v) return Status::Ok();  // optional: keep the default
  if (!v->IsNumber()) return Corrupt(std::string("bad ") + name);
  if constexpr (std::is_same_v<T, double>) {
    *out = v->GetDouble();
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    if (!v->IsUint64()) return Corrupt(std::string("bad ") + name);
    *out = v->GetUint64();
  } else {
    if (!v->IsInt64()) return Corrupt(std::string("bad ") + name);
    *out = v->GetInt64();
  }
  return Status::Ok();
}

Status GetBool(const rapidjson::Value& o, const char* name, bool* out) {
  const auto* v = Field(o, name);
  if (!v) return Status::Ok();
  if (!v->IsBool()) return Corrupt(std::string("bad ") + name);
  *out = v->GetBool();
  return Status::Ok();
}

Status ParseKeyAttr(const rapidjson::Value& v, KeyAttr* out) {
  if (!v.IsObject()) return Corrupt("key attribute");
  RETURN_IF_ERROR(GetString(v, "name", &out->name));
  std::string type;
  RETURN_IF_ERROR(GetString(v, "type", &type));
  if (!ParseKeyTypeName(type, &out->type)) return Corrupt("key type " + type);
  return Status::Ok();
}

Status ParseKeySchema(const rapidjson::Value* v, KeySchema* out) {
  if (!v || !v->IsObject()) return Corrupt("key schema");
  const auto* hash = Field(*v, "hash");
  if (!hash) return Corrupt("hash key");
  RETURN_IF_ERROR(ParseKeyAttr(*hash, &out->hash));
  if (const auto* range = Field(*v, "range")) {
    KeyAttr r;
    RETURN_IF_ERROR(ParseKeyAttr(*range, &r));
    out->range = std::move(r);
  }
  auto parse_more = [&](const char* name, std::vector<KeyAttr>* more) -> Status {
    const auto* list = Field(*v, name);
    if (!list) return Status::Ok();
    if (!list->IsArray() || list->Size() >= kMaxKeyAttrsPerRole) return Corrupt(name);
    for (const auto& e : list->GetArray()) {
      KeyAttr a;
      RETURN_IF_ERROR(ParseKeyAttr(e, &a));
      more->push_back(std::move(a));
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(parse_more("more_hash", &out->more_hash));
  RETURN_IF_ERROR(parse_more("more_range", &out->more_range));
  if (!out->range && !out->more_range.empty()) return Corrupt("more_range without range");
  return Status::Ok();
}

Status ParseThroughput(const rapidjson::Value* v, Throughput* out) {
  if (!v) return Status::Ok();
  if (!v->IsObject()) return Corrupt("throughput");
  RETURN_IF_ERROR(GetNumber(*v, "read", &out->read));
  RETURN_IF_ERROR(GetNumber(*v, "write", &out->write));
  RETURN_IF_ERROR(GetNumber(*v, "last_increase", &out->last_increase));
  RETURN_IF_ERROR(GetNumber(*v, "last_decrease", &out->last_decrease));
  RETURN_IF_ERROR(GetNumber(*v, "decreases_today", &out->decreases_today));
  return Status::Ok();
}

Status ParseIndex(const rapidjson::Value& v, IndexInfo* out) {
  if (!v.IsObject()) return Corrupt("index");
  RETURN_IF_ERROR(GetString(v, "name", &out->name));
  RETURN_IF_ERROR(ParseKeySchema(Field(v, "key"), &out->key));
  RETURN_IF_ERROR(GetString(v, "projection_type", &out->projection_type, false));
  if (const auto* nka = Field(v, "non_key_attributes")) {
    if (!nka->IsArray()) return Corrupt("non_key_attributes");
    for (const auto& a : nka->GetArray()) {
      if (!a.IsString()) return Corrupt("non_key_attributes");
      out->non_key_attributes.emplace_back(a.GetString(), a.GetStringLength());
    }
  }
  RETURN_IF_ERROR(ParseThroughput(Field(v, "throughput"), &out->throughput));
  RETURN_IF_ERROR(GetString(v, "status", &out->status, false));
  RETURN_IF_ERROR(GetBool(v, "backfilling", &out->backfilling));
  RETURN_IF_ERROR(GetNumber(v, "id", &out->id));
  return Status::Ok();
}

Status ParseIndexes(const rapidjson::Value* v, std::vector<IndexInfo>* out) {
  if (!v) return Status::Ok();
  if (!v->IsArray()) return Corrupt("index list");
  for (const auto& e : v->GetArray()) {
    IndexInfo i;
    RETURN_IF_ERROR(ParseIndex(e, &i));
    out->push_back(std::move(i));
  }
  return Status::Ok();
}

}  // namespace

const char* KeyAttrTypeName(AttrType t) { return KeyTypeName(t); }

std::vector<const KeyAttr*> KeySchema::HashAttrs() const {
  std::vector<const KeyAttr*> out{&hash};
  for (const auto& a : more_hash) out.push_back(&a);
  return out;
}

std::vector<const KeyAttr*> KeySchema::RangeAttrs() const {
  std::vector<const KeyAttr*> out;
  if (range) out.push_back(&*range);
  for (const auto& a : more_range) out.push_back(&a);
  return out;
}

std::vector<const KeyAttr*> KeySchema::AllAttrs() const {
  std::vector<const KeyAttr*> out = HashAttrs();
  for (const KeyAttr* a : RangeAttrs()) out.push_back(a);
  return out;
}

std::string TableInfo::Arn() const {
  return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
}

const IndexInfo* TableInfo::FindIndex(std::string_view index_name, bool* is_global) const {
  for (const auto& i : gsis) {
    if (i.name == index_name) {
      if (is_global) *is_global = true;
      return &i;
    }
  }
  for (const auto& i : lsis) {
    if (i.name == index_name) {
      if (is_global) *is_global = false;
      return &i;
    }
  }
  return nullptr;
}

std::string SerializeTableInfo(const TableInfo& t) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("name");
  w.String(t.name);
  w.Key("id");
  w.Uint64(t.id);
  w.Key("key");
  WriteKeySchema(t.key, w);
  w.Key("attribute_definitions");
  w.StartArray();
  for (const auto& a : t.attribute_definitions) WriteKeyAttr(a, w);
  w.EndArray();
  w.Key("billing_mode");
  w.String(t.billing_mode);
  w.Key("throughput");
  WriteThroughput(t.throughput, w);
  w.Key("creation_time");
  w.Double(t.creation_time);
  w.Key("status");
  w.String(t.status);
  w.Key("gsis");
  w.StartArray();
  for (const auto& i : t.gsis) WriteIndex(i, w);
  w.EndArray();
  w.Key("lsis");
  w.StartArray();
  for (const auto& i : t.lsis) WriteIndex(i, w);
  w.EndArray();
  w.Key("tags");
  w.StartArray();
  for (const auto& [k, v] : t.tags) {
    w.StartArray();
    w.String(k);
    w.String(v);
    w.EndArray();
  }
  w.EndArray();
  w.Key("table_class");
  w.String(t.table_class);
  w.Key("deletion_protection");
  w.Bool(t.deletion_protection);
  w.Key("stream_enabled");
  w.Bool(t.stream_enabled);
  w.Key("stream_view_type");
  w.String(t.stream_view_type);
  w.Key("stream_label");
  w.String(t.stream_label);
  w.Key("region");
  w.String(t.region);
  w.Key("account");
  w.String(t.account);
  w.Key("ttl_enabled");
  w.Bool(t.ttl_enabled);
  w.Key("ttl_attribute");
  w.String(t.ttl_attribute);
  w.Key("ttl_modified_time");
  w.Double(t.ttl_modified_time);
  w.Key("pitr_enabled");
  w.Bool(t.pitr_enabled);
  w.Key("pitr_enabled_time");
  w.Double(t.pitr_enabled_time);
  w.Key("pitr_recovery_days");
  w.Int64(t.pitr_recovery_days);
  w.Key("restore_source_backup_arn");
  w.String(t.restore_source_backup_arn);
  w.Key("restore_source_table_arn");
  w.String(t.restore_source_table_arn);
  w.Key("restore_time");
  w.Double(t.restore_time);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<TableInfo> ParseTableInfo(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Corrupt("not a JSON object");
  TableInfo t;
  RETURN_IF_ERROR(GetString(d, "name", &t.name));
  RETURN_IF_ERROR(GetNumber(d, "id", &t.id));
  RETURN_IF_ERROR(ParseKeySchema(Field(d, "key"), &t.key));
  if (const auto* defs = Field(d, "attribute_definitions")) {
    if (!defs->IsArray()) return Corrupt("attribute_definitions");
    for (const auto& a : defs->GetArray()) {
      KeyAttr k;
      RETURN_IF_ERROR(ParseKeyAttr(a, &k));
      t.attribute_definitions.push_back(std::move(k));
    }
  }
  RETURN_IF_ERROR(GetString(d, "billing_mode", &t.billing_mode, false));
  RETURN_IF_ERROR(ParseThroughput(Field(d, "throughput"), &t.throughput));
  RETURN_IF_ERROR(GetNumber(d, "creation_time", &t.creation_time));
  RETURN_IF_ERROR(GetString(d, "status", &t.status, false));
  RETURN_IF_ERROR(ParseIndexes(Field(d, "gsis"), &t.gsis));
  RETURN_IF_ERROR(ParseIndexes(Field(d, "lsis"), &t.lsis));
  if (const auto* tags = Field(d, "tags")) {
    if (!tags->IsArray()) return Corrupt("tags");
    for (const auto& p : tags->GetArray()) {
      if (!p.IsArray() || p.Size() != 2 || !p[0].IsString() || !p[1].IsString()) {
        return Corrupt("tag");
      }
      t.tags.emplace_back(std::string(p[0].GetString(), p[0].GetStringLength()),
                          std::string(p[1].GetString(), p[1].GetStringLength()));
    }
  }
  RETURN_IF_ERROR(GetString(d, "table_class", &t.table_class, false));
  RETURN_IF_ERROR(GetBool(d, "deletion_protection", &t.deletion_protection));
  RETURN_IF_ERROR(GetBool(d, "stream_enabled", &t.stream_enabled));
  RETURN_IF_ERROR(GetString(d, "stream_view_type", &t.stream_view_type, false));
  RETURN_IF_ERROR(GetString(d, "stream_label", &t.stream_label, false));
  RETURN_IF_ERROR(GetString(d, "region", &t.region, false));
  RETURN_IF_ERROR(GetString(d, "account", &t.account, false));
  RETURN_IF_ERROR(GetBool(d, "ttl_enabled", &t.ttl_enabled));
  RETURN_IF_ERROR(GetString(d, "ttl_attribute", &t.ttl_attribute, false));
  RETURN_IF_ERROR(GetNumber(d, "ttl_modified_time", &t.ttl_modified_time));
  RETURN_IF_ERROR(GetBool(d, "pitr_enabled", &t.pitr_enabled));
  RETURN_IF_ERROR(GetNumber(d, "pitr_enabled_time", &t.pitr_enabled_time));
  RETURN_IF_ERROR(GetNumber(d, "pitr_recovery_days", &t.pitr_recovery_days));
  RETURN_IF_ERROR(GetString(d, "restore_source_backup_arn", &t.restore_source_backup_arn, false));
  RETURN_IF_ERROR(GetString(d, "restore_source_table_arn", &t.restore_source_table_arn, false));
  RETURN_IF_ERROR(GetNumber(d, "restore_time", &t.restore_time));
  return t;
}

}  // namespace ddb
