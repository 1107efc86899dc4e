// USER_SRP_AUTH against the pool, with a client written here from the
// protocol (the math of amazon-cognito-identity-js's AuthenticationHelper,
// independently of srp.cc): the PASSWORD_VERIFIER challenge's shape, right
// and wrong passwords, unknown users and users without a verifier, the
// lockout counting SRP failures, one-use and expiring secret blocks, and the
// verifier following every password change.
#include "cruddur/userpool/srp.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include <ctime>
#include <memory>

#include "base/base64.h"
#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

// ---- the client's math ----------------------------------------------------

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn Hex2Bn(const std::string& hex) {
  BIGNUM* b = nullptr;
  BN_hex2bn(&b, hex.c_str());
  return Bn(b);
}

Bn Bytes2Bn(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// The client's padHex, as bytes.
std::string PadHex(const BIGNUM* n) {
  std::string out(static_cast<size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
  if (out.empty() || (static_cast<unsigned char>(out[0]) & 0x80)) out.insert(0, 1, '\0');
  return out;
}

std::string Hash(const std::string& data) {
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char md[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

const char* const kN =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404"
    "DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406"
    "B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD"
    "24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E46"
    "2E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D226"
    "1898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB397"
    "0F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A6452"
    "1F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CA"
    "FFFFFFFFFFFFFFFF";

// One client sign-in: a, A, and the claim for the server's challenge.
class SrpClient {
 public:
  SrpClient() : N_(Hex2Bn(kN)), g_(BN_new()), a_(BN_new()), A_(BN_new()), ctx_(BN_CTX_new()) {
    BN_set_word(g_.get(), 2);
    unsigned char r[128];
    RAND_bytes(r, sizeof r);
    BN_bin2bn(r, sizeof r, a_.get());
    BN_mod_exp(A_.get(), g_.get(), a_.get(), N_.get(), ctx_);
  }
  ~SrpClient() { BN_CTX_free(ctx_); }

  // SRP_A as the JS client sends it (lowercase hex, no padding).
  std::string A_hex() const {
    char* h = BN_bn2hex(A_.get());
    std::string out(h);
    OPENSSL_free(h);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

  // The PASSWORD_CLAIM_SIGNATURE for this challenge.
  std::string Claim(const std::string& pool_name, const std::string& user_id,
                    const std::string& password, const std::string& salt_hex,
                    const std::string& B_hex, const std::string& secret_block_b64,
                    const std::string& timestamp) {
    Bn B = Hex2Bn(B_hex), salt = Hex2Bn(salt_hex);
    Bn k = Bytes2Bn(Hash(PadHex(N_.get()) + PadHex(g_.get())));
    Bn u = Bytes2Bn(Hash(PadHex(A_.get()) + PadHex(B.get())));
    Bn x = Bytes2Bn(Hash(PadHex(salt.get()) + Hash(pool_name + user_id + ":" + password)));
    // S = (B - k * g^x) ^ (a + u * x) mod N
    Bn gx(BN_new()), kgx(BN_new()), base(BN_new()), ux(BN_new()), exp(BN_new()), S(BN_new());
    BN_mod_exp(gx.get(), g_.get(), x.get(), N_.get(), ctx_);
    BN_mod_mul(kgx.get(), k.get(), gx.get(), N_.get(), ctx_);
    BN_mod_sub(base.get(), B.get(), kgx.get(), N_.get(), ctx_);
    BN_mul(ux.get(), u.get(), x.get(), ctx_);
    BN_add(exp.get(), a_.get(), ux.get());
    BN_mod_exp(S.get(), base.get(), exp.get(), N_.get(), ctx_);
    const std::string prk = Hmac(PadHex(u.get()), PadHex(S.get()));
    const std::string key = Hmac(prk, std::string("Caldera Derived Key") + '\x01').substr(0, 16);
    std::string block;
    EXPECT_EQ(base::Base64Decode(secret_block_b64, &block), base::Base64Problem::kNone);
    return base::Base64Encode(Hmac(key, pool_name + user_id + block + timestamp));
  }

 private:
  Bn N_, g_, a_, A_;
  BN_CTX* ctx_;
};

// "EEE MMM d HH:mm:ss UTC yyyy" of epoch seconds, as the JS DateHelper writes it.
std::string Timestamp(int64_t epoch) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t t = static_cast<time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %d %02d:%02d:%02d UTC %d", kDays[tm.tm_wday],
                kMonths[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                tm.tm_year + 1900);
  return buf;
}

class SrpTest : public PoolTest {
 protected:
  Reply StartSrp(const std::string& username, SrpClient& client) {
    return Call(
        "InitiateAuth",
        J({{"AuthFlow", S("USER_SRP_AUTH")},
           {"ClientId", S(kClient)},
           {"AuthParameters", J({{"USERNAME", S(username)}, {"SRP_A", S(client.A_hex())}})}}));
  }

  Reply Verify(const Reply& challenge, SrpClient& client, const std::string& password,
               std::string timestamp = "") {
    if (timestamp.empty()) timestamp = Timestamp(now_.load());
    const auto& p = challenge["ChallengeParameters"];
    const std::string user_id = p["USER_ID_FOR_SRP"].GetString();
    const std::string block = p["SECRET_BLOCK"].GetString();
    const std::string claim = client.Claim("cruddur", user_id, password, p["SALT"].GetString(),
                                           p["SRP_B"].GetString(), block, timestamp);
    return Respond(user_id, block, claim, timestamp);
  }

  Reply Respond(const std::string& user_id, const std::string& block, const std::string& claim,
                const std::string& timestamp) {
    return Call("RespondToAuthChallenge",
                J({{"ClientId", S(kClient)},
                   {"ChallengeName", S("PASSWORD_VERIFIER")},
                   {"ChallengeResponses", J({{"USERNAME", S(user_id)},
                                             {"PASSWORD_CLAIM_SECRET_BLOCK", S(block)},
                                             {"PASSWORD_CLAIM_SIGNATURE", S(claim)},
                                             {"TIMESTAMP", S(timestamp)}})}}));
  }

  // The whole USER_SRP_AUTH sign-in: the final reply.
  Reply SrpSignIn(const std::string& username, const std::string& password) {
    SrpClient client;
    auto challenge = StartSrp(username, client);
    EXPECT_TRUE(challenge.ok()) << challenge.body;
    if (!challenge.ok()) return challenge;
    return Verify(challenge, client, password);
  }

  static void ExpectIncorrect(const Reply& r) {
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.Type(), "NotAuthorizedException") << r.body;
    EXPECT_EQ(r.Message(), "Incorrect username or password.") << r.body;
  }
};

bool IsHex(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

TEST_F(SrpTest, ChallengeHasCognitosShape) {
  const std::string sub = Register("andrew@exampro.co");
  SrpClient client;
  auto r = StartSrp("Andrew@ExamPro.co", client);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("ChallengeName"), "PASSWORD_VERIFIER");
  EXPECT_FALSE(r.Has("Session"));
  EXPECT_FALSE(r.Has("AuthenticationResult"));
  const auto& p = r["ChallengeParameters"];
  EXPECT_EQ(p["USER_ID_FOR_SRP"].GetString(), sub);
  EXPECT_EQ(p["USERNAME"].GetString(), sub);
  EXPECT_TRUE(IsHex(p["SALT"].GetString()));
  EXPECT_TRUE(IsHex(p["SRP_B"].GetString()));
  std::string block;
  EXPECT_EQ(base::Base64Decode(p["SECRET_BLOCK"].GetString(), &block), base::Base64Problem::kNone);
  EXPECT_GE(block.size(), 32u);
}

TEST_F(SrpTest, RightPasswordSignsIn) {
  const std::string sub = Register("andrew@exampro.co");
  for (int i = 0; i < 3; ++i) {  // several, so that PAD's 0x00 cases come up
    auto r = SrpSignIn("andrew@exampro.co", kPassword);
    ASSERT_TRUE(r.ok()) << r.body;
    const auto& a = r["AuthenticationResult"];
    EXPECT_STREQ(a["TokenType"].GetString(), "Bearer");
    EXPECT_TRUE(a.HasMember("RefreshToken"));
    auto me = WithToken("GetUser", a["AccessToken"].GetString());
    ASSERT_TRUE(me.ok()) << me.body;
    EXPECT_EQ(me.Str("Username"), sub);
  }
  EXPECT_TRUE(SrpSignIn(sub, kPassword).ok());  // by Username too
}

TEST_F(SrpTest, WrongPasswordIsIncorrect) {
  Register("andrew@exampro.co");
  ExpectIncorrect(SrpSignIn("andrew@exampro.co", "Cruddur2!"));
}

TEST_F(SrpTest, UnknownUserGetsAChallengeNoPasswordAnswers) {
  SrpClient client;
  auto r = StartSrp("nobody@exampro.co", client);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("ChallengeName"), "PASSWORD_VERIFIER");
  EXPECT_STREQ(r["ChallengeParameters"]["USER_ID_FOR_SRP"].GetString(), "nobody@exampro.co");
  ExpectIncorrect(Verify(r, client, kPassword));
}

TEST_F(SrpTest, SecretBlockIsAnsweredOnce) {
  Register("andrew@exampro.co");
  SrpClient client;
  auto challenge = StartSrp("andrew@exampro.co", client);
  ASSERT_TRUE(challenge.ok());
  const auto& p = challenge["ChallengeParameters"];
  const std::string ts = Timestamp(now_.load());
  const std::string claim =
      client.Claim("cruddur", p["USER_ID_FOR_SRP"].GetString(), kPassword, p["SALT"].GetString(),
                   p["SRP_B"].GetString(), p["SECRET_BLOCK"].GetString(), ts);
  auto first = Respond(p["USER_ID_FOR_SRP"].GetString(), p["SECRET_BLOCK"].GetString(), claim, ts);
  ASSERT_TRUE(first.ok()) << first.body;
  ExpectIncorrect(
      Respond(p["USER_ID_FOR_SRP"].GetString(), p["SECRET_BLOCK"].GetString(), claim, ts));
}

TEST_F(SrpTest, ChallengeExpiresAfterThreeMinutes) {
  Register("andrew@exampro.co");
  SrpClient client;
  auto challenge = StartSrp("andrew@exampro.co", client);
  Advance(std::chrono::seconds(181));
  auto r = Verify(challenge, client, kPassword);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Invalid session for the user, session is expired.");
}

TEST_F(SrpTest, BadParameters) {
  Register("andrew@exampro.co");
  for (const char* a : {"0", "zz", kN, ""}) {
    auto r =
        Call("InitiateAuth",
             J({{"AuthFlow", S("USER_SRP_AUTH")},
                {"ClientId", S(kClient)},
                {"AuthParameters", J({{"USERNAME", S("andrew@exampro.co")}, {"SRP_A", S(a)}})}}));
    EXPECT_EQ(r.Type(), "InvalidParameterException") << a;
    EXPECT_EQ(r.Message(), "SRP_A is not a valid SRP public value.") << a;
  }
  SrpClient client;
  auto challenge = StartSrp("andrew@exampro.co", client);
  auto r = Verify(challenge, client, kPassword, "2023-11-14T22:13:20Z");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "TIMESTAMP must be of the form EEE MMM d HH:mm:ss UTC yyyy.");
  r = Call("RespondToAuthChallenge", J({{"ClientId", S(kClient)},
                                        {"ChallengeName", S("PASSWORD_VERIFIER")},
                                        {"ChallengeResponses", J({{"USERNAME", S("x")}})}}));
  EXPECT_EQ(r.Message(), "Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK");
  ExpectIncorrect(Respond("x", "bm90IGEgYmxvY2s=", "c2ln", Timestamp(now_.load())));
}

TEST_F(SrpTest, FailuresCountTowardsTheLockout) {
  Register("andrew@exampro.co");
  for (int i = 0; i < 5; ++i) ExpectIncorrect(SrpSignIn("andrew@exampro.co", "Wrong-pass1"));
  auto r = SrpSignIn("andrew@exampro.co", kPassword);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Password attempts exceeded");
  r = PasswordAuth("andrew@exampro.co", kPassword);  // the same count for both flows
  EXPECT_EQ(r.Message(), "Password attempts exceeded");
  Advance(std::chrono::seconds(1));
  EXPECT_TRUE(SrpSignIn("andrew@exampro.co", kPassword).ok());
}

TEST_F(SrpTest, VerifierFollowsPasswordChanges) {
  Register("andrew@exampro.co");
  auto r = Admin("AdminSetUserPassword", "andrew@exampro.co",
                 {{"Password", S("Second-pass1")}, {"Permanent", "true"}});
  ASSERT_TRUE(r.ok()) << r.body;
  ExpectIncorrect(SrpSignIn("andrew@exampro.co", kPassword));
  EXPECT_TRUE(SrpSignIn("andrew@exampro.co", "Second-pass1").ok());
}

TEST_F(SrpTest, InvitedUserGetsNewPasswordRequired) {
  auto r = Admin("AdminCreateUser", "bayko@exampro.co",
                 {{"TemporaryPassword", S("Temp-pass1")}, {"MessageAction", S("SUPPRESS")}});
  ASSERT_TRUE(r.ok()) << r.body;
  r = SrpSignIn("bayko@exampro.co", "Temp-pass1");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("ChallengeName"), "NEW_PASSWORD_REQUIRED");
  EXPECT_GE(r.Str("Session").size(), 20u);
}

TEST_F(SrpTest, UserFromBeforeSrpGetsAVerifierAtPasswordSignIn) {
  TempDir dir;
  pool_ = Open(dir.path());
  Register("andrew@exampro.co");
  pool_.reset();
  // As a database written before SRP: no verifier.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/userpool.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE users SET srp_salt = '', srp_verifier = ''", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  pool_ = Open(dir.path());
  ExpectIncorrect(SrpSignIn("andrew@exampro.co", kPassword));
  ASSERT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
  EXPECT_TRUE(SrpSignIn("andrew@exampro.co", kPassword).ok());
}

TEST_F(SrpTest, EnsureUserGivesAnOldDevUserAVerifier) {
  TempDir dir;
  pool_ = Open(dir.path());
  ASSERT_TRUE(pool_->EnsureUser("andrew@exampro.co", kPassword, {{"name", "Andrew"}}).ok());
  pool_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/userpool.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE users SET srp_verifier = ''", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  pool_ = Open(dir.path());
  ExpectIncorrect(SrpSignIn("andrew@exampro.co", kPassword));
  ASSERT_TRUE(pool_->EnsureUser("andrew@exampro.co", kPassword, {{"name", "Andrew"}}).ok());
  EXPECT_TRUE(SrpSignIn("andrew@exampro.co", kPassword).ok());
}

TEST(SrpMath, TimestampsPoolNamesAndBase64) {
  EXPECT_TRUE(ValidSrpTimestamp("Tue Nov 14 22:13:20 UTC 2023"));
  EXPECT_TRUE(ValidSrpTimestamp("Sun Mar 3 09:04:01 UTC 2024"));
  EXPECT_FALSE(ValidSrpTimestamp("Sun Mar 03 09:04:01 UTC 2024"));
  EXPECT_FALSE(ValidSrpTimestamp("Sun Mar 3 9:04:01 UTC 2024"));
  EXPECT_FALSE(ValidSrpTimestamp("Sun Mar 3 09:04:01 GMT 2024"));
  EXPECT_FALSE(ValidSrpTimestamp("Xyz Mar 3 09:04:01 UTC 2024"));
  EXPECT_FALSE(ValidSrpTimestamp(""));
  EXPECT_EQ(Timestamp(1'700'000'000), "Tue Nov 14 22:13:20 UTC 2023");
  EXPECT_EQ(SrpPoolName("us-east-1_cruddur"), "cruddur");
  EXPECT_EQ(SrpPoolName("eu-west-2_AbC123"), "AbC123");
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff\x80", 3)}) {
    std::string back;
    ASSERT_EQ(base::Base64Decode(base::Base64Encode(s), &back), base::Base64Problem::kNone) << s;
    EXPECT_EQ(back, s);
  }
  std::string out;
  EXPECT_EQ(base::Base64Decode("abc", &out), base::Base64Problem::kLength);
  EXPECT_EQ(base::Base64Decode("ab!d", &out), base::Base64Problem::kData);
}

TEST(SrpMath, VerifierIsDeterministicForASalt) {
  auto a = SrpVerifierWithSalt("cruddur", "user-1", "Cruddur1!", "0a0b");
  auto b = SrpVerifierWithSalt("cruddur", "user-1", "Cruddur1!", "0A0B");
  auto c = SrpVerifierWithSalt("cruddur", "user-1", "Cruddur2!", "0a0b");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->verifier_hex, b->verifier_hex);
  EXPECT_NE(a->verifier_hex, c->verifier_hex);
  EXPECT_EQ(a->salt_hex, "0a0b");
  auto high = SrpVerifierWithSalt("cruddur", "user-1", "Cruddur1!", "ff01");
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high->salt_hex, "00ff01");  // PAD: a positive number
}

}  // namespace
}  // namespace cruddur::userpool::testing
