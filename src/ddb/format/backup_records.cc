#include "ddb/format/backup_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "ddb/format/keys.h"
#include "ddb/model/json_codec.h"

namespace ddb::backups {

std::string SerializeBackup(const Backup& b) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("arn");
  w.String(b.arn);
  w.Key("name");
  w.String(b.name);
  w.Key("type");
  w.String(b.type);
  w.Key("id");
  w.Uint64(b.id);
  w.Key("created");
  w.Double(b.created);
  w.Key("size_bytes");
  w.Int64(b.size_bytes);
  w.Key("item_count");
  w.Int64(b.item_count);
  w.Key("table");
  w.String(SerializeTableInfo(b.table));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<Backup> ParseBackup(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [] { return Internal("corrupt backup metadata"); };
  if (d.HasParseError() || !d.IsObject()) return bad();
  auto str = [&](const char* k, std::string* out) {
    auto it = d.FindMember(k);
    if (it == d.MemberEnd() || !it->value.IsString()) return false;
    out->assign(it->value.GetString(), it->value.GetStringLength());
    return true;
  };
  Backup b;
  std::string table;
  if (!str("arn", &b.arn) || !str("name", &b.name) || !str("type", &b.type) ||
      !str("table", &table)) {
    return bad();
  }
  auto id = d.FindMember("id"), created = d.FindMember("created"),
       size = d.FindMember("size_bytes"), count = d.FindMember("item_count");
  if (id == d.MemberEnd() || !id->value.IsUint64() || created == d.MemberEnd() ||
      !created->value.IsNumber() || size == d.MemberEnd() || !size->value.IsInt64() ||
      count == d.MemberEnd() || !count->value.IsInt64()) {
    return bad();
  }
  b.id = id->value.GetUint64();
  b.created = created->value.GetDouble();
  b.size_bytes = size->value.GetInt64();
  b.item_count = count->value.GetInt64();
  ASSIGN_OR_RETURN(b.table, ParseTableInfo(table));
  return b;
}

Result<std::optional<Backup>> LoadBackup(const Store& store, std::string_view arn) {
  std::string v;
  ASSIGN_OR_RETURN(bool found, store.Get(keys::BackupMetaKey(arn), &v));
  if (!found) return std::optional<Backup>();
  ASSIGN_OR_RETURN(Backup b, ParseBackup(v));
  return std::optional<Backup>(std::move(b));
}

Result<std::vector<Backup>> LoadAll(const Store& store) {
  std::vector<Backup> out;
  auto cur = store.NewCursor(keys::BackupMetaPrefix(), keys::PrefixEnd(keys::BackupMetaPrefix()));
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    ASSIGN_OR_RETURN(Backup b, ParseBackup(cur->value()));
    out.push_back(std::move(b));
  }
  RETURN_IF_ERROR(cur->status());
  std::sort(out.begin(), out.end(), [](const Backup& a, const Backup& b) {
    return a.created != b.created ? a.created < b.created : a.arn < b.arn;
  });
  return out;
}

}  // namespace ddb::backups
