// A user pool for tests: in memory (or in a temp dir), cheap scrypt, a clock
// the test moves, the callbacks recorded, and helpers that speak the JSON API
// the way boto3 does.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cruddur/userpool/user_pool.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::userpool::testing {

inline constexpr char kPool[] = "us-east-1_cruddur";
inline constexpr char kClient[] = "cruddurlocalclient";
inline constexpr char kPassword[] = "Cruddur1!";
inline constexpr int64_t kStart = 1'700'000'000;

// A JSON string literal for `s`.
inline std::string S(std::string_view s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buf.GetString(), buf.GetSize());
}

// A JSON object from members whose values are JSON text already.
inline std::string J(std::initializer_list<std::pair<std::string_view, std::string>> members) {
  std::string out = "{";
  for (const auto& [k, v] : members) {
    if (out.size() > 1) out += ",";
    out += S(k) + ":" + v;
  }
  return out + "}";
}

// [{"Name":..,"Value":..}, ...]
inline std::string Attrs(std::initializer_list<std::pair<std::string_view, std::string_view>> a) {
  std::string out = "[";
  for (const auto& [n, v] : a) {
    if (out.size() > 1) out += ",";
    out += J({{"Name", S(n)}, {"Value", S(v)}});
  }
  return out + "]";
}

// A parsed reply.
struct Reply {
  unsigned status = 0;
  std::string body;
  std::shared_ptr<rapidjson::Document> doc = std::make_shared<rapidjson::Document>();

  bool ok() const { return status == 200; }
  const rapidjson::Value& operator[](const char* member) const { return (*doc)[member]; }
  bool Has(const char* member) const { return doc->IsObject() && doc->HasMember(member); }
  std::string Str(const char* member) const {
    return Has(member) && (*doc)[member].IsString() ? (*doc)[member].GetString() : "";
  }
  std::string Type() const { return Str("__type"); }
  std::string Message() const { return Str("message"); }
};

// Attribute `name` of an AttributeListType array, or "<absent>".
inline std::string AttrOf(const rapidjson::Value& list, std::string_view name) {
  for (const auto& a : list.GetArray()) {
    if (a["Name"].GetString() == name) return a["Value"].GetString();
  }
  return "<absent>";
}

struct SignedIn {
  std::string access_token, id_token, refresh_token;
};

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override { pool_ = Open(""); }

  // A pool with the fixture's clock and recorders; data_dir "" = in memory.
  std::unique_ptr<UserPool> Open(const std::string& data_dir) {
    UserPoolOptions o;
    o.pool_id = kPool;
    o.client_id = kClient;
    o.data_dir = data_dir;
    o.scrypt_log2_n = 10;
    o.custom_attributes = custom_attributes_;
    o.clock = [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
    };
    o.on_confirmed = [this](const PoolUser& u) {
      std::lock_guard lock(mu_);
      confirmed_.push_back(u);
    };
    o.on_deleted = [this](const PoolUser& u) {
      std::lock_guard lock(mu_);
      deleted_.push_back(u);
    };
    o.deliver_code = [this](const PoolUser& u, std::string_view code) {
      std::lock_guard lock(mu_);
      codes_[u.Attribute("email")] = std::string(code);
    };
    auto pool = UserPool::Open(std::move(o));
    EXPECT_TRUE(pool.ok()) << (pool.ok() ? "" : pool.error().message);
    return pool.ok() ? std::move(pool).value() : nullptr;
  }

  void Advance(std::chrono::seconds s) { now_ += s.count(); }

  Reply Call(std::string_view op, std::string_view body) {
    auto r = pool_->Call(op, body);
    Reply reply;
    reply.status = r.status;
    reply.body = std::move(r.body);
    reply.doc->Parse(reply.body.c_str());
    EXPECT_FALSE(reply.doc->HasParseError()) << "not JSON: " << reply.body;
    EXPECT_TRUE(reply.doc->IsObject()) << reply.body;
    return reply;
  }

  std::string CodeFor(const std::string& email) {
    std::lock_guard lock(mu_);
    return codes_[email];
  }

  Reply SignUp(const std::string& email, const std::string& password = kPassword,
               const std::string& attrs = Attrs({{"name", "Andrew Brown"},
                                                 {"preferred_username", "andrewbrown"}})) {
    return Call("SignUp", J({{"ClientId", S(kClient)},
                             {"Username", S(email)},
                             {"Password", S(password)},
                             {"UserAttributes", attrs}}));
  }

  Reply Confirm(const std::string& username, const std::string& code) {
    return Call(
        "ConfirmSignUp",
        J({{"ClientId", S(kClient)}, {"Username", S(username)}, {"ConfirmationCode", S(code)}}));
  }

  // Signs up and confirms; returns the sub.
  std::string Register(const std::string& email, const std::string& password = kPassword) {
    auto r = SignUp(email, password);
    EXPECT_TRUE(r.ok()) << r.body;
    auto c = Confirm(email, CodeFor(email));
    EXPECT_TRUE(c.ok()) << c.body;
    return r.Str("UserSub");
  }

  Reply PasswordAuth(const std::string& username, const std::string& password) {
    return Call("InitiateAuth",
                J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
                   {"ClientId", S(kClient)},
                   {"AuthParameters", J({{"USERNAME", S(username)}, {"PASSWORD", S(password)}})}}));
  }

  Reply Refresh(const std::string& refresh_token) {
    return Call("InitiateAuth", J({{"AuthFlow", S("REFRESH_TOKEN_AUTH")},
                                   {"ClientId", S(kClient)},
                                   {"AuthParameters", J({{"REFRESH_TOKEN", S(refresh_token)}})}}));
  }

  SignedIn SignIn(const std::string& username, const std::string& password = kPassword) {
    auto r = PasswordAuth(username, password);
    EXPECT_TRUE(r.ok()) << r.body;
    SignedIn out;
    if (r.ok() && r.Has("AuthenticationResult")) {
      const auto& a = r["AuthenticationResult"];
      out.access_token = a["AccessToken"].GetString();
      out.id_token = a["IdToken"].GetString();
      out.refresh_token = a["RefreshToken"].GetString();
    }
    return out;
  }

  Reply WithToken(std::string_view op, const std::string& access_token) {
    return Call(op, J({{"AccessToken", S(access_token)}}));
  }

  Reply Admin(std::string_view op, const std::string& username,
              std::initializer_list<std::pair<std::string_view, std::string>> more = {}) {
    std::string body = J({{"UserPoolId", S(kPool)}, {"Username", S(username)}});
    for (const auto& [k, v] : more) {
      body.pop_back();
      body += "," + S(k) + ":" + v + "}";
    }
    return Call(op, body);
  }

  // Declared custom attributes of pools opened from now on.
  std::vector<std::string> custom_attributes_;
  std::atomic<int64_t> now_{kStart};
  std::unique_ptr<UserPool> pool_;
  std::mutex mu_;
  std::vector<PoolUser> confirmed_, deleted_;
  std::map<std::string, std::string> codes_;  // e-mail -> last delivered code
};

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    auto base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
      path_ = base / ("userpool-test-" + std::to_string(::getpid()) + "-" + std::to_string(i));
      if (std::filesystem::create_directory(path_)) break;
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace cruddur::userpool::testing
