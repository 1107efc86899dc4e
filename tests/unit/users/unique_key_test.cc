// Which unique key a write hit is known from structured information, never
// from the database's message text: PostgreSQL names the constraint
// (SqlFailure::constraint, from PG_DIAG_CONSTRAINT_NAME); SQLite does not, and
// the directory asks the table which key is held. Both must give the same
// answers (the directory's messages).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "backends.h"
#include "cruddur/users/postgres_connection.h"
#include "cruddur/users/queries.h"
#include "cruddur/users/sqlite_connection.h"

namespace cruddur::users::testing {
namespace {

// PostgreSQL names every unique key of the schema, by the names queries.h
// gives them; SQLite names none.
class SqlFailureTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->Prepare()) GTEST_SKIP() << kNoPostgresMessage;
    auto conn = GetParam() == Backend::kSqlite
                    ? OpenSqliteConnection(db_->url().substr(std::string("sqlite:").size()), 1000)
                    : OpenPostgresConnection(db_->url(), 5);
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    conn_ = std::move(conn).value();
    const UsersQueries& q = QueriesFor(conn_->dialect());
    ASSERT_TRUE(conn_->ExecuteScript(q.create_schema).ok());
    ASSERT_TRUE(conn_->ExecuteScript(q.create_handle_index).ok());
    ASSERT_TRUE(Insert(kUuidA, "bayko", "sub-1", nullptr).ok());
  }

  base::Result<SqlRows> Insert(const std::string& uuid, const std::string& handle,
                               const std::string& sub, SqlFailure* failure) {
    const std::vector<std::string> params = {
        uuid, "Name", handle, handle + "@example.com", sub, "2024-01-01T00:00:00.000000+00:00"};
    return conn_->Execute(QueriesFor(conn_->dialect()).insert_user, params, failure);
  }

  // The constraint a violating insert reports; "" if the backend names none.
  std::string ConstraintOf(const std::string& uuid, const std::string& handle,
                           const std::string& sub) {
    SqlFailure failure;
    failure.constraint = "untouched";
    auto r = Insert(uuid, handle, sub, &failure);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return "";
    EXPECT_EQ(r.error().code, kUserAlreadyExists) << r.error().message;
    if (GetParam() == Backend::kSqlite) {
      EXPECT_EQ(failure.constraint, "untouched");  // left alone
      return "";
    }
    return failure.constraint;
  }

  static constexpr const char* kUuidA = "0a4f2a3c-1f0e-4c5e-9b7a-3d2c1b0a9f8e";
  static constexpr const char* kUuidB = "1b5e3b4d-2e1f-4d6f-8c8b-4e3d2c1b0a9f";

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<SqlConnection> conn_;
};
USERS_INSTANTIATE(SqlFailureTest);

TEST_P(SqlFailureTest, PostgresNamesTheViolatedKey) {
  const bool pg = GetParam() == Backend::kPostgres;
  EXPECT_EQ(ConstraintOf(kUuidB, "londo", "sub-1"), pg ? kCognitoUserIdKeyName : "");
  EXPECT_EQ(ConstraintOf(kUuidB, "bayko", "sub-2"), pg ? kHandleKeyName : "");
  EXPECT_EQ(ConstraintOf(kUuidB, "BAYKO", "sub-2"), pg ? kHandleLowerKeyName : "");
  EXPECT_EQ(ConstraintOf(kUuidA, "londo", "sub-2"), pg ? kUuidKeyName : "");
}

TEST_P(SqlFailureTest, OtherErrorsNameNoConstraint) {
  SqlFailure failure;
  auto r = conn_->Execute("SELEC 1", {}, &failure);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kDatabaseError);
  EXPECT_EQ(failure.constraint, "");
}

// A missing users table is kSchemaMissing on both backends. SQLite says so
// only in its message text, so its connection asks the schema instead; a
// statement that is wrong in another way stays a kDatabaseError.
TEST_P(SqlFailureTest, MissingUsersTableIsSchemaMissing) {
  auto wrong = conn_->Execute("SELECT no_such_column FROM users", {}, nullptr);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, kDatabaseError) << wrong.error().message;
  ASSERT_TRUE(conn_->ExecuteScript("DROP TABLE users").ok());
  auto r = conn_->Execute("SELECT * FROM users", {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSchemaMissing) << r.error().message;
}

// The directory's messages for each key, on both backends. A handle that
// differs only in case hits the case-insensitive index, which PostgreSQL
// names differently from the plain unique constraint.
using UniqueKeyMessages = UsersTest;
USERS_INSTANTIATE(UniqueKeyMessages);

TEST_P(UniqueKeyMessages, EachKeyIsNamed) {
  User first = Insert("bayko", "sub-1");
  auto expect = [&](NewUser user, const std::string& message) {
    auto r = dir->InsertUser(user);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kUserAlreadyExists);
    EXPECT_EQ(r.error().message, message);
  };
  expect(MakeUser("londo", "sub-1"), "another user already has Cognito id 'sub-1'");
  expect(MakeUser("bayko", "sub-2"), "handle 'bayko' is taken");
  expect(MakeUser("BayKo", "sub-2"), "handle 'BayKo' is taken");
  expect(MakeUser("BayKo"), "handle 'BayKo' is taken");  // the placeholder id is nobody's
  NewUser same_uuid = MakeUser("londo", "sub-2");
  same_uuid.uuid = first.uuid;
  expect(same_uuid, "a user with uuid " + first.uuid + " already exists");
  // A handle and an id that look like the keys' names are only values.
  expect(MakeUser("cognito_user_id", "sub-1"), "another user already has Cognito id 'sub-1'");
}

TEST_P(UniqueKeyMessages, LinkingAnIdAnotherUserHasNamesTheId) {
  Insert("andrewbrown", "sub-andrew");
  Insert("handle");
  auto r = dir->UpdateCognitoUserIdByHandle("handle", "sub-andrew");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_EQ(r.error().message, "another user already has Cognito id 'sub-andrew'");
  auto by_email = dir->UpdateCognitoUserIdByEmail("handle@example.com", "sub-andrew");
  ASSERT_FALSE(by_email.ok());
  EXPECT_EQ(by_email.error().message, "another user already has Cognito id 'sub-andrew'");
}

}  // namespace
}  // namespace cruddur::users::testing
