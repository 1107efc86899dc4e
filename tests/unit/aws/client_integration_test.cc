// AwsJsonClient end to end: CreateTable, PutItem, GetItem and an error,
// once over signed HTTP against a real ddb-server (build/bin/ddb-server
// --port 0 --in-memory, started per test suite) and once in-process through
// EngineTransport. Both must give the same answers, since the point of
// JsonTransport is that callers cannot tell them apart.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "aws/client.h"
#include "aws/engine/engine_transport.h"
#include "aws/http_json_transport.h"
#include "ddb/common/error.h"

namespace aws {
namespace {

namespace fs = std::filesystem;

// A ddb-server child process on an ephemeral port.
class ServerProcess {
 public:
  // Starts build/bin/ddb-server (next to this test binary); false if absent
  // or it does not report a port.
  bool Start() {
    fs::path bin = fs::read_symlink("/proc/self/exe").parent_path() / "ddb-server";
    if (!fs::exists(bin)) return false;
    int fds[2];
    if (pipe(fds) != 0) return false;
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(bin.c_str(), "ddb-server", "--port", "0", "--in-memory", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[512] = {0};
    bool got = fgets(line, sizeof(line), out) != nullptr;
    fclose(out);  // the server writes nothing more to stdout
    if (!got) return false;
    std::string text = line;
    size_t at = text.find("listening on http://127.0.0.1:");
    if (at == std::string::npos) return false;
    url_ = "http://127.0.0.1:" + std::to_string(std::stoi(text.substr(at + 30)));
    return true;
  }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  ~ServerProcess() { Stop(); }
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

ServerProcess* server = nullptr;

class OverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new ServerProcess;
    if (!server->Start()) {
      delete server;
      server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void SetUp() override {
    if (server == nullptr) GTEST_SKIP() << "build/bin/ddb-server not built or did not start";
  }

  std::unique_ptr<AwsJsonClient> Client(ClientOptions options = {}) {
    std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", server->url()},
                                              {"AWS_REGION", "us-east-1"},
                                              {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                              {"AWS_SECRET_ACCESS_KEY", "secret"},
                                              {"HOME", "/nonexistent"}};
    auto client = AwsJsonClient::FromEnvironment(
        kDynamoDB, {},
        [env](std::string_view n) -> std::optional<std::string> {
          auto it = env.find(std::string(n));
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        options);
    EXPECT_TRUE(client.ok()) << client.error().message;
    return std::move(client).value();
  }
};

// The scenario both transports must pass. `table` keeps runs apart.
void CrudScenario(AwsJsonClient& client, const std::string& table) {
  auto created = client.Call(
      "CreateTable", R"({"TableName":")" + table +
                         R"(","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
                         R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
                         R"("BillingMode":"PAY_PER_REQUEST"})");
  ASSERT_TRUE(created.ok()) << created.error().Name() << ": " << created.error().message;
  EXPECT_NE(created->find(R"("TableName":")" + table + "\""), std::string::npos);

  auto put = client.Call(
      "PutItem", R"({"TableName":")" + table +
                     R"(","Item":{"pk":{"S":"k1"},"message":{"S":"héllo ✓"},"n":{"N":"42"}}})");
  ASSERT_TRUE(put.ok()) << put.error().message;

  rapidjson::Document req;
  req.Parse(R"({"Key":{"pk":{"S":"k1"}},"ConsistentRead":true})");
  req.AddMember("TableName", rapidjson::Value(table.c_str(), req.GetAllocator()),
                req.GetAllocator());
  auto got = client.CallJson("GetItem", req);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->HasMember("Item"));
  EXPECT_STREQ((*got)["Item"]["message"]["S"].GetString(), "héllo ✓");
  EXPECT_STREQ((*got)["Item"]["n"]["N"].GetString(), "42");

  // A conditional put that fails: a typed error, not retried.
  CallStats stats;
  auto conflict = client.Call(
      "PutItem",
      R"({"TableName":")" + table +
          R"j(","Item":{"pk":{"S":"k1"}},"ConditionExpression":"attribute_not_exists(pk)"})j",
      &stats);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().Name(), "ConditionalCheckFailedException");
  EXPECT_EQ(conflict.error().message, "The conditional request failed");
  EXPECT_EQ(stats.attempts, 1);

  auto missing = client.Call("GetItem", R"({"TableName":"no-such-table","Key":{"pk":{"S":"x"}}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ddb::ErrorCode::kResourceNotFound);
}

TEST_F(OverHttp, CreatePutGet) {
  auto client = Client();
  CrudScenario(*client, "aws-client-http");
}

TEST_F(OverHttp, ManyCallsFromManyThreadsShareConnections) {
  auto client = Client();
  ASSERT_TRUE(
      client
          ->Call(
              "CreateTable",
              R"({"TableName":"aws-client-threads","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
              R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
              R"("BillingMode":"PAY_PER_REQUEST"})")
          .ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string key = std::to_string(t) + "-" + std::to_string(i);
        auto r =
            client->Call("PutItem", R"({"TableName":"aws-client-threads","Item":{"pk":{"S":")" +
                                        key + R"("}}})");
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto scan = client->Call("Scan", R"({"TableName":"aws-client-threads","Select":"COUNT"})");
  ASSERT_TRUE(scan.ok());
  EXPECT_NE(scan->find(R"("Count":200)"), std::string::npos) << *scan;
}

TEST_F(OverHttp, UnknownOperationIsAClientError) {
  auto r = Client()->Call("NoSuchOperation", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "UnknownOperationException");
}

TEST(HttpTransport, ConnectionRefusedIsRetriedThenReported) {
  // A port nobody listens on: bind, read the port, close.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);

  HttpJsonTransportOptions t;
  t.endpoint = *ParseEndpointUrl("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  t.region = "us-east-1";
  t.credentials = {"AKIDEXAMPLE", "secret", ""};
  ClientOptions o;
  o.sleep = [](std::chrono::milliseconds) {};
  AwsJsonClient client(std::make_unique<HttpJsonTransport>(t), o);
  CallStats stats;
  auto r = client.Call("ListTables", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ConnectionError");
  EXPECT_NE(r.error().message.find("Could not connect to the endpoint URL"), std::string::npos);
  EXPECT_EQ(stats.attempts, 3);
}

TEST(EngineTransportTest, CreatePutGet) {
  ddb::EngineOptions o;
  o.store.in_memory = true;
  auto engine = ddb::Engine::Open(o);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  AwsJsonClient client(std::make_unique<EngineTransport>(engine->get()));
  CrudScenario(client, "aws-client-engine");
  (*engine)->Close();
}

TEST(EngineTransportTest, MalformedJsonIsASerializationException) {
  ddb::EngineOptions o;
  o.store.in_memory = true;
  auto engine = ddb::Engine::Open(o);
  ASSERT_TRUE(engine.ok());
  EngineTransport transport(engine->get());
  auto r = transport.RoundTrip("ListTables", "{not json", std::chrono::milliseconds(1000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "SerializationException");
  (*engine)->Close();
}

}  // namespace
}  // namespace aws
