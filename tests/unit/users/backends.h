// Test support: a fresh, empty UsersDirectory on each backend.
//
// SQLite: a new file under the test's temporary directory.
// PostgreSQL: the server named by CONNECTION_URL_TEST_PG (scripts/test.sh
// starts one with scripts/pg-test-server.sh); each test gets its own schema
// (set as the connection's search_path) so tests can run in parallel, and
// drops it afterwards. Without CONNECTION_URL_TEST_PG the PostgreSQL cases are
// skipped, saying so.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "cruddur/users/users_directory.h"

namespace cruddur::users::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

inline const char* PostgresTestUrl() {
  const char* url = std::getenv("CONNECTION_URL_TEST_PG");
  return url && *url ? url : nullptr;
}

inline constexpr const char* kNoPostgresMessage =
    "CONNECTION_URL_TEST_PG is not set: PostgreSQL case skipped (scripts/test.sh starts a "
    "server with scripts/pg-test-server.sh and sets it)";

// True if `s` has `pattern`'s shape: '#' is a decimal digit, 'x' a lowercase
// hex digit, anything else itself. (std::regex would do, but trips GCC 12's
// -Wmaybe-uninitialized under the sanitizer build.)
inline bool Matches(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i], p = pattern[i];
    const bool digit = c >= '0' && c <= '9';
    if (p == '#' ? !digit : p == 'x' ? !(digit || (c >= 'a' && c <= 'f')) : c != p) return false;
  }
  return true;
}
inline constexpr std::string_view kUuidShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
inline constexpr std::string_view kTimestampShape = "####-##-##T##:##:##.######+00:00";

// A unique name for this process and call: tests run in parallel processes.
inline std::string UniqueName(const char* prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::string(prefix) + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 100000);
}

// Runs one SQL command on the PostgreSQL test server; fails the test on error.
inline void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresTestUrl());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PQsetNoticeReceiver(
      conn, [](void*, const PGresult*) {}, nullptr);  // "drop cascades to ..."
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string err = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  ASSERT_TRUE(ok) << sql << ": " << err;
}

// A valid NewUser: display name and e-mail derived from the handle.
inline NewUser MakeUser(const std::string& handle, const std::string& cognito_user_id = "MOCK") {
  NewUser u;
  u.display_name = "Name of " + handle;
  u.handle = handle;
  u.email = handle + "@example.com";
  u.cognito_user_id = cognito_user_id;
  return u;
}

// A place for a test's database, removed afterwards.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {}
  ~TestDatabase() {
    if (!schema_.empty()) PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Prepares the place; returns false (after GTEST_SKIP) if the backend is
  // not available. Call from SetUp, then return if it is false.
  bool Prepare() {
    if (backend_ == Backend::kSqlite) {
      dir_ = std::filesystem::path(::testing::TempDir()) / UniqueName("users_");
      url_ = "sqlite:" + (dir_ / "cruddur.sqlite3").string();
      return true;
    }
    if (PostgresTestUrl() == nullptr) return false;
    schema_ = UniqueName("users_test_");
    PostgresAdmin("CREATE SCHEMA " + schema_);
    std::string base = PostgresTestUrl();
    url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema_;
    return true;
  }

  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Backend backend_;
  std::string url_;
  std::filesystem::path dir_;
  std::string schema_;
};

// Fixture: `dir` is an open directory with the schema created.
class UsersTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->Prepare()) GTEST_SKIP() << kNoPostgresMessage;
    dir = Open();
    ASSERT_NE(dir, nullptr);
    ASSERT_TRUE(dir->CreateSchema().ok());
  }
  void TearDown() override {
    dir.reset();
    db_.reset();
  }

  // Another connection to the same database.
  std::unique_ptr<UsersDirectory> Open() {
    auto d = OpenUsersDirectory(db_->url());
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? std::move(d).value() : nullptr;
  }

  User Insert(const std::string& handle, const std::string& cognito_user_id = "MOCK") {
    auto r = dir->InsertUser(MakeUser(handle, cognito_user_id));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : User{};
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<UsersDirectory> dir;
};

#define USERS_INSTANTIATE(Suite)                                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                  \
                           ::testing::Values(::cruddur::users::testing::Backend::kSqlite,    \
                                             ::cruddur::users::testing::Backend::kPostgres), \
                           ::cruddur::users::testing::BackendName)

}  // namespace cruddur::users::testing

// Prints the error of a failed Result/Status in assertions.
#define EXPECT_OK(expr)                                                           \
  do {                                                                            \
    auto&& _r = (expr);                                                           \
    EXPECT_TRUE(_r.ok()) << #expr << ": " << (_r.ok() ? "" : _r.error().message); \
  } while (0)
#define ASSERT_OK(expr)                                                           \
  do {                                                                            \
    auto&& _r = (expr);                                                           \
    ASSERT_TRUE(_r.ok()) << #expr << ": " << (_r.ok() ? "" : _r.error().message); \
  } while (0)
#define EXPECT_CONTAINS(haystack, needle)                          \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"
