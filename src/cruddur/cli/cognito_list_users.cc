#include "cruddur/cli/cognito_list_users.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <vector>

namespace cruddur::cli {

namespace {

// Epoch seconds as Python's str(datetime) with a UTC offset:
// "2026-11-25 16:08:29.123000+00:00".
std::string PythonDate(double epoch) {
  const double whole = std::floor(epoch);
  const std::time_t secs = static_cast<std::time_t>(whole);
  const int micros = static_cast<int>(std::lround((epoch - whole) * 1e6)) % 1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = date;
  if (micros != 0) {  // str(datetime) leaves out a zero fraction
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06d", micros);
    out += fraction;
  }
  return out + "+00:00";
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Writes `v` with object keys sorted (json.dumps(sort_keys=True)); the
// Date members become strings as json.dumps(default=str) makes them.
void WriteSorted(const rapidjson::Value& v, Writer& w, bool date = false) {
  if (v.IsObject()) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& m : v.GetObject()) members.push_back(&m);
    std::sort(members.begin(), members.end(), [](auto* a, auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    w.StartObject();
    for (const auto* m : members) {
      std::string_view name(m->name.GetString(), m->name.GetStringLength());
      w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      WriteSorted(m->value, w, name.size() >= 4 && name.substr(name.size() - 4) == "Date");
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) WriteSorted(e, w);
    w.EndArray();
  } else if (date && v.IsNumber()) {
    w.String(PythonDate(v.GetDouble()));
  } else {
    v.Accept(w);
  }
}

std::string Attribute(const rapidjson::Value& user, std::string_view name) {
  if (!user.IsObject() || !user.HasMember("Attributes") || !user["Attributes"].IsArray()) {
    return "";
  }
  for (const auto& a : user["Attributes"].GetArray()) {
    if (a.IsObject() && a.HasMember("Name") && a["Name"].IsString() && a.HasMember("Value") &&
        a["Value"].IsString() && name == a["Name"].GetString()) {
      return a["Value"].GetString();
    }
  }
  return "";
}

}  // namespace

base::Result<rapidjson::Document> FetchPoolUsers(aws::AwsJsonClient& cognito,
                                                 const std::string& pool_id) {
  rapidjson::Document all(rapidjson::kArrayType);
  std::string token;
  do {
    rapidjson::Document req(rapidjson::kObjectType);
    auto& al = req.GetAllocator();
    req.AddMember("UserPoolId", rapidjson::Value(pool_id.c_str(), al), al);
    rapidjson::Value attrs(rapidjson::kArrayType);
    attrs.PushBack("preferred_username", al).PushBack("sub", al);
    req.AddMember("AttributesToGet", attrs, al);
    if (!token.empty()) req.AddMember("PaginationToken", rapidjson::Value(token.c_str(), al), al);
    auto out = cognito.CallJson("ListUsers", req);
    if (!out.ok()) return std::move(out).error();
    token = out->HasMember("PaginationToken") && (*out)["PaginationToken"].IsString()
                ? (*out)["PaginationToken"].GetString()
                : "";
    if (out->HasMember("Users") && (*out)["Users"].IsArray()) {
      for (auto& u : (*out)["Users"].GetArray()) {
        all.PushBack(rapidjson::Value(u, all.GetAllocator()), all.GetAllocator());
      }
    }
  } while (!token.empty());
  return all;
}

std::map<std::string, std::string> HandleToSub(const rapidjson::Value& users) {
  std::map<std::string, std::string> by_handle;
  if (!users.IsArray()) return by_handle;
  for (const auto& u : users.GetArray()) {
    const std::string handle = Attribute(u, "preferred_username");
    const std::string sub = Attribute(u, "sub");
    if (!handle.empty() && !sub.empty()) by_handle[handle] = sub;
  }
  return by_handle;
}

base::Result<std::string> ListPoolUsers(aws::AwsJsonClient& cognito, const std::string& pool_id) {
  auto fetched = FetchPoolUsers(cognito, pool_id);
  if (!fetched.ok()) return std::move(fetched).error();
  const rapidjson::Document& all = *fetched;
  rapidjson::StringBuffer users_text;
  {
    Writer w(users_text);
    w.SetIndent(' ', 2);
    WriteSorted(all, w);
  }
  rapidjson::StringBuffer map_text;
  {
    Writer w(map_text);
    w.SetIndent(' ', 2);
    w.StartObject();
    for (const auto& [h, s] : HandleToSub(all)) {
      w.Key(h);
      w.String(s);
    }
    w.EndObject();
  }
  return std::string(users_text.GetString()) + "\n" + map_text.GetString() + "\n";
}

}  // namespace cruddur::cli
