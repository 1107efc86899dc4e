// The UsersDirectory contract (src/cruddur/users/users_directory.h), every
// case on SQLite and on PostgreSQL: the same calls must give the same answers.
#include "cruddur/users/users_directory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends.h"

namespace cruddur::users::testing {
namespace {

bool LooksLikeUuid(const std::string& s) { return Matches(s, kUuidShape); }
bool LooksLikeTimestamp(const std::string& s) { return Matches(s, kTimestampShape); }

using Schema = UsersTest;
USERS_INSTANTIATE(Schema);

TEST_P(Schema, CreateSchemaIsIdempotentAndKeepsData) {
  Insert("bayko");
  ASSERT_OK(dir->CreateSchema());
  EXPECT_OK(dir->FindByHandle("bayko"));
}

TEST_P(Schema, QueriesWithoutTheTableSayTheSchemaIsMissing) {
  ASSERT_OK(dir->DropSchema());
  auto r = dir->FindByHandle("bayko");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSchemaMissing);
  EXPECT_CONTAINS(r.error().message, "schema");
  auto ins = dir->InsertUser(MakeUser("bayko"));
  ASSERT_FALSE(ins.ok());
  EXPECT_EQ(ins.error().code, kSchemaMissing);
}

TEST_P(Schema, DropRemovesEverythingAndIsIdempotent) {
  Insert("bayko");
  ASSERT_OK(dir->DropSchema());
  ASSERT_OK(dir->DropSchema());
  ASSERT_OK(dir->CreateSchema());
  auto r = dir->FindByHandle("bayko");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserNotFound);
}

using Insertion = UsersTest;
USERS_INSTANTIATE(Insertion);

TEST_P(Insertion, ReturnsTheStoredRowWithUuidAndUtcTimestamp) {
  NewUser n = MakeUser("londo");
  n.display_name = "Londo Mollari";
  auto r = dir->InsertUser(n);
  ASSERT_OK(r);
  EXPECT_TRUE(LooksLikeUuid(r->uuid)) << r->uuid;
  EXPECT_EQ(r->uuid[14], '4') << "version 4";
  EXPECT_TRUE(LooksLikeTimestamp(r->created_at)) << r->created_at;
  EXPECT_EQ(r->display_name, "Londo Mollari");
  EXPECT_EQ(r->handle, "londo");
  EXPECT_EQ(r->email, "londo@example.com");
  EXPECT_EQ(r->cognito_user_id, "MOCK");

  auto found = dir->FindByHandle("londo");
  ASSERT_OK(found);
  EXPECT_EQ(found->uuid, r->uuid);
  EXPECT_EQ(found->created_at, r->created_at);
}

TEST_P(Insertion, UsesAGivenUuidInLowercase) {
  NewUser n = MakeUser("bayko");
  n.uuid = "ABE2DD16-C436-4765-8D96-3D30B1495473";
  auto r = dir->InsertUser(n);
  ASSERT_OK(r);
  EXPECT_EQ(r->uuid, "abe2dd16-c436-4765-8d96-3d30b1495473");
}

TEST_P(Insertion, TakenHandleIsAlreadyExistsAndChangesNothing) {
  User first = Insert("bayko");
  NewUser again = MakeUser("bayko", "sub-2");
  again.email = "other@example.com";
  auto r = dir->InsertUser(again);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_EQ(r.error().message, "handle 'bayko' is taken");
  auto found = dir->FindByHandle("bayko");
  ASSERT_OK(found);
  EXPECT_EQ(found->uuid, first.uuid);
  EXPECT_EQ(found->email, "bayko@example.com");
}

TEST_P(Insertion, TakenCognitoIdIsAlreadyExists) {
  Insert("bayko", "sub-1");
  auto r = dir->InsertUser(MakeUser("londo", "sub-1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_EQ(r.error().message, "another user already has Cognito id 'sub-1'");
}

TEST_P(Insertion, ThePlaceholderCognitoIdIsSharedByUnlinkedUsers) {
  Insert("bayko");
  Insert("londo");
  Insert("altbrown");
  auto all = dir->FindByHandles(std::vector<std::string>{"bayko", "londo", "altbrown"});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(Insertion, TakenUuidIsAlreadyExists) {
  User first = Insert("bayko");
  NewUser n = MakeUser("londo");
  n.uuid = first.uuid;
  auto r = dir->InsertUser(n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_CONTAINS(r.error().message, first.uuid);
}

TEST_P(Insertion, BadFieldsAreInvalidInputAndInsertNothing) {
  struct Case {
    std::string what;
    NewUser user;
    std::string message;
  };
  std::vector<Case> cases;
  auto with = [](auto edit) {
    NewUser u = MakeUser("bayko");
    edit(u);
    return u;
  };
  cases.push_back(
      {"empty handle", with([](NewUser& u) { u.handle = ""; }), "handle must not be empty"});
  cases.push_back({"empty display name", with([](NewUser& u) { u.display_name = ""; }),
                   "display_name must not be empty"});
  cases.push_back(
      {"empty email", with([](NewUser& u) { u.email = ""; }), "email must not be empty"});
  cases.push_back({"empty cognito id", with([](NewUser& u) { u.cognito_user_id = ""; }),
                   "cognito_user_id must not be empty"});
  cases.push_back({"NUL byte", with([](NewUser& u) { u.handle = std::string("ba\0yko", 6); }),
                   "handle contains a control character"});
  cases.push_back({"newline", with([](NewUser& u) { u.display_name = "a\nb"; }),
                   "display_name contains a control character"});
  cases.push_back({"invalid UTF-8", with([](NewUser& u) {
                     u.handle =
                         "ba\xff"
                         "yko";
                   }),
                   "handle is not valid UTF-8"});
  cases.push_back({"overlong UTF-8", with([](NewUser& u) { u.handle = "\xc0\xaf"; }),
                   "handle is not valid UTF-8"});
  cases.push_back({"surrogate", with([](NewUser& u) { u.email = "\xed\xa0\x80@x"; }),
                   "email is not valid UTF-8"});
  cases.push_back({"too long", with([](NewUser& u) { u.email = std::string(1025, 'e'); }),
                   "email is longer than 1024 bytes"});
  cases.push_back({"bad uuid", with([](NewUser& u) { u.uuid = "not-a-uuid"; }),
                   "not a uuid (expected 8-4-4-4-12 hexadecimal digits)"});
  for (const auto& c : cases) {
    auto r = dir->InsertUser(c.user);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().code, kInvalidUserInput) << c.what;
    EXPECT_EQ(r.error().message, c.message) << c.what;
  }
  auto found = dir->FindByHandles(std::vector<std::string>{"bayko"});
  ASSERT_OK(found);
  EXPECT_TRUE(found->empty());
}

TEST_P(Insertion, UnicodeRoundTripsAndLongestFieldIsAccepted) {
  NewUser n = MakeUser("g'kar");
  n.display_name = "G'Kar of Narn \xf0\x9f\x9a\x80 \xc3\xbcml\xc3\xa4ut";  // 🚀 ümläut
  n.email = std::string(1024 - 12, 'k') + "@example.com";
  auto r = dir->InsertUser(n);
  ASSERT_OK(r);
  auto found = dir->FindByHandle("g'kar");
  ASSERT_OK(found);
  EXPECT_EQ(found->display_name, n.display_name);
  EXPECT_EQ(found->email, n.email);
}

TEST_P(Insertion, HandlesAreUniqueRegardlessOfCase) {
  // Cruddur's rule (issue 11; more in handle_rules_test.cc).
  Insert("bayko");
  auto twin = dir->InsertUser(MakeUser("Bayko"));
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.error().code, kUserAlreadyExists);
  auto upper = dir->FindByHandle("BAYKO");
  ASSERT_OK(upper);
  EXPECT_EQ(upper->handle, "bayko");
}

TEST_P(Insertion, SqlInValuesIsJustText) {
  const std::string evil = "x'); DROP TABLE users; --";
  NewUser n = MakeUser(evil);
  ASSERT_OK(dir->InsertUser(n));
  auto found = dir->FindByHandle(evil);
  ASSERT_OK(found);
  EXPECT_EQ(found->handle, evil);
  Insert("bayko");  // the table is still there
  EXPECT_OK(dir->FindByHandle("bayko"));
}

using Seed = UsersTest;
USERS_INSTANTIATE(Seed);

TEST_P(Seed, InsertsTheSeedUsersOnceWithTheReferenceFields) {
  auto first = dir->SeedUsers();
  ASSERT_OK(first);
  EXPECT_EQ(*first, 4);
  auto again = dir->SeedUsers();
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);

  auto all =
      dir->FindByHandles(std::vector<std::string>{"andrewbrown", "bayko", "londo", "altbrown"});
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 4u);
  // Ordered by handle.
  const User& alt = (*all)[0];
  const User& andrew = (*all)[1];
  const User& bayko = (*all)[2];
  const User& londo = (*all)[3];
  EXPECT_EQ(alt.handle, "altbrown");
  EXPECT_EQ(alt.display_name, "Alt Brown");
  EXPECT_EQ(alt.email, "andrew@cloudprojectbootcamp.com");
  EXPECT_EQ(andrew.display_name, "Andrew Brown");
  EXPECT_EQ(andrew.email, "andrew@exampro.co");
  EXPECT_EQ(bayko.display_name, "Andrew Bayko");
  EXPECT_EQ(bayko.email, "bayko@exampro.co");
  EXPECT_EQ(londo.display_name, "Londo Mollari");
  EXPECT_EQ(londo.email, "lmollari@centari.com");
  for (const User& u : *all) {
    EXPECT_EQ(u.cognito_user_id, "MOCK") << u.handle;
    EXPECT_TRUE(LooksLikeTimestamp(u.created_at)) << u.created_at;
  }
  // The seed's uuids are fixed (users_directory.h says why).
  EXPECT_EQ(andrew.uuid, "5f101db6-e718-4f12-9df8-1a953569f43d");
  EXPECT_EQ(bayko.uuid, "abe2dd16-c436-4765-8d96-3d30b1495473");
}

TEST_P(Seed, LeavesUsersThatAlreadyExistAlone) {
  NewUser mine = MakeUser("bayko", "real-sub");
  mine.display_name = "Bayko, linked";
  ASSERT_OK(dir->InsertUser(mine));
  auto n = dir->SeedUsers();
  ASSERT_OK(n);
  EXPECT_EQ(*n, 3);
  auto bayko = dir->FindByHandle("bayko");
  ASSERT_OK(bayko);
  EXPECT_EQ(bayko->display_name, "Bayko, linked");
  EXPECT_EQ(bayko->cognito_user_id, "real-sub");
}

TEST_P(Seed, SeedUsersListIsTheReferenceFour) {
  std::vector<std::string> handles;
  for (const NewUser& u : SeedUsers()) handles.push_back(u.handle);
  EXPECT_EQ(handles, (std::vector<std::string>{"andrewbrown", "bayko", "londo", "altbrown"}));
}

using Lookup = UsersTest;
USERS_INSTANTIATE(Lookup);

TEST_P(Lookup, UuidFromCognitoUserId) {
  User bayko = Insert("bayko", "0b3c1d2e-sub");
  auto r = dir->FindUuidByCognitoUserId("0b3c1d2e-sub");
  ASSERT_OK(r);
  EXPECT_EQ(*r, bayko.uuid);

  auto missing = dir->FindUuidByCognitoUserId("nobody");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kUserNotFound);
  EXPECT_EQ(missing.error().message, "no user with Cognito id 'nobody'");
}

TEST_P(Lookup, ThePlaceholderCognitoIdFindsNobody) {
  ASSERT_OK(dir->SeedUsers());
  auto r = dir->FindUuidByCognitoUserId("MOCK");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserNotFound);
  EXPECT_CONTAINS(r.error().message, "placeholder");
}

TEST_P(Lookup, EmptyKeysAreInvalidInput) {
  auto a = dir->FindUuidByCognitoUserId("");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, kInvalidUserInput);
  auto b = dir->FindByHandle("");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, kInvalidUserInput);
  auto c = dir->FindByHandle("bad\xfe");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, kInvalidUserInput);
}

TEST_P(Lookup, ByHandle) {
  User londo = Insert("londo");
  auto r = dir->FindByHandle("londo");
  ASSERT_OK(r);
  EXPECT_EQ(r->uuid, londo.uuid);
  EXPECT_EQ(r->display_name, londo.display_name);
  auto missing = dir->FindByHandle("vir");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kUserNotFound);
  EXPECT_EQ(missing.error().message, "no user with handle 'vir'");
}

TEST_P(Lookup, ByHandlesSkipsUnknownCollapsesDuplicatesAndSorts) {
  Insert("londo");
  Insert("bayko");
  Insert("Zathras");
  auto r = dir->FindByHandles(
      std::vector<std::string>{"londo", "vir", "bayko", "londo", "Zathras", "zathras"});
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].handle, "Zathras");  // byte order on both backends
  EXPECT_EQ((*r)[1].handle, "bayko");
  EXPECT_EQ((*r)[2].handle, "londo");

  auto none = dir->FindByHandles({});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  auto bad = dir->FindByHandles(std::vector<std::string>{"londo", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kInvalidUserInput);
}

TEST_P(Lookup, ByManyHandlesQueriesInChunks) {
  std::vector<std::string> handles;
  for (int i = 0; i < 250; ++i) {
    handles.push_back("user" + std::to_string(i));
    if (i % 2 == 0) Insert(handles.back());
  }
  auto r = dir->FindByHandles(handles);
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 125u);
}

TEST_P(Lookup, ByUuid) {
  User londo = Insert("londo");
  auto r = dir->FindByUuid(londo.uuid);
  ASSERT_OK(r);
  EXPECT_EQ(r->handle, "londo");
  std::string upper = londo.uuid;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_OK(dir->FindByUuid(upper));

  auto missing = dir->FindByUuid("00000000-0000-4000-8000-000000000000");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kUserNotFound);

  for (const char* bad :
       {"", "londo", "00000000-0000-4000-8000-00000000000g", "00000000000040008000000000000000",
        "{00000000-0000-4000-8000-0000000000}"}) {
    auto r2 = dir->FindByUuid(bad);
    ASSERT_FALSE(r2.ok()) << bad;
    EXPECT_EQ(r2.error().code, kInvalidUserInput) << bad;
  }
}

using MessageUsersLookup = UsersTest;
USERS_INSTANTIATE(MessageUsersLookup);

TEST_P(MessageUsersLookup, FindsSenderByCognitoIdAndReceiverByHandle) {
  User andrew = Insert("andrewbrown", "sub-andrew");
  User bayko = Insert("bayko");  // an unlinked receiver is fine
  Insert("londo", "sub-londo");
  auto r = dir->FindMessageUsers("sub-andrew", "bayko");
  ASSERT_OK(r);
  EXPECT_EQ(r->sender.uuid, andrew.uuid);
  EXPECT_EQ(r->sender.handle, "andrewbrown");
  EXPECT_EQ(r->sender.display_name, andrew.display_name);
  EXPECT_EQ(r->receiver.uuid, bayko.uuid);
  EXPECT_EQ(r->receiver.handle, "bayko");
  EXPECT_EQ(r->receiver.display_name, bayko.display_name);
}

TEST_P(MessageUsersLookup, MissingSenderOrReceiverIsNotFoundAndSaysWhich) {
  Insert("andrewbrown", "sub-andrew");
  Insert("bayko");
  auto no_sender = dir->FindMessageUsers("sub-ghost", "bayko");
  ASSERT_FALSE(no_sender.ok());
  EXPECT_EQ(no_sender.error().code, kUserNotFound);
  EXPECT_EQ(no_sender.error().message, "no user with Cognito id 'sub-ghost'");

  auto no_receiver = dir->FindMessageUsers("sub-andrew", "vir");
  ASSERT_FALSE(no_receiver.ok());
  EXPECT_EQ(no_receiver.error().code, kUserNotFound);
  EXPECT_EQ(no_receiver.error().message, "no user with handle 'vir'");

  auto neither = dir->FindMessageUsers("sub-ghost", "vir");
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().code, kUserNotFound);
}

TEST_P(MessageUsersLookup, WritingToYourselfIsSelfMessage) {
  Insert("andrewbrown", "sub-andrew");
  auto r = dir->FindMessageUsers("sub-andrew", "andrewbrown");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSelfMessage);
}

TEST_P(MessageUsersLookup, AnUnlinkedSenderCannotSend) {
  ASSERT_OK(dir->SeedUsers());
  auto r = dir->FindMessageUsers("MOCK", "bayko");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserNotFound);
}

TEST_P(MessageUsersLookup, BadArgumentsAreInvalidInput) {
  auto a = dir->FindMessageUsers("", "bayko");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, kInvalidUserInput);
  auto b = dir->FindMessageUsers("sub", "");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, kInvalidUserInput);
}

using CognitoLink = UsersTest;
USERS_INSTANTIATE(CognitoLink);

TEST_P(CognitoLink, UpdateByHandleLinksTheUser) {
  ASSERT_OK(dir->SeedUsers());
  auto n = dir->UpdateCognitoUserIdByHandle("bayko", "sub-bayko");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1);
  auto uuid = dir->FindUuidByCognitoUserId("sub-bayko");
  ASSERT_OK(uuid);
  EXPECT_EQ(*uuid, "abe2dd16-c436-4765-8d96-3d30b1495473");
  // Running the tool again is harmless.
  auto again = dir->UpdateCognitoUserIdByHandle("bayko", "sub-bayko");
  ASSERT_OK(again);
  EXPECT_EQ(*again, 1);
}

TEST_P(CognitoLink, UpdateByEmailLinksTheUser) {
  ASSERT_OK(dir->SeedUsers());
  auto n = dir->UpdateCognitoUserIdByEmail("lmollari@centari.com", "sub-londo");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1);
  auto londo = dir->FindByHandle("londo");
  ASSERT_OK(londo);
  EXPECT_EQ(londo->cognito_user_id, "sub-londo");
}

TEST_P(CognitoLink, UnknownHandleOrEmailIsNotFound) {
  auto a = dir->UpdateCognitoUserIdByHandle("vir", "sub");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, kUserNotFound);
  EXPECT_EQ(a.error().message, "no user with handle 'vir'");
  auto b = dir->UpdateCognitoUserIdByEmail("vir@centari.com", "sub");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, kUserNotFound);
  EXPECT_EQ(b.error().message, "no user with email 'vir@centari.com'");
}

TEST_P(CognitoLink, AnIdAnotherUserHasIsAlreadyExists) {
  Insert("andrewbrown", "sub-andrew");
  Insert("bayko");
  auto r = dir->UpdateCognitoUserIdByHandle("bayko", "sub-andrew");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  EXPECT_EQ(r.error().message, "another user already has Cognito id 'sub-andrew'");
  auto bayko = dir->FindByHandle("bayko");
  ASSERT_OK(bayko);
  EXPECT_EQ(bayko->cognito_user_id, "MOCK");
}

TEST_P(CognitoLink, SharedEmailUpdatesAllOrNone) {
  // E-mail is not a unique key; one statement updates every match, and the
  // unique Cognito id makes linking two users to one id fail as a whole.
  NewUser a = MakeUser("andrewbrown");
  a.email = "andrew@exampro.co";
  NewUser b = MakeUser("altbrown");
  b.email = "andrew@exampro.co";
  ASSERT_OK(dir->InsertUser(a));
  ASSERT_OK(dir->InsertUser(b));
  auto r = dir->UpdateCognitoUserIdByEmail("andrew@exampro.co", "sub-andrew");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kUserAlreadyExists);
  for (const char* h : {"andrewbrown", "altbrown"}) {
    auto u = dir->FindByHandle(h);
    ASSERT_OK(u);
    EXPECT_EQ(u->cognito_user_id, "MOCK") << h;
  }
  // Back to the placeholder is allowed for any number of users.
  auto unlink = dir->UpdateCognitoUserIdByEmail("andrew@exampro.co", "MOCK");
  ASSERT_OK(unlink);
  EXPECT_EQ(*unlink, 2);
}

TEST_P(CognitoLink, BadArgumentsAreInvalidInput) {
  auto a = dir->UpdateCognitoUserIdByHandle("bayko", "");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, kInvalidUserInput);
  auto b = dir->UpdateCognitoUserIdByEmail("", "sub");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, kInvalidUserInput);
}

using Connections = UsersTest;
USERS_INSTANTIATE(Connections);

TEST_P(Connections, AnotherConnectionSeesCommittedWrites) {
  auto other = Open();
  ASSERT_NE(other, nullptr);
  User bayko = Insert("bayko");
  auto r = other->FindByHandle("bayko");
  ASSERT_OK(r);
  EXPECT_EQ(r->uuid, bayko.uuid);
  other.reset();
  dir.reset();
  // And after every connection closed.
  dir = Open();
  ASSERT_NE(dir, nullptr);
  EXPECT_OK(dir->FindByHandle("bayko"));
}

TEST_P(Connections, SessionsIncludeThisConnection) {
  auto other = Open();
  ASSERT_NE(other, nullptr);
  auto s = dir->ListSessions();
  ASSERT_OK(s);
  int self = 0;
  for (const Session& x : *s) self += x.is_self;
  EXPECT_EQ(self, 1);
  if (GetParam() == Backend::kPostgres) {
    // Both of our connections, named "cruddur", on the test database.
    int ours = 0;
    for (const Session& x : *s) {
      ours += x.application_name == "cruddur";
      EXPECT_FALSE(x.database.empty());
      EXPECT_GT(x.pid, 0);
    }
    EXPECT_GE(ours, 2);
  } else {
    ASSERT_EQ(s->size(), 1u);
    EXPECT_EQ((*s)[0].state, "open");
    EXPECT_CONTAINS((*s)[0].database, "cruddur.sqlite3");
  }
}

TEST_P(Connections, DescribeNamesTheBackendWithoutThePassword) {
  DatabaseInfo info = dir->Describe();
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(info.backend, "sqlite");
    EXPECT_CONTAINS(info.location, "cruddur.sqlite3");
  } else {
    EXPECT_EQ(info.backend, "postgresql");
    EXPECT_CONTAINS(info.location, "postgresql://");
    // The test server's URL carries a password; Describe must not.
    std::string url = PostgresTestUrl();
    auto at = url.find('@');
    auto colon = url.rfind(':', at);
    if (at != std::string::npos && colon != std::string::npos && colon > url.find("//") + 2) {
      std::string password = url.substr(colon + 1, at - colon - 1);
      EXPECT_EQ(info.location.find(password), std::string::npos) << info.location;
    }
  }
  EXPECT_FALSE(info.server_version.empty());
}

}  // namespace
}  // namespace cruddur::users::testing
