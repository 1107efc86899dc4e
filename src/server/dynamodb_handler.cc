#include "server/dynamodb_handler.h"

#include <rapidjson/allocators.h>

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <cstring>
#include <future>
#include <optional>

#include "base/ascii.h"
#include "ddb/protocol/dynamodb_json.h"
#include "ddb/protocol/wire_error.h"
#include "ddb/storage/store.h"
#include "net/request_id.h"
#include "server/dispatch_policy.h"
#include "server/request_audit.h"

namespace server {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kJson10 = "application/x-amz-json-1.0";
// Bodies larger than this are parsed on a worker, not on the event loop.
constexpr size_t kInlineParseMaxBytes = 64u << 10;
constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
constexpr std::string_view kExposeHeaders =
    "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,"
    "x-amz-crc32,Date";

// "application/x-amz-json-1.0; charset=utf-8" -> "application/x-amz-json-1.0"
std::string_view MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
  return content_type;
}

// The response headers every answer carries; `allow_origin`: the admitted
// browser origin, if any.
net::HttpResponse MakeResponse(unsigned status, std::string_view content_type,
                               std::string_view request_id, std::string_view allow_origin = {}) {
  net::HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, content_type);
  res.set("x-amzn-RequestId", request_id);
  if (!allow_origin.empty()) {
    res.set(http::field::access_control_allow_origin, allow_origin);
    res.set(http::field::access_control_expose_headers, kExposeHeaders);
    res.set(http::field::vary, "Origin");
  }
  return res;
}

// An error as a DynamoDB JSON response.
net::HttpResponse ErrorResponse(const base::Error& policy_error, std::string_view request_id,
                                std::string_view allow_origin = {}) {
  const ddb::Error error = AsDynamoDbError(policy_error);
  net::HttpResponse res = MakeResponse(static_cast<unsigned>(ddb::protocol::WireStatus(error)),
                                       kJson10, request_id, allow_origin);
  ddb::protocol::WriteErrorBody(error, &res.body());
  return res;
}

}  // namespace

// One DynamoDB call on its way through: the parsed request (in arenas that
// make parsing a typical request allocation-free) and how to answer it.
struct DynamoDbHandler::Call {
  alignas(16) char value_arena[8192];
  alignas(16) char stack_arena[2048];
  rapidjson::MemoryPoolAllocator<> value_alloc{value_arena, sizeof value_arena};
  rapidjson::MemoryPoolAllocator<> stack_alloc{stack_arena, sizeof stack_arena};
  ddb::protocol::RequestDocument doc{&value_alloc, 1024, &stack_alloc};
  std::string operation;
  ddb::protocol::Service service = ddb::protocol::Service::kDynamoDB;
  std::string_view content_type = kJson10;
  char request_id[net::kRequestIdLength];
  std::string allow_origin;  // the admitted browser origin, if any
  net::Responder responder;
  // Auditing: the client's address, the log (null: none) and the event of
  // a control-plane call, recorded with its outcome when it is answered.
  std::string source_ip;
  net::AuditLog* audit_log = nullptr;
  std::optional<net::AuditEvent> audit;

  std::string_view id() const { return {request_id, net::kRequestIdLength}; }

  void Reply(unsigned status, std::string&& body) {
    if (audit) {
      SetOutcome(*audit, static_cast<int>(status), body);
      audit_log->Record(*audit);
      audit.reset();
    }
    net::HttpResponse res = MakeResponse(status, content_type, id(), allow_origin);
    res.body() = std::move(body);
    responder.Send(std::move(res));
  }
  void Fail(const base::Error& any_error) {
    const ddb::Error error = AsDynamoDbError(any_error);
    std::string body;
    ddb::protocol::WriteErrorBody(error, &body);
    Reply(static_cast<unsigned>(ddb::protocol::WireStatus(error)), std::move(body));
  }
};

DynamoDbHandler::DynamoDbHandler(ddb::Engine* engine, HandlerOptions options)
    : engine_(engine),
      options_(std::move(options)),
      access_(options_.access ? options_.access
                              : std::make_shared<const AccessPolicy>(AccessOptions{})),
      health_body_("healthy: dynamodb." + options_.region + ".amazonaws.com "),
      workers_(options_.worker_threads == 0 ? 1 : options_.worker_threads) {}

DynamoDbHandler::~DynamoDbHandler() { Drain(); }

void DynamoDbHandler::Drain() {
  workers_.join();
  // Writes answered after their sync (Lane::kInlineWrite): answered now.
  std::promise<void> answered;
  engine_->AfterSync([&answered](ddb::Status) { answered.set_value(); });
  answered.get_future().wait();
}

void DynamoDbHandler::Handle(net::HttpRequest&& req, net::Responder responder) {
  char id_buf[net::kRequestIdLength];
  net::NewRequestId(id_buf);
  const std::string_view id(id_buf, sizeof id_buf);

  // Admission: the Host (DNS rebinding), then the browser's origin.
  if (auto refused = access_->Admit(req)) {
    if (options_.audit) {
      options_.audit->Record(DenialFor(req, net::kDynamoDbEventSource, AuditOperationName(req),
                                       ClientAddress(responder), id, refused->Name(),
                                       AdmissionRefusalReason(*access_, req)));
    }
    return responder.Send(ErrorResponse(*refused, id));
  }
  const auto origin = AccessPolicy::OriginOf(req);
  const std::string_view cors = origin.value_or(std::string_view());

  // What DynamoDB answers a request it has no operation for (the wire form
  // of a GET off the root path is a guess: DynamoDB's status there is a 4xx).
  const auto unknown_operation = [&] {
    auto res = MakeResponse(404, "text/xml", id, cors);
    res.body() = "<UnknownOperationException/>\n";
    return res;
  };
  switch (req.method()) {
    case http::verb::post:
      break;
    case http::verb::get: {
      // DynamoDB answers the health check on the root path only (ScyllaDB's
      // test_health.py, checked against DynamoDB); a query string does not
      // change the path.
      std::string_view target(req.target().data(), req.target().size());
      if (target.substr(0, target.find('?')) != "/") return responder.Send(unknown_operation());
      auto res = MakeResponse(200, "text/plain", id, cors);
      res.body() = health_body_;
      return responder.Send(std::move(res));
    }
    case http::verb::options:
      if (origin) return responder.Send(access_->Preflight(req, id));
      [[fallthrough]];
    default:
      return responder.Send(unknown_operation());
  }

  // Default-initialized (not make_unique): the arenas need no zeroing.
  std::unique_ptr<Call> call(new Call);
  std::memcpy(call->request_id, id_buf, sizeof id_buf);
  call->allow_origin.assign(cors);
  if (options_.audit) {
    call->source_ip = ClientAddress(responder);
    call->audit_log = options_.audit.get();
  }
  call->responder = std::move(responder);

  // Content type: the JSON protocol's, or (for a body) nothing else.
  std::string_view media = MediaType(req[http::field::content_type]);
  if (base::AsciiEqualsIgnoreCase(media, kJson10) ||
      base::AsciiEqualsIgnoreCase(media, "application/json")) {
    call->content_type = kJson10;
  } else if (base::AsciiEqualsIgnoreCase(media, kJson11)) {
    call->content_type = kJson11;
  } else if (!req.body().empty()) {
    net::HttpResponse res = MakeResponse(404, "text/xml", id, cors);
    res.body() = "<UnknownOperationException/>\n";
    return call->responder.Send(std::move(res));
  }

  // A large body is parsed on a worker: parsing megabytes would hold up
  // every other connection of this event loop.
  if (req.body().size() > kInlineParseMaxBytes) {
    boost::asio::post(workers_, [this, call = std::move(call), req = std::move(req)]() mutable {
      Dispatch(std::move(call), req, /*on_loop=*/false);
    });
    return;
  }
  Dispatch(std::move(call), req, /*on_loop=*/true);
}

void DynamoDbHandler::Dispatch(std::unique_ptr<Call> call, const net::HttpRequest& req,
                               bool on_loop) {
  // DynamoDB's order: the body must be JSON, then the operation must exist,
  // then the request must be signed.
  base::Status parsed = ddb::protocol::ParseRequestBody(req.body(), &call->doc, &call->stack_alloc);
  if (!parsed.ok()) return call->Fail(parsed.error());
  auto op = ddb::protocol::ParseServiceTarget(req["X-Amz-Target"]);
  if (!op.ok()) return call->Fail(op.error());

  // A browser reaches the data only with a credentials file and a key.
  const bool streams = op->service == ddb::protocol::Service::kStreams;
  if (!call->allow_origin.empty() && !access_->credentials_mode()) {
    const base::Error refused =
        Refused("DynamoDB requests from a browser (Origin '" + call->allow_origin +
                "') are served only when the server runs with a credentials file (--credentials) "
                "and the request is signed with one of its keys");
    AuditDenial(*call, req, op->operation, streams, refused,
                "DynamoDB from a browser needs a credentials file");
    return call->Fail(refused);
  }
  auto key = access_->Authenticate(req, "dynamodb");
  if (!key.ok()) {
    AuditDenial(*call, req, op->operation, streams, key.error());
    return call->Fail(key.error());
  }
  if (const AccessKey* k = key.value()) {
    if (auto denied = access_->Authorize(*k, op->operation, streams, call->doc)) {
      AuditDenial(*call, req, op->operation, streams, *denied);
      return call->Fail(*denied);
    }
  }
  if (call->audit_log && IsAuditedOperation(op->operation, streams)) {
    call->audit =
        AuditEventFor(req, net::kDynamoDbEventSource, op->operation, call->source_ip, call->id());
    if (const AccessKey* k = key.value()) call->audit->access_key_id = k->access_key_id;
    call->audit->resources = ResourcesOf(*access_, op->operation, streams, call->doc);
  }

  call->operation.assign(op->operation);
  call->service = op->service;
  if (!on_loop) return Run(std::move(call));
  const Lane lane = LaneFor(call->operation);
  if (lane != Lane::kWorker) {
    // Run on the loop from memory only (dispatch_policy.h). A call that
    // missed before writing anything had no effects: it runs again on a
    // worker. One that wrote is answered once its writes are synced.
    ddb::protocol::Reply reply;
    // Reads are deferred too: ListStreams and DescribeStream may record a
    // stream that ended, and a replayed transaction rests on writes that may
    // not be synced yet.
    ddb::CacheOnlyScope memory_only;
    ddb::DeferredSyncScope deferred;
    ddb::protocol::Execute(*engine_, call->service, call->operation, call->doc, &reply);
    if (deferred.wrote_unsynced()) return ReplyAfterSync(std::move(call), std::move(reply));
    if (!memory_only.missed()) {
      return call->Reply(static_cast<unsigned>(reply.status), std::move(reply.body));
    }
  }
  boost::asio::post(workers_, [this, call = std::move(call)]() mutable { Run(std::move(call)); });
}

void DynamoDbHandler::AuditDenial(const Call& call, const net::HttpRequest& req,
                                  std::string_view operation, bool streams,
                                  const base::Error& error, std::string_view reason) {
  if (!call.audit_log) return;
  net::AuditEvent e = DenialFor(req, net::kDynamoDbEventSource, operation, call.source_ip,
                                call.id(), error.Name(), reason);
  e.resources = ResourcesOf(*access_, operation, streams, call.doc);
  call.audit_log->Record(e);
}

void DynamoDbHandler::Run(std::unique_ptr<Call> call) {
  ddb::protocol::Reply reply;
  // No item lock is held during the fsync: the answer waits for it instead.
  ddb::DeferredSyncScope deferred;
  ddb::protocol::Execute(*engine_, call->service, call->operation, call->doc, &reply);
  if (deferred.wrote_unsynced()) return ReplyAfterSync(std::move(call), std::move(reply));
  call->Reply(static_cast<unsigned>(reply.status), std::move(reply.body));
}

void DynamoDbHandler::ReplyAfterSync(std::unique_ptr<Call> call, ddb::protocol::Reply reply) {
  std::shared_ptr<Call> waiting(std::move(call));
  engine_->AfterSync([waiting, reply = std::move(reply)](ddb::Status synced) mutable {
    if (!synced.ok()) return waiting->Fail(synced.error());
    waiting->Reply(static_cast<unsigned>(reply.status), std::move(reply.body));
  });
}

net::HttpServerOptions MakeHttpServerOptions(unsigned io_threads) {
  net::HttpServerOptions opts;
  opts.threads = io_threads;
  opts.max_body_bytes = 16u << 20;
  // DynamoDB's answers (ScyllaDB's test/alternator, run against AWS): the
  // request line and headers at most 16 KB, else 400 (issue
  // scylladb/scylladb#23438; a 17,000-character URL gets 400, PR #23442);
  // responses are compressed from 4 KB on (test_compressed_response.py).
  // DynamoDB answers an unknown Content-Encoding and a body that does not
  // inflate with a 500 (test_compressed_request.py); this server answers
  // 400 on purpose: the fault is the client's, and the SDKs retry a 500,
  // sending the same broken body again several times.
  opts.max_header_bytes = 16u << 10;
  opts.refusals.header_too_large = 400;
  opts.refusals.unsupported_coding = 400;
  opts.refusals.undecodable_body = 400;
  opts.gzip_min_bytes = 4096;
  opts.crc32_header = "x-amz-crc32";
  opts.error_response = [](unsigned status, std::string_view message) {
    // Names botocore knows: it retries RequestTimeoutException and
    // ServiceUnavailable (a 503 refusal at the connection cap). The status
    // stays the one the HTTP layer chose.
    using ddb::ErrorCode;
    const ErrorCode code = status == 413   ? ErrorCode::kRequestEntityTooLarge
                           : status == 408 ? ErrorCode::kRequestTimeout
                           : status == 503 ? ErrorCode::kServiceUnavailable
                           : status >= 500 ? ErrorCode::kInternalServerError
                                           : ErrorCode::kSerialization;
    const ddb::Error error(code, std::string(message));
    char id[net::kRequestIdLength];
    net::NewRequestId(id);
    net::HttpResponse res = MakeResponse(status, kJson10, std::string_view(id, sizeof id));
    ddb::protocol::WriteErrorBody(error, &res.body());
    return res;
  };
  return opts;
}

}  // namespace server
