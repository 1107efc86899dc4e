// The first-start seed and the pool <-> directory link, on the real parts:
// an in-memory engine behind aws::EngineTransport, an in-memory SQLite users
// directory and an in-memory user pool.
#include "cruddur/serve/local_seed.h"

#include <gtest/gtest.h>

#include "aws/engine/engine_transport.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/serve/directory_link.h"
#include "ddb/engine/engine.h"

namespace cruddur::serve {
namespace {

constexpr const char* kTable = "cruddur-messages";
constexpr const char* kSeedGroup = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399";

class LocalSeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ddb::EngineOptions eo;
    eo.store.in_memory = true;
    eo.store.sync = false;
    eo.throttling = false;
    auto engine = ddb::Engine::Open(eo);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = std::move(engine).value();
    client_ =
        std::make_unique<aws::AwsJsonClient>(std::make_unique<aws::EngineTransport>(engine_.get()));
    auto dir = users::OpenUsersDirectory("sqlite::memory:");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    directory_ = std::move(dir).value();
    userpool::UserPoolOptions po;
    po.pool_id = "us-east-1_cruddur";
    po.client_id = "cruddurlocalclient";
    po.scrypt_log2_n = 10;
    auto pool = userpool::UserPool::Open(std::move(po));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
  }
  void TearDown() override { engine_->Close(); }

  std::unique_ptr<ddb::Engine> engine_;
  std::unique_ptr<aws::AwsJsonClient> client_;
  std::unique_ptr<users::UsersDirectory> directory_;
  std::unique_ptr<userpool::UserPool> pool_;
};

TEST_F(LocalSeedTest, FirstStartSeedsEverythingAndLinksThePoolUsers) {
  auto s = SeedLocalStack(*client_, kTable, *directory_, pool_.get());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->table_created);
  EXPECT_GT(s->messages_written, 20);
  EXPECT_EQ(s->users_inserted, 4);
  EXPECT_EQ(s->pool_users, 4);

  // Each seed user can sign in with the dev password, and their token's sub
  // is their directory row's cognito_user_id.
  for (const auto& seed : users::SeedUsers()) {
    auto out = pool_->Call(
        "InitiateAuth",
        std::string(
            R"({"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"cruddurlocalclient","AuthParameters":{"USERNAME":")") +
            seed.email + R"(","PASSWORD":")" + kDevPassword + R"("}})");
    EXPECT_EQ(out.status, 200u) << seed.email << ": " << out.body;
    auto row = directory_->FindByHandle(seed.handle);
    ASSERT_TRUE(row.ok());
    EXPECT_NE(row->cognito_user_id, users::kUnlinkedCognitoUserId) << seed.handle;
    auto uuid = directory_->FindUuidByCognitoUserId(row->cognito_user_id);
    ASSERT_TRUE(uuid.ok());
    EXPECT_EQ(*uuid, row->uuid);
  }

  messaging::MessageStoreOptions mo;
  mo.table = kTable;
  messaging::MessageStore store(client_.get(), mo);
  auto page = store.ListMessages(kSeedGroup, 100);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(static_cast<int>(page->messages.size()), std::min(100, s->messages_written));
}

TEST_F(LocalSeedTest, SecondStartChangesNothing) {
  auto first = SeedLocalStack(*client_, kTable, *directory_, pool_.get());
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto andrew = directory_->FindByHandle("andrewbrown");
  ASSERT_TRUE(andrew.ok());
  auto second = SeedLocalStack(*client_, kTable, *directory_, pool_.get());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->table_created);
  EXPECT_EQ(second->messages_written, 0);
  EXPECT_EQ(second->users_inserted, 0);
  auto again = directory_->FindByHandle("andrewbrown");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cognito_user_id, andrew->cognito_user_id);
}

userpool::PoolUser NewPoolUser(std::string sub, std::string handle, std::string name = "") {
  userpool::PoolUser u;
  u.username = sub;
  u.sub = sub;
  u.status = "CONFIRMED";
  u.attributes = {{"sub", sub}, {"email", handle + "@example.com"}};
  if (!handle.empty()) u.attributes.push_back({"preferred_username", handle});
  if (!name.empty()) u.attributes.push_back({"name", name});
  return u;
}

TEST_F(LocalSeedTest, ConfirmedUserGetsANewDirectoryRow) {
  ASSERT_TRUE(directory_->CreateSchema().ok());
  auto u = NewPoolUser("11111111-1111-4111-8111-111111111111", "gkar", "G'Kar");
  ASSERT_TRUE(LinkConfirmedUser(*directory_, u).ok());
  auto row = directory_->FindByHandle("gkar");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->display_name, "G'Kar");
  EXPECT_EQ(row->email, "gkar@example.com");
  EXPECT_EQ(row->cognito_user_id, u.sub);
  // Idempotent.
  EXPECT_TRUE(LinkConfirmedUser(*directory_, u).ok());
}

TEST_F(LocalSeedTest, ConfirmedUserClaimsAnUnlinkedRowButNotAnotherUsersHandle) {
  ASSERT_TRUE(directory_->CreateSchema().ok());
  ASSERT_TRUE(directory_->SeedUsers().ok());
  auto londo = NewPoolUser("22222222-2222-4222-8222-222222222222", "londo");
  ASSERT_TRUE(LinkConfirmedUser(*directory_, londo).ok());
  EXPECT_EQ(directory_->FindByHandle("londo")->cognito_user_id, londo.sub);

  auto impostor = NewPoolUser("33333333-3333-4333-8333-333333333333", "londo");
  auto st = LinkConfirmedUser(*directory_, impostor);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, users::kUserAlreadyExists);
  EXPECT_EQ(directory_->FindByHandle("londo")->cognito_user_id, londo.sub);
}

TEST_F(LocalSeedTest, HandleFallsBackToTheEmailLocalPart) {
  ASSERT_TRUE(directory_->CreateSchema().ok());
  auto u = NewPoolUser("44444444-4444-4444-8444-444444444444", "");
  u.attributes = {{"sub", u.sub}, {"email", "vir@example.com"}};
  ASSERT_TRUE(LinkConfirmedUser(*directory_, u).ok());
  auto row = directory_->FindByHandle("vir");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->display_name, "vir");
}

TEST_F(LocalSeedTest, DeletedUserKeepsTheRowButLosesTheLink) {
  ASSERT_TRUE(directory_->CreateSchema().ok());
  auto u = NewPoolUser("55555555-5555-4555-8555-555555555555", "lennier", "Lennier");
  ASSERT_TRUE(LinkConfirmedUser(*directory_, u).ok());
  const std::string uuid = directory_->FindByHandle("lennier")->uuid;
  ASSERT_TRUE(UnlinkDeletedUser(*directory_, u).ok());
  auto row = directory_->FindByUuid(uuid);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->display_name, "Lennier");
  // Retired, not unlinked: the row is never linked to a later user.
  EXPECT_EQ(row->cognito_user_id, users::RetiredCognitoUserId(u.sub));
  EXPECT_FALSE(directory_->FindUuidByCognitoUserId(u.sub).ok());
  auto successor = NewPoolUser("77777777-7777-4777-8777-777777777777", "Lennier");
  EXPECT_FALSE(CheckHandleFree(*directory_, successor).ok());
  EXPECT_FALSE(LinkConfirmedUser(*directory_, successor).ok());
  EXPECT_EQ(directory_->FindByUuid(uuid)->cognito_user_id, users::RetiredCognitoUserId(u.sub));
  // A user the directory never knew: nothing to do.
  EXPECT_TRUE(
      UnlinkDeletedUser(*directory_, NewPoolUser("66666666-6666-4666-8666-666666666666", "nobody"))
          .ok());
}

}  // namespace
}  // namespace cruddur::serve
