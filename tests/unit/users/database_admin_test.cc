// database_admin.h: which backend a URL names, the database a PostgreSQL URL
// names, creating and dropping it, and removing a SQLite database's files.
#include "cruddur/users/database_admin.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "backends.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users::testing {
namespace {

namespace fs = std::filesystem;

TEST(DatabaseAdminTest, PostgresUrlsAreRecognizedByScheme) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://u:p@localhost:5432/cruddur"));
  EXPECT_TRUE(IsPostgresUrl("postgres://localhost/cruddur"));
  EXPECT_FALSE(IsPostgresUrl(""));
  EXPECT_FALSE(IsPostgresUrl("sqlite:./data/x.sqlite3"));
  EXPECT_FALSE(IsPostgresUrl("./postgresql://x"));
  EXPECT_FALSE(IsPostgresUrl("mysql://localhost/cruddur"));
}

TEST(DatabaseAdminTest, DatabaseNameIsThePathWithoutTheQuery) {
  EXPECT_EQ(PostgresDatabaseName("postgresql://u:p@localhost:5432/cruddur"), "cruddur");
  EXPECT_EQ(PostgresDatabaseName("postgresql://localhost/cruddur?sslmode=disable"), "cruddur");
  EXPECT_EQ(PostgresDatabaseName("postgresql://localhost"), "postgres");
  EXPECT_EQ(PostgresDatabaseName("postgresql://localhost/"), "postgres");
  EXPECT_EQ(PostgresDatabaseName("postgresql://localhost/?connect_timeout=2"), "postgres");
}

TEST(DatabaseAdminTest, SqlitePathOfEachUrlForm) {
  EXPECT_EQ(SqlitePath(""), std::string(kDefaultSqlitePath));
  EXPECT_EQ(SqlitePath("sqlite:///tmp/a.sqlite3"), "/tmp/a.sqlite3");
  EXPECT_EQ(SqlitePath("sqlite://rel/a.sqlite3"), "rel/a.sqlite3");
  EXPECT_EQ(SqlitePath("sqlite:rel/a.sqlite3"), "rel/a.sqlite3");
  EXPECT_EQ(SqlitePath("data/b.sqlite3"), "data/b.sqlite3");
}

TEST(DatabaseAdminTest, RemoveSqliteDatabaseRemovesTheFileAndItsCompanions) {
  const fs::path dir = fs::path(::testing::TempDir()) / UniqueName("users_admin_");
  fs::create_directories(dir);
  const std::string db = (dir / "x.sqlite3").string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::ofstream(db + suffix) << "x";
  std::ofstream(dir / "other") << "x";
  ASSERT_TRUE(RemoveSqliteDatabase(db).ok());
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) EXPECT_FALSE(fs::exists(db + suffix));
  EXPECT_TRUE(fs::exists(dir / "other"));
  // Nothing left to remove is not an error.
  EXPECT_TRUE(RemoveSqliteDatabase(db).ok());
  fs::remove_all(dir);
}

TEST(DatabaseAdminTest, RemoveSqliteDatabaseNamesTheFileItCannotRemove) {
  const fs::path dir = fs::path(::testing::TempDir()) / UniqueName("users_admin_");
  // A non-empty directory where the database file should be: remove() fails.
  fs::create_directories(dir / "x.sqlite3" / "inside");
  auto s = RemoveSqliteDatabase((dir / "x.sqlite3").string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kDatabaseError);
  EXPECT_EQ(s.error().message.rfind("cannot remove " + (dir / "x.sqlite3").string() + ": ", 0), 0u)
      << s.error().message;
  fs::remove_all(dir);
}

TEST(DatabaseAdminTest, NotAPostgresUrlIsInvalidInput) {
  auto r = CreatePostgresDatabase("sqlite:x.sqlite3");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kInvalidUserInput);
  r = DropPostgresDatabase("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kInvalidUserInput);
}

TEST(DatabaseAdminTest, UnreachableServerIsUnavailableOnOneLine) {
  // Port 1 on the loopback: nobody listens, the connection is refused at once.
  const char* url = "postgresql://cruddur@127.0.0.1:1/x?connect_timeout=5";
  auto check = [](const base::Result<std::string>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kDatabaseUnavailable);
    EXPECT_EQ(r.error().message.rfind("cannot connect to PostgreSQL: ", 0), 0u)
        << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.back(), ' ');
  };
  check(CreatePostgresDatabase(url));
  check(DropPostgresDatabase(url));
}

// The test server's URL naming database `name` instead of its own.
std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t slash = url.find('/', url.find("://") + 3);
  if (slash == std::string::npos) return url + "/" + name;
  const size_t q = url.find('?', slash);
  return url.substr(0, slash) + "/" + name + (q == std::string::npos ? "" : url.substr(q));
}

TEST(DatabaseAdminTest, CreateAndDropOnPostgres) {
  const char* base = PostgresTestUrl();
  if (!base) GTEST_SKIP() << kNoPostgresMessage;
  const std::string name = UniqueName("cruddur_admin_");
  const std::string url = WithDatabase(base, name);

  auto created = CreatePostgresDatabase(url);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(*created, name);
  auto dir = OpenUsersDirectory(url);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  dir->reset();  // a connected database cannot be dropped

  auto again = CreatePostgresDatabase(url);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kDatabaseError);
  EXPECT_EQ(again.error().message.rfind("PostgreSQL: ", 0), 0u) << again.error().message;
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);

  auto dropped = DropPostgresDatabase(url);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_EQ(*dropped, name);
  // IF EXISTS: dropping a missing database succeeds.
  dropped = DropPostgresDatabase(url);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_FALSE(OpenUsersDirectory(url).ok());
}

}  // namespace
}  // namespace cruddur::users::testing
