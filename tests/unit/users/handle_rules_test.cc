// Cruddur's handle rules in the users directory (users_directory.h), every
// case on SQLite and on PostgreSQL: handles are unique and looked up
// regardless of case, an older table is migrated (or refused while its rows
// collide), and a deleted user's row is retired, never linked again.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "backends.h"
#include "cruddur/users/handle_key.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users::testing {
namespace {

class HandleRules : public UsersTest {
 protected:
  // Runs `sql` on the test's database behind the directory's back, as an
  // older version of Cruddur (or a person with psql) would.
  void Raw(const std::string& sql) {
    if (GetParam() == Backend::kSqlite) {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open((db_->dir() / "cruddur.sqlite3").c_str(), &db), SQLITE_OK);
      char* err = nullptr;
      const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      const std::string message = err ? err : "";
      sqlite3_free(err);
      sqlite3_close(db);
      ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << message;
      return;
    }
    PGconn* conn = PQconnectdb(db_->url().c_str());
    ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    PGresult* res = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    const std::string message = PQresultErrorMessage(res);
    PQclear(res);
    PQfinish(conn);
    ASSERT_TRUE(ok) << sql << ": " << message;
  }
};
USERS_INSTANTIATE(HandleRules);

TEST(HandleKey, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(HandleKey("Bayko_1-Z"), "bayko_1-z");
  EXPECT_EQ(HandleKey("\xc3\x89mile"), "\xc3\x89mile");  // "Émile": É stays
  EXPECT_TRUE(SameHandle("bayko", "BAYKO"));
  EXPECT_FALSE(SameHandle("bayko", "bayk0"));
}

TEST_P(HandleRules, ACaseTwinIsTaken) {
  Insert("bayko");
  auto r = dir->InsertUser(MakeUser("Bayko"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_EQ(r.error().message, "handle 'Bayko' is taken");
  auto again = dir->InsertUser(MakeUser("BAYKO", "sub-other"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kUserAlreadyExists);
}

TEST_P(HandleRules, OnlyAsciiLettersFoldOnBothBackends) {
  Insert("\xc3\xa9mile");  // émile
  Insert("\xc3\x89mile");  // Émile: another handle, on both backends alike
  auto found = dir->FindByHandle("\xc3\x89MILE");
  ASSERT_OK(found);
  EXPECT_EQ(found->handle, "\xc3\x89mile");
}

TEST_P(HandleRules, LookupsIgnoreCase) {
  const User bayko = Insert("bayko");
  const User londo = Insert("londo", "sub-londo");
  auto one = dir->FindByHandle("BayKo");
  ASSERT_OK(one);
  EXPECT_EQ(one->uuid, bayko.uuid);
  EXPECT_EQ(one->handle, "bayko");  // as written

  auto some = dir->FindByHandles(std::vector<std::string>{"Bayko", "bayko", "LONDO", "vir"});
  ASSERT_OK(some);
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].handle, "bayko");
  EXPECT_EQ((*some)[1].handle, "londo");

  auto pair = dir->FindMessageUsers("sub-londo", "BAYKO");
  ASSERT_OK(pair);
  EXPECT_EQ(pair->sender.uuid, londo.uuid);
  EXPECT_EQ(pair->receiver.uuid, bayko.uuid);
  auto self = dir->FindMessageUsers("sub-londo", "Londo");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, kSelfMessage);

  auto linked = dir->UpdateCognitoUserIdByHandle("BAYKO", "sub-bayko");
  ASSERT_OK(linked);
  EXPECT_EQ(*linked, 1);
  EXPECT_EQ(dir->FindByHandle("bayko")->cognito_user_id, "sub-bayko");
}

TEST_P(HandleRules, AnOlderTableIsMigrated) {
  Insert("bayko");
  Raw("DROP INDEX users_handle_lower_key");
  Insert("Londo");
  ASSERT_OK(dir->CreateSchema());
  auto twin = dir->InsertUser(MakeUser("londo"));
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.error().code, kUserAlreadyExists);
}

TEST_P(HandleRules, CollidingRowsRefuseTheMigrationSayingHowToFix) {
  Insert("bayko");
  Raw("DROP INDEX users_handle_lower_key");
  Raw("INSERT INTO users (uuid, display_name, handle, email, cognito_user_id) VALUES "
      "('00000000-0000-4000-8000-000000000001', 'Twin', 'Bayko', 'twin@example.com', 'MOCK')");
  auto st = dir->CreateSchema();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, kHandleCollision);
  EXPECT_CONTAINS(st.error().message, "'Bayko', 'bayko'");
  EXPECT_CONTAINS(st.error().message, "UPDATE users SET handle");
  EXPECT_EQ(st.error().message.find('\n'), std::string::npos);  // one line
  // Still refused at the next start; fixed once the rows are renamed.
  EXPECT_FALSE(dir->CreateSchema().ok());
  Raw("UPDATE users SET handle = 'bayko2' WHERE handle = 'Bayko'");
  ASSERT_OK(dir->CreateSchema());
  auto twin = dir->InsertUser(MakeUser("BAYKO2"));
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.error().code, kUserAlreadyExists);
}

TEST_P(HandleRules, ARetiredRowIsNeverLinkedAgain) {
  const User lennier = Insert("lennier", "sub-lennier");
  auto n = dir->RetireCognitoUser("sub-lennier");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1);
  auto row = dir->FindByUuid(lennier.uuid);
  ASSERT_OK(row);
  EXPECT_EQ(row->cognito_user_id, "deleted:sub-lennier");
  EXPECT_TRUE(IsRetiredCognitoUserId(row->cognito_user_id));
  EXPECT_EQ(row->handle, "lennier");

  // Nobody is the retired row: not the deleted sub, not its retired form.
  for (const char* id : {"sub-lennier", "deleted:sub-lennier"}) {
    auto uuid = dir->FindUuidByCognitoUserId(id);
    ASSERT_FALSE(uuid.ok()) << id;
    EXPECT_EQ(uuid.error().code, kUserNotFound) << id;
  }
  Insert("vir", "sub-vir");
  EXPECT_FALSE(dir->FindMessageUsers("deleted:sub-lennier", "vir").ok());

  // Never linked to a new sub, nor unlinked, by handle (any case) or e-mail.
  for (const char* id : {"sub-new", "MOCK"}) {
    auto by_handle = dir->UpdateCognitoUserIdByHandle("Lennier", id);
    ASSERT_FALSE(by_handle.ok()) << id;
    EXPECT_EQ(by_handle.error().code, kUserAlreadyExists) << id;
    EXPECT_CONTAINS(by_handle.error().message, "stays reserved");
    auto by_email = dir->UpdateCognitoUserIdByEmail("lennier@example.com", id);
    ASSERT_FALSE(by_email.ok()) << id;
    EXPECT_EQ(by_email.error().code, kUserAlreadyExists) << id;
  }
  auto retired_id = dir->UpdateCognitoUserIdByHandle("vir", "deleted:sub-lennier");
  ASSERT_FALSE(retired_id.ok());
  EXPECT_EQ(retired_id.error().code, kInvalidUserInput);

  // The handle stays taken, in any case.
  auto twin = dir->InsertUser(MakeUser("LENNIER", "sub-new"));
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.error().code, kUserAlreadyExists);
  EXPECT_EQ(dir->FindByUuid(lennier.uuid)->cognito_user_id, "deleted:sub-lennier");

  // Retiring again finds nobody; the placeholder is not an id.
  auto again = dir->RetireCognitoUser("sub-lennier");
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
  auto mock = dir->RetireCognitoUser("MOCK");
  ASSERT_FALSE(mock.ok());
  EXPECT_EQ(mock.error().code, kInvalidUserInput);
}

TEST_P(HandleRules, ALinkedRowIsNotMovedToAnotherCognitoUser) {
  Insert("londo", "sub-1");
  auto moved = dir->UpdateCognitoUserIdByHandle("londo", "sub-2");
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, kUserAlreadyExists);
  EXPECT_CONTAINS(moved.error().message, "linked to another Cognito user");
  EXPECT_EQ(dir->FindByHandle("londo")->cognito_user_id, "sub-1");
  // The same sub again is harmless; an explicit unlink frees the row.
  ASSERT_OK(dir->UpdateCognitoUserIdByHandle("londo", "sub-1"));
  ASSERT_OK(dir->UpdateCognitoUserIdByHandle("londo", "MOCK"));
  ASSERT_OK(dir->UpdateCognitoUserIdByHandle("londo", "sub-2"));
}

}  // namespace
}  // namespace cruddur::users::testing
