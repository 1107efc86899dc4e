// Test support for the API: the real stack in this process.
//
//   ddb::Engine (in memory) -> aws::EngineTransport (behind a switch that
//   can make DynamoDB "unreachable") -> aws::AwsJsonClient -> a fresh
//   messages table -> messaging::MessageStore;
//   users::OpenUsersDirectory("sqlite::memory:") with the seed's users, three
//   of them linked to Cognito subs (behind a switch that can make the
//   database "unavailable");
//   auth::TokenVerifier over a JWKS of a test RSA key (test_signer.h), whose
//   fetch can be made to fail;
//   api::ApiHandler over all of them, its access log captured.
//
// Requests go to ApiHandler::Serve directly.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../auth/test_signer.h"
#include "aws/client.h"
#include "aws/client_error.h"
#include "aws/engine/engine_transport.h"
#include "cruddur/api/api_handler.h"
#include "cruddur/auth/token_verifier.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/users/users_directory.h"
#include "ddb/engine/engine.h"

namespace cruddur::api::testing {

inline constexpr char kRegion[] = "us-east-1";
inline constexpr char kPool[] = "us-east-1_ApiTests1";
inline constexpr char kClient[] = "apitestsclient0000000000";
inline constexpr char kKid[] = "api-test-kid";

// Cognito subs of the seed users the fixture links (altbrown stays unlinked).
inline constexpr char kAndrewSub[] = "a0000000-0000-4000-8000-000000000001";
inline constexpr char kBaykoSub[] = "b0000000-0000-4000-8000-000000000002";
inline constexpr char kLondoSub[] = "c0000000-0000-4000-8000-000000000003";
// A valid token's sub that has no row in the directory.
inline constexpr char kStrangerSub[] = "d0000000-0000-4000-8000-000000000004";

// Seed uuids (users/seed_users.cc).
inline constexpr char kAndrewUuid[] = "5f101db6-e718-4f12-9df8-1a953569f43d";
inline constexpr char kBaykoUuid[] = "abe2dd16-c436-4765-8d96-3d30b1495473";

// One engine and one key for the whole binary (RSA key generation is slow).
struct Shared {
  std::unique_ptr<ddb::Engine> engine;
  std::unique_ptr<auth::testing::TestRsaKey> key;
};

inline Shared*& SharedState() {
  static Shared* shared = nullptr;
  return shared;
}

class SharedEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto* shared = new Shared;
    ddb::EngineOptions options;
    options.store.in_memory = true;
    options.store.sync = false;
    options.throttling = false;
    auto engine = ddb::Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    shared->engine = std::move(engine).value();
    shared->key = std::make_unique<auth::testing::TestRsaKey>();
    SharedState() = shared;
  }
  void TearDown() override {
    delete SharedState();
    SharedState() = nullptr;
  }
};

// Registered once for the binary, whichever test files include this header.
inline ::testing::Environment* const kSharedEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedEnvironment);

// EngineTransport that answers ConnectionError while `down` is set.
class SwitchableTransport : public aws::JsonTransport {
 public:
  SwitchableTransport(ddb::Engine* engine, std::atomic<bool>* down) : inner_(engine), down_(down) {}
  const aws::AwsService& service() const override { return inner_.service(); }
  base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                      std::chrono::milliseconds timeout) override {
    if (down_->load()) {
      return aws::ClientError(aws::ClientErrorCode::kConnection,
                              "Could not connect to the endpoint URL");
    }
    return inner_.RoundTrip(operation, body, timeout);
  }

 private:
  aws::EngineTransport inner_;
  std::atomic<bool>* down_;
};

// A UsersDirectory that forwards to a real one, or answers
// kDatabaseUnavailable to every lookup while `down` is set.
class SwitchableUsers : public users::UsersDirectory {
 public:
  SwitchableUsers(users::UsersDirectory* inner, std::atomic<bool>* down)
      : inner_(inner), down_(down) {}

  users::DatabaseInfo Describe() const override { return inner_->Describe(); }
  base::Status CreateSchema() override { return inner_->CreateSchema(); }
  base::Status DropSchema() override { return inner_->DropSchema(); }
  base::Result<users::User> InsertUser(const users::NewUser& user) override {
    return inner_->InsertUser(user);
  }
  base::Result<int> SeedUsers() override { return inner_->SeedUsers(); }
  base::Result<std::string> FindUuidByCognitoUserId(std::string_view id) override {
    if (down_->load()) return Down();
    return inner_->FindUuidByCognitoUserId(id);
  }
  base::Result<users::User> FindByHandle(std::string_view handle) override {
    if (down_->load()) return Down();
    return inner_->FindByHandle(handle);
  }
  base::Result<std::vector<users::User>> FindByHandles(
      std::span<const std::string> handles) override {
    if (down_->load()) return Down();
    return inner_->FindByHandles(handles);
  }
  base::Result<users::User> FindByUuid(std::string_view uuid) override {
    if (down_->load()) return Down();
    return inner_->FindByUuid(uuid);
  }
  base::Result<users::MessageUsers> FindMessageUsers(std::string_view sender,
                                                     std::string_view receiver) override {
    if (down_->load()) return Down();
    return inner_->FindMessageUsers(sender, receiver);
  }
  base::Result<int64_t> UpdateCognitoUserIdByHandle(std::string_view handle,
                                                    std::string_view id) override {
    return inner_->UpdateCognitoUserIdByHandle(handle, id);
  }
  base::Result<int64_t> UpdateCognitoUserIdByEmail(std::string_view email,
                                                   std::string_view id) override {
    return inner_->UpdateCognitoUserIdByEmail(email, id);
  }
  base::Result<std::vector<users::Session>> ListSessions() override {
    return inner_->ListSessions();
  }

 private:
  static base::Error Down() {
    return base::Error{users::kDatabaseUnavailable, "could not connect"};
  }
  users::UsersDirectory* inner_;
  std::atomic<bool>* down_;
};

// Claims of a Cognito access token, good by default.
struct TokenClaims {
  std::string sub = kAndrewSub;
  std::string username = "andrewbrown";
  std::string iss = auth::CognitoIssuer(kRegion, kPool);
  std::string token_use = "access";
  std::string client_id = kClient;
  int64_t exp = 0;  // 0: an hour from now

  std::string Json() const {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const int64_t expires = exp != 0 ? exp : now + 3600;
    return R"({"sub":")" + sub + R"(","iss":")" + iss + R"(","client_id":")" + client_id +
           R"(","token_use":")" + token_use + R"(","scope":"aws.cognito.signin.user.admin",)" +
           R"("auth_time":)" + std::to_string(now - 60) + R"(,"exp":)" + std::to_string(expires) +
           R"(,"iat":)" + std::to_string(now - 60) + R"(,"jti":"j1","username":")" + username +
           R"("})";
  }
};

inline std::string MintToken(const TokenClaims& claims = {}) {
  return auth::testing::SignRs256Jwt(*SharedState()->key,
                                     R"({"kid":")" + std::string(kKid) + R"(","alg":"RS256"})",
                                     claims.Json());
}

inline std::string TokenFor(const char* sub) {
  TokenClaims claims;
  claims.sub = sub;
  return MintToken(claims);
}

// Request builders. `token` empty: no Authorization header.
inline net::HttpRequest MakeRequest(boost::beast::http::verb method, std::string_view target,
                                    std::string_view token = {}, std::string body = {}) {
  net::HttpRequest req{method, target, 11};
  req.set(boost::beast::http::field::host, "localhost:4567");
  if (!token.empty())
    req.set(boost::beast::http::field::authorization, "Bearer " + std::string(token));
  if (method == boost::beast::http::verb::post) {
    req.set(boost::beast::http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  return req;
}

inline net::HttpRequest Get(std::string_view target, std::string_view token = {}) {
  return MakeRequest(boost::beast::http::verb::get, target, token);
}

inline net::HttpRequest Post(std::string_view target, std::string body,
                             std::string_view token = {}) {
  return MakeRequest(boost::beast::http::verb::post, target, token, std::move(body));
}

inline rapidjson::Document ParseJson(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

inline std::string Header(const net::HttpResponse& res, std::string_view name) {
  auto it = res.find(name);
  return it == res.end() ? std::string() : std::string(it->value());
}

inline bool HasHeader(const net::HttpResponse& res, std::string_view name) {
  return res.find(name) != res.end();
}

// The "errors" array of an error body, e.g. {"message_blank", ...}.
inline std::vector<std::string> Errors(const net::HttpResponse& res) {
  std::vector<std::string> out;
  rapidjson::Document doc = ParseJson(res.body());
  if (!doc.IsObject() || !doc.HasMember("errors") || !doc["errors"].IsArray()) {
    ADD_FAILURE() << "no errors array in " << res.body();
    return out;
  }
  for (const auto& e : doc["errors"].GetArray()) out.emplace_back(e.GetString());
  return out;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Shared* shared = SharedState();
    ASSERT_NE(shared, nullptr);
    aws::ClientOptions client_options;
    client_options.sleep = [](std::chrono::milliseconds) {};  // retries without waiting
    client_ = std::make_unique<aws::AwsJsonClient>(
        std::make_unique<SwitchableTransport>(shared->engine.get(), &dynamodb_down_),
        client_options);
    table_ = UniqueTable();
    auto created = messaging::CreateMessagesTable(*client_, table_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    messaging::MessageStoreOptions store_options;
    store_options.table = table_;
    // A clock that moves 1 ms per message, so that order is by send order.
    store_options.clock = [this] { return kClockStart + 1000 * ++ticks_; };
    store_ = std::make_unique<messaging::MessageStore>(client_.get(), store_options);

    auto dir = users::OpenUsersDirectory("sqlite::memory:");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    real_users_ = std::move(dir).value();
    ASSERT_TRUE(real_users_->CreateSchema().ok());
    ASSERT_TRUE(real_users_->SeedUsers().ok());
    ASSERT_TRUE(real_users_->UpdateCognitoUserIdByHandle("andrewbrown", kAndrewSub).ok());
    ASSERT_TRUE(real_users_->UpdateCognitoUserIdByHandle("bayko", kBaykoSub).ok());
    ASSERT_TRUE(real_users_->UpdateCognitoUserIdByHandle("londo", kLondoSub).ok());
    users_ = std::make_unique<SwitchableUsers>(real_users_.get(), &users_down_);

    verifier_ = MakeVerifier();
    handler_ = MakeHandler(verifier_.get());
  }

  void TearDown() override {
    handler_.reset();
    dynamodb_down_ = false;
    if (client_ && !table_.empty()) (void)messaging::DeleteTable(*client_, table_);
  }

  static std::string UniqueTable() {
    static std::atomic<int> n{0};
    return "api-" + std::to_string(getpid()) + "-" + std::to_string(n++);
  }

  std::unique_ptr<auth::TokenVerifier> MakeVerifier() {
    auth::TokenVerifierConfig config;
    config.region = kRegion;
    config.user_pool_id = kPool;
    config.client_id = kClient;
    config.jwks_source = [this]() -> base::Result<std::string> {
      if (jwks_down_)
        return aws::ClientError(aws::ClientErrorCode::kConnection, "JWKS endpoint down");
      return R"({"keys":[)" + SharedState()->key->Jwk(kKid) + "]}";
    };
    return std::make_unique<auth::TokenVerifier>(std::move(config));
  }

  std::unique_ptr<ApiHandler> MakeHandler(const auth::TokenVerifier* verifier,
                                          unsigned workers = 2) {
    ApiOptions options;
    options.worker_threads = workers;
    options.access_log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    return std::make_unique<ApiHandler>(store_.get(), users_.get(), verifier, options);
  }

  std::vector<std::string> LogLines() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  net::HttpResponse Serve(const net::HttpRequest& req) { return handler_->Serve(req); }

  // POSTs a message as `sub`; expects 200 and returns the parsed body.
  rapidjson::Document Send(const char* sub, const std::string& body) {
    net::HttpResponse res = Serve(Post("/api/messages", body, TokenFor(sub)));
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return ParseJson(res.body());
  }

  // Starts (or reuses) `sub`'s conversation with `handle`; its uuid.
  std::string Start(const char* sub, const std::string& handle, const std::string& text) {
    rapidjson::Document doc =
        Send(sub, R"({"message":")" + text + R"(","handle":")" + handle + R"("})");
    return doc.IsObject() && doc.HasMember("message_group_uuid")
               ? doc["message_group_uuid"].GetString()
               : "";
  }

  static constexpr messaging::Micros kClockStart = 1'700'000'000'000'000;  // 2023-11-14

  std::atomic<bool> dynamodb_down_{false};
  std::atomic<bool> users_down_{false};
  std::atomic<bool> jwks_down_{false};
  std::atomic<int64_t> ticks_{0};
  std::unique_ptr<aws::AwsJsonClient> client_;
  std::string table_;
  std::unique_ptr<messaging::MessageStore> store_;
  std::unique_ptr<users::UsersDirectory> real_users_;
  std::unique_ptr<SwitchableUsers> users_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<ApiHandler> handler_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

}  // namespace cruddur::api::testing
