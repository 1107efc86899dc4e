// OpenUsersDirectory: which backend a connection URL selects, and the errors
// for URLs and databases it cannot use.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "backends.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users::testing {
namespace {

namespace fs = std::filesystem;

class OpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::path(::testing::TempDir()) / UniqueName("users_open_");
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }
  fs::path tmp_;
};

std::string JournalMode(const fs::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string mode;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return mode;
}

TEST_F(OpenTest, SqliteUrlFormsCreateTheFileAndItsDirectoryInWalMode) {
  for (std::string prefix : {"sqlite:", "sqlite://", ""}) {
    fs::path file = tmp_ / ("p" + std::to_string(prefix.size())) / "sub" / "users.db";
    auto d = OpenUsersDirectory(prefix + file.string());
    ASSERT_OK(d);
    EXPECT_EQ((*d)->Describe().backend, "sqlite");
    EXPECT_EQ((*d)->Describe().location, file.string());
    ASSERT_OK((*d)->CreateSchema());
    EXPECT_TRUE(fs::exists(file)) << prefix;
    EXPECT_EQ(JournalMode(file), "wal") << prefix;
  }
}

TEST_F(OpenTest, EmptyUrlIsTheDefaultFileUnderData) {
  const fs::path old = fs::current_path();
  fs::current_path(tmp_);
  auto d = OpenUsersDirectory("");
  fs::current_path(old);
  ASSERT_OK(d);
  EXPECT_EQ((*d)->Describe().location, "./data/cruddur.sqlite3");
  EXPECT_TRUE(fs::exists(tmp_ / "data" / "cruddur.sqlite3"));
}

TEST_F(OpenTest, InMemorySqlite) {
  auto d = OpenUsersDirectory("sqlite::memory:");
  ASSERT_OK(d);
  ASSERT_OK((*d)->CreateSchema());
  ASSERT_OK((*d)->SeedUsers());
  EXPECT_OK((*d)->FindByHandle("londo"));
}

TEST_F(OpenTest, NotASqliteFileIsUnavailable) {
  fs::path file = tmp_ / "garbage.sqlite3";
  std::ofstream(file) << std::string(4096, 'x');
  auto d = OpenUsersDirectory(file.string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, kDatabaseUnavailable);
  EXPECT_CONTAINS(d.error().message, file.string());
}

TEST_F(OpenTest, UnopenablePathIsUnavailable) {
  fs::path blocker = tmp_ / "file";
  std::ofstream(blocker) << "x";
  auto d = OpenUsersDirectory((blocker / "below" / "db.sqlite3").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, kDatabaseUnavailable);
}

TEST_F(OpenTest, UnknownSchemeIsInvalidAndDoesNotEchoThePassword) {
  auto d = OpenUsersDirectory("mysql://root:hunter2@localhost/cruddur");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, kInvalidUserInput);
  EXPECT_CONTAINS(d.error().message, "'mysql'");
  EXPECT_EQ(d.error().message.find("hunter2"), std::string::npos);
}

TEST_F(OpenTest, UnreachablePostgresIsUnavailableAndDoesNotEchoThePassword) {
  // Port 1 on loopback: nothing listens there, so the refusal is immediate.
  for (const char* url : {"postgresql://cruddur:hunter2@127.0.0.1:1/cruddur",
                          "postgres://cruddur:hunter2@127.0.0.1:1/cruddur"}) {
    auto d = OpenUsersDirectory(url);
    ASSERT_FALSE(d.ok()) << url;
    EXPECT_EQ(d.error().code, kDatabaseUnavailable) << url;
    EXPECT_CONTAINS(d.error().message, "cannot connect");
    EXPECT_EQ(d.error().message.find("hunter2"), std::string::npos) << d.error().message;
  }
}

TEST(ConnectionUrlFromEnv, ReadsConnectionUrl) {
  const char* saved = std::getenv("CONNECTION_URL");
  std::string keep = saved ? saved : "";
  setenv("CONNECTION_URL", "postgresql://u@h/db", 1);
  EXPECT_EQ(ConnectionUrlFromEnv(), "postgresql://u@h/db");
  unsetenv("CONNECTION_URL");
  EXPECT_EQ(ConnectionUrlFromEnv(), "");
  if (saved) setenv("CONNECTION_URL", keep.c_str(), 1);
}

// PostgreSQL-only behaviour, against the test server.
class PostgresOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresTestUrl() == nullptr) GTEST_SKIP() << kNoPostgresMessage;
  }
};

TEST_F(PostgresOpenTest, BothSchemesSelectPostgres) {
  std::string url = PostgresTestUrl();
  ASSERT_EQ(url.rfind("postgresql://", 0), 0u);
  for (const std::string& u : {url, "postgres://" + url.substr(13)}) {
    auto d = OpenUsersDirectory(u);
    ASSERT_OK(d);
    EXPECT_EQ((*d)->Describe().backend, "postgresql");
  }
}

TEST_F(PostgresOpenTest, WrongPasswordIsUnavailableAndNotEchoed) {
  std::string url = PostgresTestUrl();
  auto at = url.find('@');
  auto colon = url.rfind(':', at);
  ASSERT_NE(at, std::string::npos);
  std::string bad = url.substr(0, colon + 1) + "wrong-hunter2" + url.substr(at);
  auto d = OpenUsersDirectory(bad);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, kDatabaseUnavailable);
  EXPECT_EQ(d.error().message.find("wrong-hunter2"), std::string::npos) << d.error().message;
}

TEST_F(PostgresOpenTest, ReconnectsAfterTheServerDropsTheConnection) {
  TestDatabase db(Backend::kPostgres);
  ASSERT_TRUE(db.Prepare());
  auto d = OpenUsersDirectory(db.url());
  ASSERT_OK(d);
  ASSERT_OK((*d)->CreateSchema());
  ASSERT_OK((*d)->SeedUsers());
  auto sessions = (*d)->ListSessions();
  ASSERT_OK(sessions);
  int64_t pid = 0;
  for (const Session& s : *sessions) {
    if (s.is_self) pid = s.pid;
  }
  ASSERT_GT(pid, 0);
  // Terminate our backend from another connection, as a server restart would.
  PostgresAdmin("DO $$ BEGIN PERFORM pg_terminate_backend(" + std::to_string(pid) + "); END $$");
  // The call that finds the connection gone fails as unavailable; the next
  // one reconnects.
  auto first = (*d)->FindByHandle("londo");
  if (!first.ok()) {
    EXPECT_EQ(first.error().code, kDatabaseUnavailable) << first.error().message;
    auto second = (*d)->FindByHandle("londo");
    EXPECT_OK(second);
  }
}

}  // namespace
}  // namespace cruddur::users::testing
