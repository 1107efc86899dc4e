// What the endpoints (DynamoDbHandler, and `cruddur serve`'s FrontHandler
// and API guard) tell the audit log (net/audit_log.h) about a request, read
// from its headers and target only: who asked (the access key id it claims,
// verified or not), from where, with which user agent, which operation, on
// which resources. Never its body beyond the table names, never a secret,
// signature, token or header value other than User-Agent.
//
// What is recorded: the DynamoDB control plane (IsAuditedOperation) and
// every refusal. The handlers decide when; these helpers only build events.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "net/audit_event.h"
#include "net/http_server.h"
#include "server/access_policy.h"

namespace server {

// The access key id a request claims: the Credential of its Authorization
// header, or its X-Amz-Credential query parameter, up to the first '/';
// "" if it names none. Not verified.
std::string ClaimedAccessKeyId(const net::HttpRequest& request);

// The client's IP address, as the connection saw it at accept; "" if
// unknown.
std::string ClientAddress(const net::Responder& responder);

// The operation of the request's X-Amz-Target (after its last '.'), else
// the HTTP method ("GET"): the eventName of a request refused early.
std::string AuditOperationName(const net::HttpRequest& request);

// An event about `request`: source, name, the claimed key id, address,
// user agent and request id filled; resources and outcome left to the
// caller (success).
net::AuditEvent AuditEventFor(const net::HttpRequest& request, std::string_view event_source,
                              std::string_view event_name, std::string_view source_ip,
                              std::string_view request_id);

// The same event as a denial with `error_code` and the server's fixed
// `reason` (may be empty).
net::AuditEvent DenialFor(const net::HttpRequest& request, std::string_view event_source,
                          std::string_view event_name, std::string_view source_ip,
                          std::string_view request_id, std::string_view error_code,
                          std::string_view reason = {});

// Why AccessPolicy::Admit refused `request`, as a fixed text ("Host not
// allowed", "Origin not allowed").
std::string_view AdmissionRefusalReason(const AccessPolicy& access,
                                        const net::HttpRequest& request);

// True for the DynamoDB operations recorded when they run: the control
// plane, i.e. permissions.h's admin group (CreateTable, UpdateTable,
// DeleteTable, backups and restores, TTL, PITR, tags), and exports and
// imports (Export*, Import*). Never a Streams operation.
bool IsAuditedOperation(std::string_view operation, bool streams);

// The ARNs a DynamoDB request names: its tables' (permissions.h's
// RequiredAccess) and its BackupArn, without repeats, at most
// net::kAuditMaxResources; none when it names none.
std::vector<std::string> ResourcesOf(const AccessPolicy& access, std::string_view operation,
                                     bool streams, const rapidjson::Value& body);

// The short error name of a JSON error body ("...#ResourceNotFoundException"
// -> "ResourceNotFoundException"); "" when it has none.
std::string ErrorTypeOfBody(std::string_view body);

// Fills the outcome of a finished call: success for a 2xx `status`, else
// error with the body's error name.
void SetOutcome(net::AuditEvent& event, int status, std::string_view body);

}  // namespace server
