// Bad input of every kind gets a clear 400 and never a crash: unknown
// operations, bodies that are not JSON objects, members of the wrong type,
// missing members (Cognito's validation messages), huge and odd strings, deep
// nesting, and a seeded mutation fuzz over every operation.
#include <gtest/gtest.h>

#include <random>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using MalformedTest = PoolTest;

const char* const kOperations[] = {"SignUp",
                                   "ConfirmSignUp",
                                   "AdminConfirmSignUp",
                                   "AdminCreateUser",
                                   "AdminSetUserPassword",
                                   "InitiateAuth",
                                   "RespondToAuthChallenge",
                                   "GetUser",
                                   "AdminGetUser",
                                   "ListUsers",
                                   "AdminUpdateUserAttributes",
                                   "AdminDeleteUser",
                                   "DeleteUser",
                                   "GlobalSignOut",
                                   "RevokeToken",
                                   "UpdateUserAttributes",
                                   "GetUserAttributeVerificationCode",
                                   "VerifyUserAttribute"};

TEST_F(MalformedTest, UnknownOperation) {
  for (const char* op : {"", "CreateUserPool", "signup", "SignUp ", "DescribeUserPool"}) {
    auto r = pool_->Call(op, "{}");
    EXPECT_EQ(r.status, 400u) << op;
    EXPECT_EQ(r.body, R"({"__type":"UnknownOperationException"})") << op;
  }
}

TEST_F(MalformedTest, BodiesThatAreNotJsonObjects) {
  const std::string bad_utf8 = "{\"Username\":\"\xff\xfe\"}";
  const std::string nul_inside = std::string("{\"ClientId\":\"a\0b\"}", 19);
  for (const std::string& body :
       {std::string("not json"), std::string("{"), std::string("{\"a\":1} trailing"),
        std::string("[]"), std::string("\"string\""), std::string("42"), std::string("null"),
        std::string("{'single':'quotes'}"), bad_utf8, nul_inside, std::string("\0", 1)}) {
    for (const char* op : kOperations) {
      auto r = Call(op, body);
      EXPECT_EQ(r.status, 400u) << op << " " << body;
      EXPECT_EQ(r.Type(), "SerializationException") << op << " " << body << " -> " << r.body;
    }
  }
}

TEST_F(MalformedTest, EmptyBodyReadsAsEmptyObject) {
  auto r = Call("SignUp", "");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "3 validation errors detected: Value null at 'clientId' failed to satisfy "
            "constraint: Member must not be null; Value null at 'username' failed to satisfy "
            "constraint: Member must not be null; Value null at 'password' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(Call("AdminGetUser", "  \n").Type(), "InvalidParameterException");
}

TEST_F(MalformedTest, MembersOfTheWrongType) {
  const std::pair<const char*, std::string> cases[] = {
      {"SignUp", J({{"ClientId", "5"}, {"Username", S("a@b.co")}, {"Password", S(kPassword)}})},
      {"SignUp", J({{"ClientId", S(kClient)},
                    {"Username", S("a@b.co")},
                    {"Password", S(kPassword)},
                    {"UserAttributes", "{}"}})},
      {"SignUp", J({{"ClientId", S(kClient)},
                    {"Username", S("a@b.co")},
                    {"Password", S(kPassword)},
                    {"UserAttributes", "[\"name\"]"}})},
      {"SignUp", J({{"ClientId", S(kClient)},
                    {"Username", S("a@b.co")},
                    {"Password", S(kPassword)},
                    {"UserAttributes", "[{\"Name\":1,\"Value\":\"x\"}]"}})},
      {"InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
                          {"ClientId", S(kClient)},
                          {"AuthParameters", "{\"USERNAME\":1}"}})},
      {"InitiateAuth",
       J({{"AuthFlow", "true"}, {"ClientId", S(kClient)}, {"AuthParameters", "[]"}})},
      {"AdminSetUserPassword", J({{"UserPoolId", S(kPool)},
                                  {"Username", S("a@b.co")},
                                  {"Password", S(kPassword)},
                                  {"Permanent", "1"}})},
      {"ListUsers", J({{"UserPoolId", S(kPool)}, {"Limit", S("5")}})},
      {"ListUsers", J({{"UserPoolId", S(kPool)}, {"AttributesToGet", "[1,2]"}})},
      {"ListUsers", J({{"UserPoolId", S(kPool)}, {"Limit", "1e3"}})},
      {"ListUsers", J({{"UserPoolId", S(kPool)}, {"Limit", "99999999999999999999"}})},
      {"GetUser", J({{"AccessToken", "{\"nested\":true}"}})},
      {"RespondToAuthChallenge", J({{"ClientId", S(kClient)},
                                    {"ChallengeName", S("NEW_PASSWORD_REQUIRED")},
                                    {"ChallengeResponses", "\"USERNAME=x\""}})},
  };
  for (const auto& [op, body] : cases) {
    auto r = Call(op, body);
    EXPECT_EQ(r.status, 400u) << op << " " << body;
    EXPECT_EQ(r.Type(), "SerializationException") << op << " " << body << " -> " << r.body;
  }
}

TEST_F(MalformedTest, NullMembersAreAbsent) {
  auto r = Call("SignUp", J({{"ClientId", "null"}, {"Username", "null"}, {"Password", "null"}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_NE(r.Message().find("3 validation errors detected"), std::string::npos);
}

TEST_F(MalformedTest, ConstraintViolationsAndSensitiveValues) {
  auto r = Call("SignUp", J({{"ClientId", S("bad client!")},
                             {"Username", S("has space@b.co")},
                             {"Password", S("secret with spaces")}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "3 validation errors detected: Value at 'clientId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+]+; Value at 'username' failed "
            "to satisfy constraint: Member must satisfy regular expression pattern: "
            "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+; Value at 'password' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\S]+");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  r = Call("SignUp",
           J({{"ClientId", S(kClient)},
              {"Username", S("a@b.co")},
              {"Password", S(kPassword)},
              {"UserAttributes", "[{\"Value\":\"x\"},{\"Name\":\"\",\"Value\":\"y\"}]"}}));
  EXPECT_EQ(r.Message(),
            "3 validation errors detected: Value null at 'userAttributes.1.member.name' failed "
            "to satisfy constraint: Member must not be null; Value '' at "
            "'userAttributes.2.member.name' failed to satisfy constraint: Member must have "
            "length greater than or equal to 1; Value '' at 'userAttributes.2.member.name' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
      << r.Message();
  // Control and separator characters are not part of a username.
  for (const char* name : {"a\tb@c.co", "a\u00a0b@c.co", "a\u2028b@c.co", "a\u200bb@c.co"}) {
    r = Call("AdminGetUser", J({{"UserPoolId", S(kPool)}, {"Username", S(name)}}));
    EXPECT_EQ(r.Type(), "InvalidParameterException") << name;
  }
  // Other scripts are.
  r = Call("AdminGetUser", J({{"UserPoolId", S(kPool)}, {"Username", S("łódź@例え.jp")}}));
  EXPECT_EQ(r.Type(), "UserNotFoundException");
}

TEST_F(MalformedTest, HugeStrings) {
  const std::string huge(1 << 20, 'a');
  auto r = SignUp(huge + "@b.co");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value at 'username' failed to satisfy constraint: "
            "Member must have length less than or equal to 128");
  r = SignUp("a@b.co", "A1!" + huge);
  EXPECT_NE(r.Message().find("'password' failed to satisfy constraint: Member must have length "
                             "less than or equal to 256"),
            std::string::npos);
  r = SignUp("a@b.co", kPassword, Attrs({{"name", huge}}));
  EXPECT_NE(r.Message().find("Value at 'userAttributes.1.member.value'"), std::string::npos);
  EXPECT_LT(r.body.size(), 1000u);  // not echoed
  r = WithToken("GetUser", huge);
  EXPECT_EQ(r.Message(), "Invalid Access Token");
  r = Refresh(huge);
  EXPECT_EQ(r.Message(), "Invalid Refresh Token");
  r = PasswordAuth(huge, huge);
  EXPECT_EQ(r.Message(), "Incorrect username or password.");
  r = Call("ListUsers", J({{"UserPoolId", S(kPool)}, {"Filter", S(huge)}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_LT(r.body.size(), 1000u);
  // Thousands of bad attributes: one readable message.
  std::string many = "[";
  for (int i = 0; i < 5000; ++i) many += std::string(i ? "," : "") + "{\"Value\":\"x\"}";
  many += "]";
  r = SignUp("a@b.co", kPassword, many);
  EXPECT_NE(r.Message().find("5000 validation errors detected"), std::string::npos);
  EXPECT_LT(r.body.size(), 5000u);
}

TEST_F(MalformedTest, DeepNesting) {
  const int depth = 200000;
  std::string deep = std::string(depth, '[') + std::string(depth, ']');
  auto r = Call("SignUp", deep);
  EXPECT_EQ(r.Type(), "SerializationException");
  r = Call("SignUp", J({{"ClientId", S(kClient)}, {"UserAttributes", deep}}));
  EXPECT_EQ(r.Type(), "SerializationException");
  r = Call("SignUp", std::string(depth, '['));
  EXPECT_EQ(r.Type(), "SerializationException");
}

TEST_F(MalformedTest, SeededMutationFuzz) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  const std::vector<std::pair<const char*, std::string>> seeds = {
      {"SignUp", J({{"ClientId", S(kClient)},
                    {"Username", S("f@b.co")},
                    {"Password", S(kPassword)},
                    {"UserAttributes", Attrs({{"name", "n"}})}})},
      {"ConfirmSignUp",
       J({{"ClientId", S(kClient)}, {"Username", S("f@b.co")}, {"ConfirmationCode", S("123456")}})},
      {"InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
                          {"ClientId", S(kClient)},
                          {"AuthParameters", J({{"USERNAME", S("andrew@exampro.co")},
                                                {"PASSWORD", S(kPassword)}})}})},
      {"InitiateAuth", J({{"AuthFlow", S("REFRESH_TOKEN_AUTH")},
                          {"ClientId", S(kClient)},
                          {"AuthParameters", J({{"REFRESH_TOKEN", S(tokens.refresh_token)}})}})},
      {"GetUser", J({{"AccessToken", S(tokens.access_token)}})},
      {"ListUsers", J({{"UserPoolId", S(kPool)},
                       {"Limit", "3"},
                       {"Filter", S("email ^= \"a\"")},
                       {"AttributesToGet", "[\"email\"]"}})},
      {"AdminUpdateUserAttributes", J({{"UserPoolId", S(kPool)},
                                       {"Username", S("andrew@exampro.co")},
                                       {"UserAttributes", Attrs({{"name", "A"}})}})},
      {"AdminCreateUser", J({{"UserPoolId", S(kPool)},
                             {"Username", S("g@b.co")},
                             {"MessageAction", S("SUPPRESS")},
                             {"TemporaryPassword", S(kPassword)}})},
      {"RespondToAuthChallenge", J({{"ClientId", S(kClient)},
                                    {"ChallengeName", S("NEW_PASSWORD_REQUIRED")},
                                    {"Session", S(std::string(30, 's'))},
                                    {"ChallengeResponses", J({{"USERNAME", S("g@b.co")}})}})},
  };
  std::mt19937 rng(20240601);
  const std::string alphabet = "{}[]\":,\\0123456789-.eE truefalsn\x01\x7f\xc3\xa9\xff";
  int calls = 0;
  for (const auto& [op, seed] : seeds) {
    for (int i = 0; i < 150; ++i) {
      std::string body = seed;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !body.empty(); ++e) {
        const size_t pos = rng() % body.size();
        switch (rng() % 4) {
          case 0:
            body[pos] = alphabet[rng() % alphabet.size()];
            break;
          case 1:
            body.erase(pos, 1 + rng() % 8);
            break;
          case 2:
            body.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            break;
          case 3:
            body.insert(pos, body.substr(rng() % body.size(), rng() % 16));
            break;
        }
      }
      const char* target = rng() % 4 == 0 ? kOperations[rng() % std::size(kOperations)] : op;
      auto r = pool_->Call(target, body);
      ++calls;
      ASSERT_TRUE(r.status == 200 || r.status == 400) << target << " " << body << " -> " << r.body;
      rapidjson::Document d;
      d.Parse(r.body.c_str());
      ASSERT_FALSE(d.HasParseError()) << r.body;
      ASSERT_TRUE(d.IsObject());
      if (r.status != 200) {
        ASSERT_TRUE(d.HasMember("__type")) << r.body;
        ASSERT_TRUE(d.HasMember("message") || d["__type"] == "UnknownOperationException");
      }
    }
  }
  EXPECT_EQ(calls, 150 * static_cast<int>(seeds.size()));
}

}  // namespace
}  // namespace cruddur::userpool::testing
