#include "server/credentials_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <initializer_list>
#include <sstream>

#include "ddb/common/error.h"

namespace server {
namespace {

base::Error Bad(std::string message) { return ddb::Validation(std::move(message)); }

// An error naming the first member of `obj` not in `known`, or nullopt.
std::optional<base::Error> UnknownMember(const rapidjson::Value& obj, const std::string& where,
                                         std::initializer_list<std::string_view> known) {
  for (auto& m : obj.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == name;
    if (!ok) return Bad(where + ": unknown member '" + std::string(name) + "'");
  }
  return std::nullopt;
}

// The string member `name` of `obj`: "" if absent, an error if not a string.
base::Result<std::string> StringOf(const rapidjson::Value& obj, const char* name,
                                   const std::string& where) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return std::string();
  if (!it->value.IsString()) return Bad(where + "." + name + ": must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool IsKeyIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("_+=.@-").find(c) != std::string_view::npos;
}

// IAM user names: letters, digits and +=,.@_- ; 1 to 64 characters.
bool IsUserName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!IsKeyIdChar(c) && c != ',') return false;
  }
  return true;
}

base::Result<Grant> ParseGrant(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsObject()) return Bad(where + ": must be an object");
  if (auto bad = UnknownMember(v, where, {"actions", "tables"})) return *bad;
  Grant g;
  auto actions = v.FindMember("actions");
  if (actions == v.MemberEnd() || !actions->value.IsArray() || actions->value.Empty()) {
    return Bad(where + ".actions: must be a non-empty list of groups");
  }
  for (auto& a : actions->value.GetArray()) {
    std::string_view name = a.IsString() ? std::string_view(a.GetString(), a.GetStringLength())
                                         : std::string_view("(not a string)");
    auto bits = ParseGroupName(name);
    if (!bits) {
      return Bad(where + ".actions: unknown group '" + std::string(name) +
                 "' (read, write, admin, streams, userpool-admin, *)");
    }
    g.groups |= *bits;
  }
  auto tables = v.FindMember("tables");
  if (tables == v.MemberEnd()) {
    g.patterns.push_back("*");
    return g;
  }
  if (!tables->value.IsArray() || tables->value.Empty()) {
    return Bad(where + ".tables: must be a non-empty list of table name patterns");
  }
  for (auto& t : tables->value.GetArray()) {
    if (!t.IsString() || t.GetStringLength() == 0) {
      return Bad(where + ".tables: every pattern must be a non-empty string");
    }
    g.patterns.emplace_back(t.GetString(), t.GetStringLength());
  }
  return g;
}

base::Result<AccessKey> ParseKey(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsObject()) return Bad(where + ": must be an object");
  if (auto bad =
          UnknownMember(v, where, {"access_key_id", "secret_access_key", "name", "permissions"})) {
    return *bad;
  }
  AccessKey key;
  ASSIGN_OR_RETURN(key.access_key_id, StringOf(v, "access_key_id", where));
  ASSIGN_OR_RETURN(key.secret_access_key, StringOf(v, "secret_access_key", where));
  ASSIGN_OR_RETURN(key.name, StringOf(v, "name", where));
  if (key.access_key_id.empty() || key.access_key_id.size() > 128) {
    return Bad(where + ".access_key_id: required, 1 to 128 characters");
  }
  for (char c : key.access_key_id) {
    if (!IsKeyIdChar(c)) {
      return Bad(where + ".access_key_id: only letters, digits and _+=.@- are allowed");
    }
  }
  if (key.secret_access_key.empty()) return Bad(where + ".secret_access_key: required");
  if (!IsUserName(key.name)) {
    return Bad(where + ".name: required, 1 to 64 letters, digits or +=,.@_-");
  }
  auto perms = v.FindMember("permissions");
  if (perms == v.MemberEnd() || !perms->value.IsArray()) {
    return Bad(where + ".permissions: required, a list (empty: the key may do nothing)");
  }
  size_t i = 0;
  for (auto& p : perms->value.GetArray()) {
    ASSIGN_OR_RETURN(Grant g, ParseGrant(p, where + ".permissions[" + std::to_string(i++) + "]"));
    key.grants.push_back(std::move(g));
  }
  return key;
}

}  // namespace

const AccessKey* CredentialsFile::Find(std::string_view access_key_id) const {
  for (const AccessKey& k : keys) {
    if (k.access_key_id == access_key_id) return &k;
  }
  return nullptr;
}

std::string CredentialsFile::PrincipalArn(const AccessKey& key) const {
  return "arn:aws:iam::" + account_id + ":user/" + key.name;
}

base::Result<CredentialsFile> ParseCredentialsFile(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return Bad("not valid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
               rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Bad("the file must hold a JSON object");
  if (auto bad = UnknownMember(doc, "the file", {"account_id", "keys"})) return *bad;
  CredentialsFile out;
  ASSIGN_OR_RETURN(std::string account, StringOf(doc, "account_id", "the file"));
  if (!account.empty()) {
    if (account.size() != 12 || account.find_first_not_of("0123456789") != std::string::npos) {
      return Bad("account_id: must be 12 digits");
    }
    out.account_id = account;
  }
  auto keys = doc.FindMember("keys");
  if (keys == doc.MemberEnd() || !keys->value.IsArray() || keys->value.Empty()) {
    return Bad("keys: required, a non-empty list of access keys");
  }
  size_t i = 0;
  for (auto& k : keys->value.GetArray()) {
    const std::string where = "keys[" + std::to_string(i++) + "]";
    ASSIGN_OR_RETURN(AccessKey key, ParseKey(k, where));
    if (out.Find(key.access_key_id) != nullptr) {
      return Bad(where + ".access_key_id: '" + key.access_key_id + "' appears twice");
    }
    out.keys.push_back(std::move(key));
  }
  return out;
}

base::Result<CredentialsFile> LoadCredentialsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Bad(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = ParseCredentialsFile(text.str());
  if (!parsed.ok()) return Bad(path + ": " + parsed.error().message);
  return parsed;
}

}  // namespace server
