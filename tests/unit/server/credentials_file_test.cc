// The credentials file's format and its errors (server/credentials_file.h).
#include "server/credentials_file.h"

#include <gtest/gtest.h>

namespace server {
namespace {

constexpr const char* kGood = R"({
  "account_id": "123456789012",
  "keys": [
    {"access_key_id": "AKIDREAD", "secret_access_key": "s1", "name": "cruddur-readonly",
     "permissions": [{"actions": ["read", "streams"], "tables": ["cruddur-*"]}]},
    {"access_key_id": "AKIDALL", "secret_access_key": "s2", "name": "admin",
     "permissions": [{"actions": ["*"]}]},
    {"access_key_id": "AKIDNONE", "secret_access_key": "s3", "name": "nobody", "permissions": []}
  ]
})";

TEST(CredentialsFile, ParsesKeysAndGrants) {
  auto parsed = ParseCredentialsFile(kGood);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const CredentialsFile& f = parsed.value();
  EXPECT_EQ(f.account_id, "123456789012");
  ASSERT_EQ(f.keys.size(), 3u);
  const AccessKey* read = f.Find("AKIDREAD");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->secret_access_key, "s1");
  EXPECT_EQ(f.PrincipalArn(*read), "arn:aws:iam::123456789012:user/cruddur-readonly");
  ASSERT_EQ(read->grants.size(), 1u);
  EXPECT_TRUE(Allows(read->grants, ActionGroup::kRead, "cruddur-messages"));
  EXPECT_TRUE(Allows(read->grants, ActionGroup::kStreams, "cruddur-messages"));
  EXPECT_FALSE(Allows(read->grants, ActionGroup::kWrite, "cruddur-messages"));
  EXPECT_FALSE(Allows(read->grants, ActionGroup::kRead, "other"));
  const AccessKey* all = f.Find("AKIDALL");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->grants[0].patterns, std::vector<std::string>{"*"});  // "tables" defaults to *
  EXPECT_TRUE(Allows(all->grants, ActionGroup::kUserPoolAdmin, "us-east-1_cruddur"));
  EXPECT_FALSE(Allows(f.Find("AKIDNONE")->grants, ActionGroup::kRead, ""));
  EXPECT_EQ(f.Find("AKIDNOBODY"), nullptr);
}

TEST(CredentialsFile, DefaultAccount) {
  auto parsed = ParseCredentialsFile(
      R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n","permissions":[]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().account_id, "000000000000");
}

std::string ErrorOf(const char* text) {
  auto parsed = ParseCredentialsFile(text);
  return parsed.ok() ? "(parsed)" : parsed.error().message;
}

TEST(CredentialsFile, Errors) {
  EXPECT_NE(ErrorOf("{").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(ErrorOf("[]"), "the file must hold a JSON object");
  EXPECT_EQ(ErrorOf(R"({"keys":[]})"), "keys: required, a non-empty list of access keys");
  EXPECT_EQ(ErrorOf(R"({"key":[]})"), "the file: unknown member 'key'");
  EXPECT_EQ(ErrorOf(R"({"account_id":"12","keys":[{}]})"), "account_id: must be 12 digits");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"secret_access_key":"s","name":"n","permissions":[]}]})"),
            "keys[0].access_key_id: required, 1 to 128 characters");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A/B","secret_access_key":"s","name":"n",
                      "permissions":[]}]})"),
            "keys[0].access_key_id: only letters, digits and _+=.@- are allowed");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","name":"n","permissions":[]}]})"),
            "keys[0].secret_access_key: required");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"a b",
                      "permissions":[]}]})"),
            "keys[0].name: required, 1 to 64 letters, digits or +=,.@_-");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n"}]})"),
            "keys[0].permissions: required, a list (empty: the key may do nothing)");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n",
                      "permissions":[{"actions":["wirte"]}]}]})"),
            "keys[0].permissions[0].actions: unknown group 'wirte' (read, write, admin, streams, "
            "userpool-admin, *)");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n",
                      "permissions":[{"actions":["read"],"tables":[]}]}]})"),
            "keys[0].permissions[0].tables: must be a non-empty list of table name patterns");
  EXPECT_EQ(ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n",
                      "permissions":[{"actions":["read"],"table":["x"]}]}]})"),
            "keys[0].permissions[0]: unknown member 'table'");
  EXPECT_EQ(
      ErrorOf(R"({"keys":[{"access_key_id":"A","secret_access_key":"s","name":"n","permissions":[]},
                               {"access_key_id":"A","secret_access_key":"t","name":"m","permissions":[]}]})"),
      "keys[1].access_key_id: 'A' appears twice");
}

TEST(CredentialsFile, LoadNamesThePath) {
  auto r = LoadCredentialsFile("/nonexistent/credentials.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "/nonexistent/credentials.json: cannot be read");
}

}  // namespace
}  // namespace server
