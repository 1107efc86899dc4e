#include "server/request_audit.h"

#include <algorithm>
#include <boost/beast/http/field.hpp>

#include "base/percent_decode.h"
#include "server/permissions.h"

namespace server {

namespace {

namespace http = boost::beast::http;

std::string_view Header(const net::HttpRequest& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

// The value of query parameter `name` (raw), or nullopt.
std::optional<std::string_view> QueryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string_view BeforeSlash(std::string_view credential) {
  return credential.substr(0, credential.find_first_of("/, "));
}

}  // namespace

std::string ClaimedAccessKeyId(const net::HttpRequest& request) {
  const std::string_view authorization = Header(request, http::field::authorization);
  if (!authorization.empty()) {
    constexpr std::string_view kCredential = "Credential=";
    const size_t at = authorization.find(kCredential);
    if (at == std::string_view::npos) return "";
    return std::string(BeforeSlash(authorization.substr(at + kCredential.size())));
  }
  std::string_view target(request.target().data(), request.target().size());
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  auto credential = QueryParameter(target.substr(q + 1), "X-Amz-Credential");
  if (!credential) return "";
  return std::string(BeforeSlash(base::PercentDecodeLenient(*credential)));
}

std::string ClientAddress(const net::Responder& responder) { return responder.remote_address(); }

std::string AuditOperationName(const net::HttpRequest& request) {
  auto it = request.find("X-Amz-Target");
  if (it != request.end()) {
    std::string_view target(it->value().data(), it->value().size());
    const size_t dot = target.rfind('.');
    return std::string(dot == std::string_view::npos ? target : target.substr(dot + 1));
  }
  return std::string(request.method_string());
}

net::AuditEvent AuditEventFor(const net::HttpRequest& request, std::string_view event_source,
                              std::string_view event_name, std::string_view source_ip,
                              std::string_view request_id) {
  net::AuditEvent e;
  e.event_source.assign(event_source);
  e.event_name.assign(event_name.substr(0, net::kAuditFieldMax));
  e.access_key_id = ClaimedAccessKeyId(request).substr(0, net::kAuditFieldMax);
  e.source_ip.assign(source_ip);
  e.user_agent.assign(
      Header(request, http::field::user_agent).substr(0, net::kAuditFieldMaxUserAgent));
  e.request_id.assign(request_id);
  return e;
}

net::AuditEvent DenialFor(const net::HttpRequest& request, std::string_view event_source,
                          std::string_view event_name, std::string_view source_ip,
                          std::string_view request_id, std::string_view error_code,
                          std::string_view reason) {
  net::AuditEvent e = AuditEventFor(request, event_source, event_name, source_ip, request_id);
  e.outcome = net::AuditOutcome::kDenied;
  e.error_code.assign(error_code);
  e.error_message.assign(reason);
  return e;
}

std::string_view AdmissionRefusalReason(const AccessPolicy& access,
                                        const net::HttpRequest& request) {
  if (!access.credentials_mode()) {
    auto host = request.find(http::field::host);
    if (host != request.end() &&
        !access.HostAllowed({host->value().data(), host->value().size()})) {
      return "Host not allowed";
    }
  }
  return "Origin not allowed";
}

bool IsAuditedOperation(std::string_view operation, bool streams) {
  if (streams) return false;
  if (IsControlPlaneOperation(operation)) return true;
  return operation.starts_with("Export") || operation.starts_with("Import");
}

std::vector<std::string> ResourcesOf(const AccessPolicy& access, std::string_view operation,
                                     bool streams, const rapidjson::Value& body) {
  std::vector<std::string> arns;
  auto add = [&arns](std::string arn) {
    // Bounded: a batch may name thousands of tables; the log keeps 16.
    if (arns.size() >= net::kAuditMaxResources) return;
    if (std::find(arns.begin(), arns.end(), arn) == arns.end()) arns.push_back(std::move(arn));
  };
  for (const Need& need : RequiredAccess(operation, streams, body)) {
    if (!need.table.empty()) add(access.TableArn(need.table));
  }
  if (body.IsObject()) {
    auto backup = body.FindMember("BackupArn");
    if (backup != body.MemberEnd() && backup->value.IsString()) {
      add(std::string(backup->value.GetString(), backup->value.GetStringLength()));
    }
  }
  return arns;
}

std::string ErrorTypeOfBody(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto it = doc.FindMember("__type");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  std::string_view type(it->value.GetString(), it->value.GetStringLength());
  const size_t hash = type.rfind('#');
  return std::string(hash == std::string_view::npos ? type : type.substr(hash + 1));
}

void SetOutcome(net::AuditEvent& event, int status, std::string_view body) {
  if (status >= 200 && status < 300) {
    event.outcome = net::AuditOutcome::kSuccess;
    event.error_code.clear();
    return;
  }
  event.outcome = net::AuditOutcome::kError;
  event.error_code = ErrorTypeOfBody(body);
}

}  // namespace server
