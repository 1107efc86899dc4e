#include "cruddur/serve/serve_config.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>

#include "cruddur/serve/web_config.h"

namespace cruddur::serve {
namespace {

aws::EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeConfig, LocalDefaults) {
  ServeConfig c;
  ResolveFromEnvironment(c, Env({}));
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.user_pool_id, "us-east-1_cruddur");
  EXPECT_EQ(c.client_id, "cruddurlocalclient");
  EXPECT_EQ(c.connection_url, "./data/cruddur.sqlite3");
  EXPECT_EQ(c.table, "cruddur-messages");
  EXPECT_EQ(c.frontend_url, "http://localhost:3000");
  EXPECT_EQ(c.backend_url, "http://localhost:4567");
  EXPECT_TRUE(c.in_process_engine());
  EXPECT_TRUE(c.local_pool());
}

TEST(ServeConfig, SeedVariablesWin) {
  ServeConfig c;
  c.api_port = 5000;
  ResolveFromEnvironment(c, Env({{"AWS_DEFAULT_REGION", "ca-central-1"},
                                 {"AWS_COGNITO_USER_POOL_ID", "ca-central-1_AbC123"},
                                 {"AWS_COGNITO_USER_POOL_CLIENT_ID", "abc123"},
                                 {"CONNECTION_URL", "postgresql://u:secret@db:5432/cruddur"},
                                 {"DDB_MESSAGE_TABLE", "msgs"},
                                 {"FRONTEND_URL", "https://app.example"},
                                 {"BACKEND_URL", "https://api.example"}}));
  EXPECT_EQ(c.region, "ca-central-1");
  EXPECT_EQ(c.user_pool_id, "ca-central-1_AbC123");
  EXPECT_EQ(c.client_id, "abc123");
  EXPECT_EQ(c.connection_url, "postgresql://u:secret@db:5432/cruddur");
  EXPECT_EQ(c.table, "msgs");
  EXPECT_EQ(c.frontend_url, "https://app.example");
  EXPECT_EQ(c.backend_url, "https://api.example");
}

TEST(ServeConfig, RegionFallsBackToAwsRegionAndPoolFollowsIt) {
  ServeConfig c;
  ResolveFromEnvironment(c, Env({{"AWS_REGION", "eu-west-1"}}));
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.user_pool_id, "eu-west-1_cruddur");
}

TEST(ServeConfig, InMemoryUsesAPrivateSqliteDatabase) {
  ServeConfig c;
  c.in_memory = true;
  ResolveFromEnvironment(c, Env({}));
  EXPECT_EQ(c.connection_url, "sqlite::memory:");
}

TEST(ServeConfig, ExternalEndpointMovesTheMessagesOut) {
  ServeConfig c;
  ResolveFromEnvironment(c, Env({{"AWS_ENDPOINT_URL", "http://scylla:8000"}}));
  EXPECT_EQ(c.ddb_endpoint_url, "http://scylla:8000");
  EXPECT_FALSE(c.in_process_engine());
  EXPECT_TRUE(c.local_pool());
}

TEST(ServeConfig, EndpointNamingOurOwnPortIsIgnored) {
  for (const char* url : {"http://localhost:8000", "http://127.0.0.1:8000/"}) {
    ServeConfig c;
    ResolveFromEnvironment(c, Env({{"AWS_ENDPOINT_URL", url}}));
    EXPECT_TRUE(c.ddb_endpoint_url.empty()) << url;
    EXPECT_TRUE(c.in_process_engine()) << url;
  }
  ServeConfig other_port;
  ResolveFromEnvironment(other_port, Env({{"AWS_ENDPOINT_URL", "http://localhost:8001"}}));
  EXPECT_EQ(other_port.ddb_endpoint_url, "http://localhost:8001");
}

TEST(ServeConfig, ProdIgnoresEndpointAndLocalPool) {
  ServeConfig c;
  c.prod = true;
  ResolveFromEnvironment(c, Env({{"AWS_ENDPOINT_URL", "http://scylla:8000"}}));
  EXPECT_TRUE(c.ddb_endpoint_url.empty());
  EXPECT_FALSE(c.in_process_engine());
  EXPECT_FALSE(c.local_pool());
}

TEST(ServeConfig, BannerMasksPasswords) {
  EXPECT_EQ(MaskPassword("postgresql://u:secret@db:5432/x"), "postgresql://u:***@db:5432/x");
  EXPECT_EQ(MaskPassword("postgresql://u@db/x"), "postgresql://u@db/x");
  EXPECT_EQ(MaskPassword("./data/cruddur.sqlite3"), "./data/cruddur.sqlite3");
  ServeConfig c;
  ResolveFromEnvironment(c, Env({{"CONNECTION_URL", "postgresql://u:secret@db/x"}}));
  bool seen = false;
  for (const auto& [k, v] : DescribeConfig(c)) {
    EXPECT_EQ(v.find("secret"), std::string::npos) << k;
    seen |= k == "CONNECTION_URL";
  }
  EXPECT_TRUE(seen);
}

TEST(ServeConfig, TlsMakesTheDefaultUrlsHttps) {
  ServeConfig c;
  EXPECT_STREQ(c.scheme(), "http");
  c.tls_cert_path = "cert.pem";
  c.tls_key_path = "key.pem";
  EXPECT_STREQ(c.scheme(), "https");
  ResolveFromEnvironment(c, Env({}));
  EXPECT_EQ(c.frontend_url, "https://localhost:3000");
  EXPECT_EQ(c.backend_url, "https://localhost:4567");
  // The web app's configuration: https URLs for the page's host.
  rapidjson::Document doc;
  doc.Parse(WebAppConfigJson(WebAppConfigFor(c, 40001, 40002), "127.0.0.1:3000").c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["apiUrl"].GetString(), "https://127.0.0.1:40001");
  EXPECT_STREQ(doc["cognitoEndpoint"].GetString(), "https://127.0.0.1:40002");
  // Variables still win.
  ServeConfig d = c;
  ResolveFromEnvironment(d, Env({{"FRONTEND_URL", "http://localhost:5173"},
                                 {"BACKEND_URL", "https://api.example.com"}}));
  EXPECT_EQ(d.frontend_url, "http://localhost:5173");
  EXPECT_EQ(WebAppConfigFor(d, 4567, 8000).api_url, "https://api.example.com");
}

}  // namespace
}  // namespace cruddur::serve
