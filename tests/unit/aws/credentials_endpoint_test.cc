// Credential, region and endpoint resolution, as the AWS CLI resolves them:
// environment first, then ~/.aws/credentials, then ~/.aws/config, with
// profiles. Files live in a temporary HOME; the environment is a map.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "aws/ca_bundle.h"
#include "aws/client_error.h"
#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/shared_config.h"

namespace aws {
namespace {

namespace fs = std::filesystem;

class ResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/aws_home_XXXXXX";
    home_ = mkdtemp(tmpl);
    fs::create_directories(home_ / ".aws");
    env_["HOME"] = home_.string();
  }
  void TearDown() override { fs::remove_all(home_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(home_ / ".aws" / name) << text;
  }
  EnvLookup Env() {
    return [this](std::string_view name) -> std::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }
  SharedConfig Config(std::optional<std::string> profile = std::nullopt) {
    auto c = LoadSharedConfig(Env(), profile);
    EXPECT_TRUE(c.ok());
    return std::move(c).value();
  }
  base::Result<ResolvedCredentials> Creds(std::optional<std::string> profile = std::nullopt) {
    return ResolveCredentials(Env(), Config(profile));
  }

  fs::path home_;
  std::map<std::string, std::string> env_;
};

TEST_F(ResolutionTest, EnvironmentComesFirst) {
  Write("credentials",
        "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n");
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  env_["AWS_SESSION_TOKEN"] = "TOKEN";
  auto c = Creds();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(c->credentials.secret_access_key, "ENVSECRET");
  EXPECT_EQ(c->credentials.session_token, "TOKEN");
  EXPECT_EQ(c->source, "environment");
}

TEST_F(ResolutionTest, PartialEnvironmentIsAnError) {
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  auto c = Creds();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().Name(), "NoCredentialsError");
  EXPECT_NE(c.error().message.find("AWS_SECRET_ACCESS_KEY is not set"), std::string::npos);
}

TEST_F(ResolutionTest, SharedCredentialsFileWithProfiles) {
  Write("credentials",
        "# comment\n[default]\naws_access_key_id=DEFKEY\naws_secret_access_key = DEFSECRET\n\n"
        "[work]\n  aws_access_key_id = WORKKEY\n; another comment\n"
        "aws_secret_access_key = WORKSECRET\naws_session_token = WORKTOKEN\n");
  auto c = Creds();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "DEFKEY");
  EXPECT_EQ(c->credentials.secret_access_key, "DEFSECRET");

  env_["AWS_PROFILE"] = "work";
  c = Creds();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "WORKKEY");
  EXPECT_EQ(c->credentials.session_token, "WORKTOKEN");
  EXPECT_NE(c->source.find("(profile work)"), std::string::npos);

  c = Creds("default");  // an explicit profile beats AWS_PROFILE
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->credentials.access_key_id, "DEFKEY");
}

TEST_F(ResolutionTest, CredentialsFileFromEnvironmentVariable) {
  std::ofstream(home_ / "elsewhere") << "[default]\naws_access_key_id=A\naws_secret_access_key=B\n";
  env_["AWS_SHARED_CREDENTIALS_FILE"] = (home_ / "elsewhere").string();
  auto c = Creds();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "A");
}

TEST_F(ResolutionTest, ConfigFileProfileSections) {
  Write("config",
        "[default]\nregion = eu-west-1\n"
        "[profile dev]\nregion = ap-south-1\naws_access_key_id = DEVKEY\n"
        "aws_secret_access_key = DEVSECRET\n");
  env_["AWS_PROFILE"] = "dev";
  auto c = Creds();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "DEVKEY");
  EXPECT_EQ(*ResolveRegion(Env(), Config()), "ap-south-1");
  env_.erase("AWS_PROFILE");
  EXPECT_EQ(*ResolveRegion(Env(), Config()), "eu-west-1");
}

TEST_F(ResolutionTest, MissingProfileIsAnError) {
  Write("credentials", "[default]\naws_access_key_id=A\naws_secret_access_key=B\n");
  env_["AWS_PROFILE"] = "nope";
  auto c = Creds();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "the config profile (nope) could not be found");
}

TEST_F(ResolutionTest, PartialProfileIsAnError) {
  Write("credentials", "[default]\naws_access_key_id=A\n");
  auto c = Creds();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("aws_secret_access_key is missing"), std::string::npos);
}

TEST_F(ResolutionTest, UnsupportedProviderIsNamed) {
  Write("config", "[profile sso]\nsso_session = corp\n");
  env_["AWS_PROFILE"] = "sso";
  auto c = Creds();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("uses sso_session"), std::string::npos);
}

TEST_F(ResolutionTest, NothingConfigured) {
  auto c = Creds();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().Name(), "NoCredentialsError");
  EXPECT_EQ(c.error().message.rfind("Unable to locate credentials", 0), 0u);
  EXPECT_EQ(c.error().message.find('\n'), std::string::npos);
}

TEST_F(ResolutionTest, RegionOrder) {
  Write("config", "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(*ResolveRegion(Env(), Config()), "eu-west-1");
  env_["AWS_DEFAULT_REGION"] = "us-west-2";
  EXPECT_EQ(*ResolveRegion(Env(), Config()), "us-west-2");
  env_["AWS_REGION"] = "ca-central-1";
  EXPECT_EQ(*ResolveRegion(Env(), Config()), "ca-central-1");
}

TEST_F(ResolutionTest, NoRegionIsAnError) {
  auto r = ResolveRegion(Env(), Config());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "EndpointError");
}

TEST_F(ResolutionTest, DefaultEndpoints) {
  EXPECT_EQ(DefaultEndpointUrl(kDynamoDB, "us-east-1"), "https://dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpointUrl(kDynamoDBStreams, "eu-west-2"),
            "https://streams.dynamodb.eu-west-2.amazonaws.com");
  EXPECT_EQ(DefaultEndpointUrl(kCognitoIdentityProvider, "ca-central-1"),
            "https://cognito-idp.ca-central-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpointUrl(kDynamoDB, "cn-north-1"),
            "https://dynamodb.cn-north-1.amazonaws.com.cn");
  auto e = ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(e->port, 443);
  EXPECT_EQ(e->HostHeader(), "dynamodb.us-east-1.amazonaws.com");
}

TEST_F(ResolutionTest, EndpointOrder) {
  Write("config",
        "[default]\nendpoint_url = http://profile:1\nservices = local\n"
        "[services local]\ndynamodb =\n  endpoint_url = http://services:2\n");
  EXPECT_EQ(ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config())->url, "http://services:2");
  EXPECT_EQ(ResolveEndpoint(kCognitoIdentityProvider, "us-east-1", Env(), Config())->url,
            "http://profile:1");
  env_["AWS_ENDPOINT_URL"] = "http://localhost:8000/";
  EXPECT_EQ(ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config())->url, "http://localhost:8000");
  env_["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:9000";
  auto e = ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config());
  EXPECT_EQ(e->url, "http://127.0.0.1:9000");
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:9000");
  // The service-specific variable is for DynamoDB only.
  EXPECT_EQ(ResolveEndpoint(kDynamoDBStreams, "us-east-1", Env(), Config())->url,
            "http://localhost:8000");
  env_["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config())->url,
            "https://dynamodb.us-east-1.amazonaws.com");
}

TEST_F(ResolutionTest, BadConfiguredEndpointNamesItsOrigin) {
  env_["AWS_ENDPOINT_URL"] = "localhost:8000";
  auto e = ResolveEndpoint(kDynamoDB, "us-east-1", Env(), Config());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("(from AWS_ENDPOINT_URL)"), std::string::npos);
}

TEST_F(ResolutionTest, CaBundleFromEnvironmentThenProfileElseTheSystemStore) {
  const std::string env_pem = (home_ / "env.pem").string(), cfg_pem = (home_ / "cfg.pem").string();
  std::ofstream(env_pem) << "-----BEGIN CERTIFICATE-----\n";
  std::ofstream(cfg_pem) << "-----BEGIN CERTIFICATE-----\n";
  auto none = ResolveCaBundle(Env(), Config());
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(*none, "");  // the system's store

  Write("config", "[default]\nca_bundle = " + cfg_pem + "\n[profile other]\nregion = x\n");
  EXPECT_EQ(*ResolveCaBundle(Env(), Config()), cfg_pem);
  EXPECT_EQ(*ResolveCaBundle(Env(), Config("other")), "");  // another profile's own setting
  env_["AWS_CA_BUNDLE"] = env_pem;
  EXPECT_EQ(*ResolveCaBundle(Env(), Config()), env_pem);  // the variable wins
}

TEST_F(ResolutionTest, AnUnreadableCaBundleIsAConfigErrorNamingItsOrigin) {
  env_["AWS_CA_BUNDLE"] = (home_ / "missing.pem").string();
  auto e = ResolveCaBundle(Env(), Config());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ClientErrorCode::kConfig);
  EXPECT_NE(e.error().message.find("AWS_CA_BUNDLE: cannot read the CA bundle " +
                                   (home_ / "missing.pem").string()),
            std::string::npos)
      << e.error().message;
  EXPECT_EQ(e.error().message.find('\n'), std::string::npos);

  env_.erase("AWS_CA_BUNDLE");
  Write("config", "[default]\nca_bundle = " + home_.string() + "\n");  // a directory
  e = ResolveCaBundle(Env(), Config());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("ca_bundle of profile default in "), std::string::npos)
      << e.error().message;
}

TEST(EndpointUrl, Parses) {
  auto e = ParseEndpointUrl("http://[::1]:8000");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 8000);
  EXPECT_EQ(e->HostHeader(), "[::1]:8000");
  e = ParseEndpointUrl("HTTPS://example.com/base/");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->scheme, "https");
  EXPECT_EQ(e->path, "/base/");
  EXPECT_EQ(e->HostHeader(), "example.com");
  EXPECT_EQ(ParseEndpointUrl("http://example.com:80")->HostHeader(), "example.com");
  for (const char* bad : {"ftp://x", "http://", "http://x:0", "http://x:65536",
                          "http://x:", "http://x/?q", "x:8000", "http://[::1"}) {
    auto r = ParseEndpointUrl(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().Name(), "EndpointError");
    }
  }
}

TEST(Ini, SubPropertiesAndComments) {
  IniFile f = ParseIni("[s]\nA = 1\nnested =\n  x = 2\n  Y = 3\nb = 4\n  notnested = 5\n#c\n");
  EXPECT_EQ(f["s"]["a"], "1");
  EXPECT_EQ(f["s"]["nested.x"], "2");
  EXPECT_EQ(f["s"]["nested.y"], "3");
  EXPECT_EQ(f["s"]["b"], "4");
  EXPECT_EQ(f["s"]["notnested"], "5");
}

}  // namespace
}  // namespace aws
