// The web app's origin: content types, caching, SPA fallback, traversal
// refusal and /config.json (web_handler.h, static_path.h, web_config.h,
// web_root.h).
#include "cruddur/serve/web_handler.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <boost/beast/http/field.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cruddur/serve/serve_config.h"
#include "cruddur/serve/static_path.h"
#include "cruddur/serve/web_config.h"
#include "cruddur/serve/web_root.h"

namespace cruddur::serve {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

void Write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

class WebHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cruddur-web-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    Write(root_ / "index.html", "<!doctype html><title>Cruddur</title>");
    Write(root_ / "assets" / "index-C9riEhXv.js", "console.log(1)");
    Write(root_ / "assets" / "index-C9riEhXv.css", "body{}");
    Write(root_ / "favicon.svg", "<svg/>");
    Write(root_ / "logo.PNG", "png");
    Write(root_ / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "outside the root");
    fs::create_directories(root_ / "nested");
    fs::create_symlink(base_ / "secret.txt", root_ / "out.txt");
    fs::create_directory_symlink(base_, root_ / "up");
    fs::create_symlink(root_ / "favicon.svg", root_ / "icon.svg");  // inside: fine
    handler_ = std::make_unique<WebHandler>(root_);
  }
  void TearDown() override {
    handler_.reset();
    fs::remove_all(base_);
  }

  net::HttpResponse Get(const std::string& target, http::verb verb = http::verb::get,
                        const std::string& host = "localhost:3000") {
    net::HttpRequest req{verb, target, 11};
    if (!host.empty()) req.set(http::field::host, host);
    return handler_->Serve(req);
  }
  static std::string Header(const net::HttpResponse& res, http::field f) {
    auto it = res.find(f);
    return it == res.end() ? "" : std::string(it->value());
  }

  fs::path base_, root_;
  std::unique_ptr<WebHandler> handler_;
};

TEST_F(WebHandlerTest, ServesFilesWithTheirContentType) {
  struct Case {
    const char* target;
    const char* type;
    const char* body;
  };
  for (const Case& c : {
           Case{"/assets/index-C9riEhXv.js", "text/javascript; charset=utf-8", "console.log(1)"},
           Case{"/assets/index-C9riEhXv.css", "text/css; charset=utf-8", "body{}"},
           Case{"/favicon.svg", "image/svg+xml", "<svg/>"},
           Case{"/icon.svg", "image/svg+xml", "<svg/>"},
           Case{"/logo.PNG", "image/png", "png"},
           Case{"/index.html", "text/html; charset=utf-8", "<!doctype html><title>Cruddur</title>"},
           Case{"/favicon.svg?v=2", "image/svg+xml", "<svg/>"},
           Case{"/%66avicon.svg", "image/svg+xml", "<svg/>"},
       }) {
    net::HttpResponse res = Get(c.target);
    EXPECT_EQ(res.result_int(), 200u) << c.target;
    EXPECT_EQ(Header(res, http::field::content_type), c.type) << c.target;
    EXPECT_EQ(res.body(), c.body) << c.target;
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  }
}

TEST_F(WebHandlerTest, ContentTypeTable) {
  EXPECT_EQ(ContentTypeFor("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.ICO"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("a.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("LICENSE"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("a.exe"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.d/file"), "application/octet-stream");
}

TEST_F(WebHandlerTest, CachesHashedAssetsAndNeverTheIndex) {
  EXPECT_EQ(Header(Get("/assets/index-C9riEhXv.js"), http::field::cache_control),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(Get("/index.html"), http::field::cache_control), "no-store");
  EXPECT_EQ(Header(Get("/messages"), http::field::cache_control), "no-store");
  EXPECT_EQ(Header(Get("/favicon.svg"), http::field::cache_control), "no-cache");
}

TEST_F(WebHandlerTest, PathsThatAreNotFilesGetTheIndex) {
  for (const char* target : {"/", "/messages", "/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399",
                             "/messages/new/bayko", "/signin?next=%2Fmessages", "/nested",
                             "/nested/", "/no/such/file.js", "/.env", "/assets", "//messages"}) {
    net::HttpResponse res = Get(target);
    EXPECT_EQ(res.result_int(), 200u) << target;
    EXPECT_EQ(Header(res, http::field::content_type), "text/html; charset=utf-8") << target;
    EXPECT_EQ(res.body(), "<!doctype html><title>Cruddur</title>") << target;
  }
}

TEST_F(WebHandlerTest, AMissingHashedAssetIsNotFound) {
  net::HttpResponse res = Get("/assets/index-OLDHASH.js");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(Header(res, http::field::content_type), "text/plain; charset=utf-8");
}

TEST_F(WebHandlerTest, TraversalIsRefused) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2e/secret.txt",
        "/.%2e/secret.txt", "/assets%2f..%2f..%2fsecret.txt", "/..", "/./index.html",
        "/..%5csecret.txt", "/%00", "/%zz", "/%2", "*", "secret.txt", "/a\\..\\secret.txt"}) {
    net::HttpResponse res = Get(target);
    EXPECT_EQ(res.result_int(), 400u) << target;
    EXPECT_EQ(res.body().find("outside the root"), std::string::npos) << target;
  }
  // Symbolic links out of the root exist but are not served.
  for (const char* target : {"/out.txt", "/up/secret.txt"}) {
    net::HttpResponse res = Get(target);
    EXPECT_EQ(res.result_int(), 404u) << target;
    EXPECT_EQ(res.body().find("outside the root"), std::string::npos) << target;
  }
}

TEST_F(WebHandlerTest, HeadHasNoBodyAndOtherMethodsAreRefused) {
  net::HttpResponse head = Get("/assets/index-C9riEhXv.js", http::verb::head);
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(Header(head, http::field::content_type), "text/javascript; charset=utf-8");
  EXPECT_TRUE(head.body().empty());
  for (http::verb v :
       {http::verb::post, http::verb::put, http::verb::delete_, http::verb::options}) {
    net::HttpResponse res = Get("/index.html", v);
    EXPECT_EQ(res.result_int(), 405u);
    EXPECT_EQ(Header(res, http::field::allow), "GET, HEAD");
  }
}

TEST_F(WebHandlerTest, ConfigJsonFromTheRunningConfiguration) {
  EXPECT_EQ(Get("/config.json").result_int(), 503u);  // not configured yet

  ServeConfig c;
  c.api_port = 4567;
  ResolveFromEnvironment(c, [](std::string_view) { return std::nullopt; });
  handler_->SetConfig(WebAppConfigFor(c, 4567, 8000));
  net::HttpResponse res = Get("/config.json");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_EQ(Header(res, http::field::content_type), "application/json");
  EXPECT_EQ(Header(res, http::field::cache_control), "no-store");
  rapidjson::Document doc;
  doc.Parse(res.body().c_str());
  ASSERT_TRUE(doc.IsObject()) << res.body();
  EXPECT_STREQ(doc["apiUrl"].GetString(), "http://localhost:4567");
  EXPECT_STREQ(doc["region"].GetString(), "us-east-1");
  EXPECT_STREQ(doc["userPoolId"].GetString(), "us-east-1_cruddur");
  EXPECT_STREQ(doc["userPoolClientId"].GetString(), "cruddurlocalclient");
  EXPECT_STREQ(doc["cognitoEndpoint"].GetString(), "http://localhost:8000");
  EXPECT_STREQ(doc["authFlow"].GetString(), "USER_SRP_AUTH");
  EXPECT_TRUE(doc["local"].GetBool());
  EXPECT_EQ(doc["pollIntervalMs"].GetInt(), 5000);
  EXPECT_EQ(doc.MemberCount(), 8u);

  // The page's host name, with the ports actually bound.
  handler_->SetConfig(WebAppConfigFor(c, 40001, 40002));
  doc.Parse(Get("/config.json", http::verb::get, "127.0.0.1:3000").body().c_str());
  EXPECT_STREQ(doc["apiUrl"].GetString(), "http://127.0.0.1:40001");
  EXPECT_STREQ(doc["cognitoEndpoint"].GetString(), "http://127.0.0.1:40002");
  // A Host that is no plain host name becomes localhost.
  doc.Parse(Get("/config.json", http::verb::get, "evil\"host:1").body().c_str());
  EXPECT_STREQ(doc["apiUrl"].GetString(), "http://localhost:40001");
  doc.Parse(Get("/config.json", http::verb::get, "[::1]:3000").body().c_str());
  EXPECT_STREQ(doc["apiUrl"].GetString(), "http://[::1]:40001");

  // A BACKEND_URL of its own wins; --prod has no local pool.
  ServeConfig prod;
  prod.prod = true;
  ResolveFromEnvironment(prod, [](std::string_view name) -> std::optional<std::string> {
    if (name == "BACKEND_URL") return "https://api.example";
    if (name == "AWS_COGNITO_USER_POOL_ID") return "us-east-1_AbC123";
    return std::nullopt;
  });
  handler_->SetConfig(WebAppConfigFor(prod, 4567, 0));
  doc.Parse(Get("/config.json").body().c_str());
  EXPECT_STREQ(doc["apiUrl"].GetString(), "https://api.example");
  EXPECT_STREQ(doc["userPoolId"].GetString(), "us-east-1_AbC123");
  EXPECT_TRUE(doc["cognitoEndpoint"].IsNull());
  EXPECT_FALSE(doc["local"].GetBool());

  // A config.json file in the root does not replace the generated one.
  Write(root_ / "config.json", R"({"apiUrl":"stale"})");
  EXPECT_EQ(Get("/config.json").body().find("stale"), std::string::npos);
}

TEST_F(WebHandlerTest, WithoutABuildEveryPageSaysHowToBuild) {
  fs::remove(root_ / "index.html");
  EXPECT_FALSE(handler_->AppBuilt());
  net::HttpResponse res = Get("/messages");
  EXPECT_EQ(res.result_int(), 503u);
  EXPECT_EQ(Header(res, http::field::content_type), "text/html; charset=utf-8");
  EXPECT_NE(res.body().find("scripts/web.sh"), std::string::npos);
  EXPECT_NE(res.body().find(root_.string()), std::string::npos);
  // A build made later is served at once.
  Write(root_ / "index.html", "built");
  EXPECT_TRUE(handler_->AppBuilt());
  EXPECT_EQ(Get("/messages").body(), "built");
}

TEST_F(WebHandlerTest, MissingRootIsNotBuilt) {
  WebHandler none(base_ / "nowhere");
  net::HttpRequest req{http::verb::get, "/", 11};
  EXPECT_EQ(none.Serve(req).result_int(), 503u);
}

TEST(WebRoot, FoundFromTheBinaryThenTheWorkingDirectory) {
  const fs::path base =
      fs::temp_directory_path() / ("cruddur-webroot-" + std::to_string(::getpid()));
  fs::remove_all(base);
  Write(base / "repo" / "web" / "package.json", "{}");
  fs::create_directories(base / "repo" / "build" / "bin");
  fs::create_directories(base / "elsewhere");
  EXPECT_EQ(FindWebRoot(base / "repo" / "build" / "bin", base / "elsewhere"),
            base / "repo" / "web" / "dist");
  EXPECT_EQ(FindWebRoot(base / "elsewhere", base / "repo"), base / "repo" / "web" / "dist");
  EXPECT_EQ(FindWebRoot("", base / "repo" / "build"), base / "repo" / "web" / "dist");
  EXPECT_EQ(FindWebRoot(base / "elsewhere", base / "elsewhere"),
            base / "elsewhere" / "web" / "dist");
  fs::remove_all(base);
}

TEST(ServeConfigWeb, WebPortFollowsFrontendUrl) {
  EXPECT_EQ(UrlPort("http://localhost:3000"), 3000);
  EXPECT_EQ(UrlPort("http://[::1]:3001/"), 3001);
  EXPECT_EQ(UrlPort("https://app.example"), 0);
  EXPECT_EQ(UrlPort("http://localhost:99999"), 0);
  ServeConfig c;
  ResolveFromEnvironment(c, [](std::string_view) { return std::nullopt; });
  EXPECT_EQ(WebPort(c), 3000);
  ServeConfig d;
  ResolveFromEnvironment(d, [](std::string_view n) -> std::optional<std::string> {
    if (n == "FRONTEND_URL") return "http://localhost:3100";
    return std::nullopt;
  });
  EXPECT_EQ(WebPort(d), 3100);
  ServeConfig e;
  e.web_port = 0;
  ResolveFromEnvironment(e, [](std::string_view) { return std::nullopt; });
  EXPECT_EQ(WebPort(e), 0);
}

}  // namespace
}  // namespace cruddur::serve
