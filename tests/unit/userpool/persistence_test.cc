// What survives a restart: with a data_dir, users, passwords, sessions and
// the signing key persist (tokens issued before a restart still work); the
// key file is private. Also EnsureUser (seeding) and Open's option checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using PersistenceTest = PoolTest;

TEST_F(PersistenceTest, UsersSessionsAndKeySurviveReopen) {
  TempDir dir;
  pool_ = Open(dir.path());
  ASSERT_NE(pool_, nullptr);
  const std::string jwks = pool_->JwksJson();
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  Register("bayko@exampro.co");
  auto bayko = SignIn("bayko@exampro.co");
  ASSERT_TRUE(WithToken("GlobalSignOut", bayko.access_token).ok());

  pool_.reset();
  pool_ = Open(dir.path());
  ASSERT_NE(pool_, nullptr);
  EXPECT_EQ(pool_->JwksJson(), jwks);
  auto u = Admin("AdminGetUser", "andrew@exampro.co");
  ASSERT_TRUE(u.ok()) << u.body;
  EXPECT_EQ(u.Str("Username"), sub);
  EXPECT_EQ(u.Str("UserStatus"), "CONFIRMED");
  EXPECT_EQ(AttrOf(u["UserAttributes"], "name"), "Andrew Brown");
  EXPECT_DOUBLE_EQ(u["UserCreateDate"].GetDouble(), static_cast<double>(kStart));
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
  EXPECT_EQ(PasswordAuth("andrew@exampro.co", "Wrong123!").Type(), "NotAuthorizedException");
  // Old tokens and refresh tokens still work; revocations still hold.
  EXPECT_TRUE(WithToken("GetUser", tokens.access_token).ok());
  EXPECT_TRUE(Refresh(tokens.refresh_token).ok());
  EXPECT_EQ(WithToken("GetUser", bayko.access_token).Message(), "Access Token has been revoked");
  EXPECT_EQ(Refresh(bayko.refresh_token).Message(), "Refresh Token has been revoked");
  EXPECT_EQ(SignUp("andrew@exampro.co").Type(), "UsernameExistsException");
}

TEST_F(PersistenceTest, KeyFileAndDatabaseArePrivate) {
  TempDir dir;
  pool_ = Open(dir.path());
  ASSERT_NE(pool_, nullptr);
  const std::string key_path = dir.path() + "/userpool-signing-key.pem";
  struct stat st {};
  ASSERT_EQ(stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(key_path);
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "-----BEGIN PRIVATE KEY-----");
  // The database holds password hashes: private too.
  ASSERT_EQ(stat((dir.path() + "/userpool.sqlite3").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary files left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_LE(files, 4);  // key, database, and SQLite's -wal / -shm
}

TEST_F(PersistenceTest, CorruptKeyFileIsAnError) {
  TempDir dir;
  std::ofstream(dir.path() + "/userpool-signing-key.pem") << "not a key\n";
  UserPoolOptions o;
  o.pool_id = kPool;
  o.client_id = kClient;
  o.data_dir = dir.path();
  auto pool = UserPool::Open(o);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.error().Name(), "InternalErrorException");
  EXPECT_NE(pool.error().message.find("userpool-signing-key.pem"), std::string::npos)
      << pool.error().message;
}

TEST_F(PersistenceTest, InMemoryPoolsHaveFreshKeys) {
  auto other = Open("");
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other->JwksJson(), pool_->JwksJson());
}

TEST_F(PersistenceTest, OptionsAreChecked) {
  auto open = [](auto mutate) {
    UserPoolOptions o;
    o.pool_id = kPool;
    o.client_id = kClient;
    mutate(o);
    return UserPool::Open(std::move(o));
  };
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.pool_id = ""; }).ok());
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.pool_id = "nounderscore"; }).ok());
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.client_id = ""; }).ok());
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.client_id = "has space"; }).ok());
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.scrypt_log2_n = 0; }).ok());
  EXPECT_FALSE(open([](UserPoolOptions& o) { o.scrypt_log2_n = 30; }).ok());
  EXPECT_FALSE(
      open([](UserPoolOptions& o) { o.access_token_validity = std::chrono::seconds(0); }).ok());
  auto ok = open([](UserPoolOptions& o) { o.scrypt_log2_n = 4; });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->pool_id(), kPool);
  EXPECT_EQ((*ok)->client_id(), kClient);
}

TEST_F(PersistenceTest, EnsureUserCreatesOnceConfirmed) {
  auto u = pool_->EnsureUser("andrew@exampro.co", kPassword,
                             {{"name", "Andrew Brown"}, {"preferred_username", "andrewbrown"}});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->status, "CONFIRMED");
  EXPECT_EQ(u->username, u->sub);
  EXPECT_EQ(u->Attribute("email"), "andrew@exampro.co");
  EXPECT_EQ(u->Attribute("email_verified"), "true");
  EXPECT_EQ(u->Attribute("preferred_username"), "andrewbrown");
  EXPECT_EQ(u->Attribute("missing"), "");
  ASSERT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(confirmed_[0].sub, u->sub);
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());

  // Again: the same user, unchanged, no callback, whatever the password.
  auto again = pool_->EnsureUser("Andrew@exampro.co", "Different1!", {{"name", "Other"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sub, u->sub);
  EXPECT_EQ(again->Attribute("name"), "Andrew Brown");
  EXPECT_EQ(confirmed_.size(), 1u);
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
}

TEST_F(PersistenceTest, EnsureUserErrors) {
  auto r = pool_->EnsureUser("notanemail", kPassword, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "InvalidParameterException");
  r = pool_->EnsureUser("a@exampro.co", "weak", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "InvalidPasswordException");
  r = pool_->EnsureUser("a@exampro.co", kPassword, {{"nonsense", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "InvalidParameterException");
  EXPECT_TRUE(confirmed_.empty());
}

}  // namespace
}  // namespace cruddur::userpool::testing
