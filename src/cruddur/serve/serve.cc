#include "cruddur/serve/serve.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "aws/engine/engine_transport.h"
#include "base/owner_only.h"
#include "cruddur/api/api_handler.h"
#include "cruddur/auth/jwks_http.h"
#include "cruddur/auth/token_verifier.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/serve/directory_link.h"
#include "cruddur/serve/front_handler.h"
#include "cruddur/serve/live_events.h"
#include "cruddur/serve/local_seed.h"
#include "cruddur/serve/log.h"
#include "cruddur/serve/web_config.h"
#include "cruddur/serve/web_handler.h"
#include "cruddur/serve/web_root.h"
#include "ddb/engine/engine.h"
#include "server/access_policy.h"
#include "server/dynamodb_handler.h"
#include "server/request_audit.h"
#include "server/tls_flags.h"

namespace cruddur::serve {

namespace {

struct StartFailure {
  std::string reason;
};

// Everything the process runs, declared in start-up order: members are
// destroyed in reverse, after Stop() has stopped the servers and drained
// their workers.
struct Stack {
  std::shared_ptr<net::TlsContext> tls;  // null: plain HTTP
  std::shared_ptr<net::AuditLog> audit;  // null: none
  std::unique_ptr<WebHandler> web;
  std::unique_ptr<net::HttpServer> web_http;
  std::unique_ptr<ddb::Engine> engine;
  std::unique_ptr<aws::AwsJsonClient> dynamodb;
  std::unique_ptr<users::UsersDirectory> directory;
  std::unique_ptr<userpool::UserPool> pool;
  std::shared_ptr<aws::HttpClient> jwks_http;
  std::unique_ptr<auth::TokenVerifier> verifier;
  std::unique_ptr<messaging::MessageStore> store;
  std::unique_ptr<LiveEvents> events;  // null: no stream, /api/events is 404
  std::unique_ptr<server::DynamoDbHandler> ddb_handler;
  std::unique_ptr<FrontHandler> front;
  std::unique_ptr<net::HttpServer> front_http;
  std::unique_ptr<api::ApiHandler> api;
  std::unique_ptr<net::HttpServer> api_http;

  // Stops the listeners first (requests in flight are answered), then the
  // worker pools, then the engine.
  void Stop() {
    if (web_http) web_http->Stop();
    if (web) web->Drain();
    web_http.reset();
    web.reset();
    if (api_http) api_http->Stop();
    if (events) events->Stop();
    if (front_http) front_http->Stop();
    if (api) api->Drain();
    if (front) front->Drain();
    if (ddb_handler) ddb_handler->Drain();
    api_http.reset();
    front_http.reset();
    api.reset();
    front.reset();
    ddb_handler.reset();
    audit.reset();  // the last holder: writes the pending denial summaries
    if (engine) engine->Close();
  }
  ~Stack() { Stop(); }
};

template <typename T>
T Must(base::Result<T> r, const std::string& what) {
  if (!r.ok()) throw StartFailure{what + ": " + r.error().message};
  return std::move(r).value();
}

std::unique_ptr<aws::AwsJsonClient> DynamoDbClient(const ServeConfig& c, ddb::Engine* engine) {
  aws::ClientOptions options;
  options.attempt_timeout = std::chrono::seconds(10);
  options.total_timeout = std::chrono::seconds(20);
  if (engine) {
    return std::make_unique<aws::AwsJsonClient>(std::make_unique<aws::EngineTransport>(engine),
                                                options);
  }
  aws::ClientConfig config;
  config.region = c.region;
  if (c.prod) {
    config.public_endpoint = true;
  } else {
    config.endpoint_url = c.ddb_endpoint_url;
    config.default_credentials = aws::Credentials{"cruddur-local", "cruddur-local", ""};
  }
  return Must(aws::AwsJsonClient::FromEnvironment(aws::kDynamoDB, config, aws::ProcessEnvironment(),
                                                  options),
              "DynamoDB client");
}

// `options` with the connection limits of the configuration and the
// stack's TLS context.
net::HttpServerOptions WithLimits(net::HttpServerOptions options, const ServeConfig& c,
                                  const Stack& s) {
  options.limits = c.http_limits;
  options.tls = s.tls;
  return options;
}

std::unique_ptr<net::HttpServer> Listen(const std::string& host, uint16_t port,
                                        net::HttpServerOptions options, net::HttpHandler handler,
                                        const std::string& what) {
  auto http = std::make_unique<net::HttpServer>(std::move(options));
  std::string error;
  if (!http->Start(host, port, std::move(handler), &error)) {
    throw StartFailure{"cannot listen for the " + what + " on " + host + ":" +
                       std::to_string(port) + ": " + error};
  }
  return http;
}

// The URL a person opens for the web app: localhost for a loopback or
// wildcard address (FRONTEND_URL's origin), else the address itself.
std::string BrowserHost(const std::string& host) {
  if (host == "127.0.0.1" || host == "0.0.0.0" || host == "::" || host == "::1" ||
      host == "localhost") {
    return "localhost";
  }
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string WebUrl(const ServeConfig& c, const net::HttpServer& web) {
  return std::string(c.scheme()) + "://" + BrowserHost(c.host) + ":" + std::to_string(web.port()) +
         "/";
}

void Banner(const ServeConfig& c, const Stack& s, const SeedSummary* seeded) {
  for (const auto& [k, v] : DescribeConfig(c)) {
    std::fprintf(stderr, "cruddur serve: %s=%s\n", k.c_str(), v.c_str());
  }
  const std::string base = std::string(c.scheme()) + "://" + c.host + ":";
  std::fprintf(stderr, "cruddur serve: API           %s%u/api/message_groups\n", base.c_str(),
               s.api_http->port());
  if (s.front_http) {
    std::fprintf(stderr, "cruddur serve: DynamoDB      %s%u%s\n", base.c_str(),
                 s.front_http->port(), s.engine ? "" : " (user pool only)");
    std::fprintf(stderr,
                 "cruddur serve: user pool     %s%u (pool %s, app client %s; JWKS at "
                 "/%s/.well-known/jwks.json)\n",
                 base.c_str(), s.front_http->port(), c.user_pool_id.c_str(), c.client_id.c_str(),
                 c.user_pool_id.c_str());
  }
  if (s.web_http) {
    std::fprintf(stderr, "cruddur serve: web app       %s%s\n", WebUrl(c, *s.web_http).c_str(),
                 s.web->AppBuilt() ? "  <- open this"
                                   : "  NOT BUILT (run scripts/web.sh; meanwhile it says how)");
    std::fprintf(stderr, "cruddur serve: web root      %s\n", s.web->root().c_str());
  }
  if (seeded && s.pool) {
    std::fprintf(stderr,
                 "cruddur serve: dev users     andrew@exampro.co, bayko@exampro.co, "
                 "lmollari@centari.com, andrew@cloudprojectbootcamp.com; password %s\n",
                 kDevPassword);
    std::fprintf(stderr,
                 "cruddur serve: sign in       aws cognito-idp initiate-auth --endpoint-url "
                 "%s%u%s --auth-flow USER_PASSWORD_AUTH --client-id %s --auth-parameters "
                 "USERNAME=andrew@exampro.co,PASSWORD='%s'\n",
                 base.c_str(), s.front_http->port(),
                 s.tls ? (" --ca-bundle " + c.tls_cert_path).c_str() : "", c.client_id.c_str(),
                 kDevPassword);
  }
  std::fflush(stderr);
}

// Who may use the :8000 endpoint, from --credentials, --cors (else
// FRONTEND_URL and the dev servers' origins) and --allowed-host.
std::shared_ptr<const server::AccessPolicy> AccessFor(const ServeConfig& c) {
  server::AccessOptions ao;
  ao.region = c.region;
  ao.allowed_hosts = c.allowed_hosts;
  ao.allowed_origins = server::SplitOrigins(c.cors);
  if (ao.allowed_origins.empty()) {
    ao.allowed_origins = server::SplitOrigins(c.frontend_url);
    for (std::string_view o : server::kDefaultOrigins) ao.allowed_origins.emplace_back(o);
  }
  if (!c.credentials_path.empty()) {
    ao.credentials = std::make_shared<const server::CredentialsFile>(
        Must(server::LoadCredentialsFile(c.credentials_path), "--credentials"));
  }
  return std::make_shared<const server::AccessPolicy>(std::move(ao));
}

// The API's handler behind the Host rule of a local stack without a
// credentials file (DNS rebinding). A refusal is recorded in `audit` (when
// given) under `event_source`.
net::HttpHandler GuardHost(std::shared_ptr<const server::AccessPolicy> access,
                           net::HttpHandler inner, std::shared_ptr<net::AuditLog> audit = nullptr,
                           std::string event_source = "") {
  return [access = std::move(access), inner = std::move(inner), audit = std::move(audit),
          event_source = std::move(event_source)](net::HttpRequest&& r, net::Responder out) {
    auto host = r.find(boost::beast::http::field::host);
    if (host != r.end() && !access->HostAllowed({host->value().data(), host->value().size()})) {
      if (audit) {
        audit->Record(server::DenialFor(
            r, event_source, std::string_view(r.method_string().data(), r.method_string().size()),
            server::ClientAddress(out), "", "host_not_allowed", "Host not allowed"));
      }
      net::HttpResponse res{boost::beast::http::status::forbidden, 11};
      res.set(boost::beast::http::field::content_type, "application/json");
      res.body() = R"({"errors":["host_not_allowed"]})";
      return out.Send(std::move(res));
    }
    inner(std::move(r), std::move(out));
  };
}

// The web app's listener (web_handler.h), started before the rest so that
// with --web-port 0 FRONTEND_URL can become its origin (the API and the pool
// allow FRONTEND_URL). Its Host rule is the API's.
void StartWeb(ServeConfig& c, Stack& s) {
  if (!c.web) return;
  if (!c.prod) {
    if (auto reason = server::CheckExposure(c.host, !c.credentials_path.empty())) {
      throw StartFailure{*reason};
    }
  }
  s.web = std::make_unique<WebHandler>(c.web_root.empty() ? DefaultWebRoot()
                                                          : std::filesystem::path(c.web_root));
  WebHandler* web = s.web.get();
  net::HttpHandler routes = [web](net::HttpRequest&& r, net::Responder out) {
    web->Handle(std::move(r), std::move(out));
  };
  if (!c.prod && c.credentials_path.empty()) {
    server::AccessOptions hosts;
    hosts.allowed_hosts = c.allowed_hosts;
    routes = GuardHost(std::make_shared<const server::AccessPolicy>(std::move(hosts)),
                       std::move(routes));
  }
  net::HttpServerOptions options;
  options.threads = 1;
  options.max_body_bytes = 64u << 10;
  const uint16_t port = WebPort(c);
  if (c.web_port < 0) {
    // The default port: busy (a dev server, another stack) means no web app.
    auto http = std::make_unique<net::HttpServer>(WithLimits(options, c, s));
    std::string error;
    if (!http->Start(c.host, port, std::move(routes), &error)) {
      std::fprintf(stderr,
                   "cruddur serve: web app       not served: %s:%u is busy (%s); use --web-port\n",
                   c.host.c_str(), port, error.c_str());
      LogEvent("web_not_served", {{"port", std::to_string(port)}, {"reason", error}});
      s.web.reset();
      return;
    }
    s.web_http = std::move(http);
    return;
  }
  s.web_http = Listen(c.host, port, WithLimits(options, c, s), std::move(routes), "web app");
  if (port == 0) {
    c.frontend_url = std::string(c.scheme()) + "://" + BrowserHost(c.host) + ":" +
                     std::to_string(s.web_http->port());
  }
}

void Start(const ServeConfig& c, Stack& s) {
  std::shared_ptr<const server::AccessPolicy> access;
  if (!c.prod) {
    access = AccessFor(c);
    if (auto reason = server::CheckExposure(c.host, access->credentials_mode())) {
      throw StartFailure{*reason};
    }
  }
  if (!c.in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(c.data_dir, ec);
    if (ec) throw StartFailure{"cannot create " + c.data_dir + ": " + ec.message()};
    // Messages, users and the pool's secrets: the owner's only (0700/0600).
    if (auto e = base::MakeOwnerOnly(c.data_dir, true); !e.empty()) throw StartFailure{e};
  }
  if (net::AuditLogOptions ao = server::ResolveAuditLog(c.audit_log, c.in_memory ? "" : c.data_dir);
      !ao.path.empty()) {
    std::string error;
    s.audit = net::AuditLog::Open(std::move(ao), &error);
    if (!s.audit) throw StartFailure{"--audit-log: " + error};
  }
  if (c.in_process_engine()) {
    ddb::EngineOptions eo;
    eo.region = c.region;
    // ARNs carry the credentials file's account, as the permission checks do.
    if (access && access->credentials()) eo.account = access->credentials()->account_id;
    eo.store.path = c.data_dir + "/ddb";
    eo.store.in_memory = c.in_memory;
    eo.store.sync = !c.in_memory;
    eo.throttling = c.throttling;
    s.engine = Must(ddb::Engine::Open(eo), "DynamoDB engine (" + eo.store.path + ")");
  }
  s.dynamodb = DynamoDbClient(c, s.engine.get());
  s.directory = Must(users::OpenUsersDirectory(c.connection_url), "users database");
  users::UsersDirectory* directory = s.directory.get();

  if (c.local_pool()) {
    userpool::UserPoolOptions po;
    po.region = c.region;
    po.pool_id = c.user_pool_id;
    po.client_id = c.client_id;
    po.data_dir = c.in_memory ? "" : c.data_dir;
    ConfigurePool(c, po);
    po.pre_sign_up = [directory](const userpool::PoolUser& u) {
      return CheckHandleFree(*directory, u);
    };
    po.on_confirmed = [directory](const userpool::PoolUser& u) {
      if (auto st = LinkConfirmedUser(*directory, u); !st.ok()) {
        LogEvent("userpool_link_failed", {{"sub", u.sub}, {"reason", st.error().message}});
      }
    };
    po.on_deleted = [directory](const userpool::PoolUser& u) {
      if (auto st = UnlinkDeletedUser(*directory, u); !st.ok()) {
        LogEvent("userpool_unlink_failed", {{"sub", u.sub}, {"reason", st.error().message}});
      }
    };
    po.deliver_code = [](const userpool::PoolUser& u, std::string_view code) {
      // There is no e-mail locally: the confirmation code goes to the log.
      LogEvent(
          "userpool_confirmation_code",
          {{"email", u.Attribute("email")}, {"username", u.username}, {"code", std::string(code)}});
    };
    s.pool = Must(userpool::UserPool::Open(std::move(po)), "user pool");
  }

  SeedSummary seeded;
  if (c.seed && !c.prod) {
    seeded = Must(SeedLocalStack(*s.dynamodb, c.table, *directory, s.pool.get()), "seeding");
    if (seeded.table_created) {
      LogEvent("seeded", {{"table", c.table},
                          {"messages", std::to_string(seeded.messages_written)},
                          {"users", std::to_string(seeded.users_inserted)}});
    }
  } else if (auto st = directory->CreateSchema(); !st.ok()) {
    throw StartFailure{"users database: " + st.error().message};
  }

  auth::TokenVerifierConfig vc;
  vc.region = c.region;
  vc.user_pool_id = c.user_pool_id;
  vc.client_id = c.client_id;
  if (s.pool) {
    userpool::UserPool* pool = s.pool.get();
    vc.jwks_source = [pool]() -> base::Result<std::string> { return pool->JwksJson(); };
  } else {
    s.jwks_http = std::make_shared<aws::HttpClient>();
    vc.jwks_source =
        auth::HttpJwksSource(s.jwks_http, auth::CognitoJwksUrl(c.region, c.user_pool_id));
  }
  s.verifier = std::make_unique<auth::TokenVerifier>(std::move(vc));

  messaging::MessageStoreOptions mo;
  mo.table = c.table;
  s.store = std::make_unique<messaging::MessageStore>(s.dynamodb.get(), mo);

  if (s.engine || s.pool) {
    if (s.engine) {
      server::HandlerOptions ho;
      ho.region = c.region;
      ho.access = access;
      ho.audit = s.audit;
      s.ddb_handler = std::make_unique<server::DynamoDbHandler>(s.engine.get(), ho);
    }
    s.front = std::make_unique<FrontHandler>(s.ddb_handler.get(), s.pool.get(), access,
                                             /*pool_threads=*/4, s.audit);
    FrontHandler* front = s.front.get();
    s.front_http = Listen(
        c.host, c.ddb_port, WithLimits(server::MakeHttpServerOptions(0), c, s),
        [front](net::HttpRequest&& r, net::Responder out) {
          front->Handle(std::move(r), std::move(out));
        },
        "DynamoDB endpoint");
  }

  api::ApiOptions ao;
  ao.frontend_url = c.frontend_url;
  ao.backend_url = c.backend_url;
  if (access) {
    for (const std::string& o : access->options().allowed_origins) {
      if (o != "*") ao.extra_origins.push_back(o);
    }
  }
  ao.access_log = [](std::string_view line) { WriteLogLine(line); };
  s.events = StartLiveEvents(c, s.engine.get(), s.dynamodb.get(), s.store.get());
  if (s.events) {
    ao.events = s.events->hub.get();
    ao.message_stored = s.events->wake_on_write;
  }
  s.api = std::make_unique<api::ApiHandler>(s.store.get(), directory, s.verifier.get(), ao);
  api::ApiHandler* api = s.api.get();
  net::HttpHandler api_routes = [api](net::HttpRequest&& r, net::Responder out) {
    api->Handle(std::move(r), std::move(out));
  };
  if (access && !access->credentials_mode()) {
    api_routes = GuardHost(access, std::move(api_routes), s.audit, "cruddur-api");
  }
  s.api_http = Listen(c.host, c.api_port, WithLimits(api::MakeApiServerOptions(0), c, s),
                      std::move(api_routes), "API");

  if (s.web) {
    s.web->SetConfig(
        WebAppConfigFor(c, s.api_http->port(), s.front_http ? s.front_http->port() : 0));
  }
  Banner(c, s, c.seed && !c.prod ? &seeded : nullptr);
  const std::string base = std::string(c.scheme()) + "://" + c.host + ":";
  LogEvent("ready", {{"api", base + std::to_string(s.api_http->port())},
                     {"dynamodb",
                      s.front_http ? base + std::to_string(s.front_http->port()) : std::string()},
                     {"web", s.web_http ? WebUrl(c, *s.web_http) : std::string()}});
}

}  // namespace

int RunServe(const ServeConfig& given) {
  ServeConfig config = given;  // StartWeb may settle FRONTEND_URL
  // Every thread started from here on inherits the blocked signals, so
  // only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Stack stack;
  try {
    std::string tls_error;
    stack.tls = server::TlsFromFlags(config.tls_cert_path, config.tls_key_path, &tls_error);
    if (!tls_error.empty()) throw StartFailure{tls_error};
    StartWeb(config, stack);
    Start(config, stack);
  } catch (const StartFailure& f) {
    std::fprintf(stderr, "cruddur serve: %s\n", f.reason.c_str());
    return 1;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  LogEvent("stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  stack.Stop();
  LogEvent("stopped");
  return 0;
}

}  // namespace cruddur::serve
