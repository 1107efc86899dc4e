#include "net/auth_shape.h"

#include <array>

#include "base/ascii.h"
#include "base/blanks.h"

namespace net {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string_view Trim(std::string_view s) { return base::TrimBlanks(s); }

// ISO 8601 basic format as SigV4 uses it: YYYYMMDD'T'HHMMSS'Z'.
bool IsBasicIsoDate(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return false;
  for (size_t i = 0; i < 15; ++i) {
    if (i == 8) continue;
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

AuthShapeError Incomplete(std::string message) {
  return {AuthErrorCode::kIncompleteSignature, std::move(message)};
}
AuthShapeError Invalid(std::string message) {
  return {AuthErrorCode::kInvalidSignature, std::move(message)};
}

// True if the query string has parameter `name` with a non-empty value.
bool HasQueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name && eq != std::string_view::npos && eq + 1 < pair.size()) {
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

bool HasQueryKey(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.substr(0, pair.find('=')) == name) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

std::optional<AuthShapeError> CheckQueryAuth(std::string_view query) {
  static constexpr std::array<std::string_view, 5> kParams = {"X-Amz-Algorithm", "X-Amz-Credential",
                                                              "X-Amz-Signature",
                                                              "X-Amz-SignedHeaders", "X-Amz-Date"};
  std::string msg;
  for (std::string_view p : kParams) {
    if (!HasQueryParam(query, p)) {
      msg += "AWS query-string parameters must include '";
      msg += p;
      msg += "'. ";
    }
  }
  if (msg.empty()) return std::nullopt;
  msg += "Re-examine the query-string parameters.";
  return Incomplete(std::move(msg));
}

std::optional<AuthShapeError> CheckHeaderAuth(const AuthShapeInput& in, std::string_view header,
                                              std::string_view service, SigV4Header* parsed) {
  SigV4Header h;
  std::string_view rest = Trim(header);
  size_t sp = rest.find(' ');
  h.algorithm = rest.substr(0, sp);
  rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);

  bool has_credential = false, has_signature = false, has_signed_headers = false;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view pair = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      std::string msg = "'";
      msg += pair;
      msg += "' not a valid key=value pair (missing equal-sign) in Authorization header: '";
      msg += header;
      msg += "'.";
      return Incomplete(std::move(msg));
    }
    std::string_view key = Trim(pair.substr(0, eq));
    std::string_view value = Trim(pair.substr(eq + 1));
    if (key == "Credential") {
      h.credential = value;
      has_credential = !value.empty();
    } else if (key == "Signature") {
      h.signature = value;
      has_signature = !value.empty();
    } else if (key == "SignedHeaders") {
      h.signed_headers = value;
      has_signed_headers = true;  // may be empty here; the 'host' check catches it
    }
  }

  std::string msg;
  if (!has_credential) msg += "Authorization header requires 'Credential' parameter. ";
  if (!has_signature) msg += "Authorization header requires 'Signature' parameter. ";
  if (!has_signed_headers) msg += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!in.x_amz_date && !in.date) {
    msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!msg.empty()) {
    msg += "Authorization=";
    msg += header;
    return Incomplete(std::move(msg));
  }

  if (in.x_amz_date && !IsBasicIsoDate(*in.x_amz_date)) {
    std::string m = "Date must be in ISO-8601 'basic format'. Got '";
    m += *in.x_amz_date;
    m += "'. See http://en.wikipedia.org/wiki/ISO_8601";
    return Incomplete(std::move(m));
  }

  bool host_signed = false;
  for (std::string_view list = h.signed_headers; !list.empty();) {
    size_t semi = list.find(';');
    if (base::AsciiEqualsIgnoreCase(Trim(list.substr(0, semi)), "host")) host_signed = true;
    if (semi == std::string_view::npos) break;
    list.remove_prefix(semi + 1);
  }
  if (!host_signed) return Invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");

  if (h.algorithm != kAlgorithm) {
    std::string m = "Unsupported AWS 'algorithm': '";
    m += h.algorithm;
    m += "' (only AWS4-HMAC-SHA256 for now). ";
    return Incomplete(std::move(m));
  }

  // keyid/date/region/service/terminator; trailing slashes are ignored.
  std::string_view cred = h.credential;
  while (!cred.empty() && cred.back() == '/') cred.remove_suffix(1);
  std::array<std::string_view, 5> parts;
  size_t n = 0;
  bool too_many = false;
  for (std::string_view c = cred;;) {
    size_t slash = c.find('/');
    if (n == parts.size()) {
      too_many = true;
      break;
    }
    parts[n++] = c.substr(0, slash);
    if (slash == std::string_view::npos) break;
    c.remove_prefix(slash + 1);
  }
  if (too_many || n != parts.size()) {
    std::string m =
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '";
    m += h.credential;
    m += "'";
    return Incomplete(std::move(m));
  }
  h.access_key_id = parts[0];
  h.scope_date = parts[1];
  h.region = parts[2];
  h.service = parts[3];
  h.terminator = parts[4];

  std::string scope_msg;
  if (h.region.empty()) {
    scope_msg += "Credential should be scoped to a valid region, not ''. ";
  }
  if (h.service != service) {
    scope_msg += "Credential should be scoped to correct service: '";
    scope_msg += service;
    scope_msg += "'. ";
  }
  if (h.terminator != "aws4_request") {
    scope_msg += "Credential should be scoped with a valid terminator: 'aws4_request', not '";
    scope_msg += h.terminator;
    scope_msg += "'. ";
  }
  if (in.x_amz_date && h.scope_date != in.x_amz_date->substr(0, 8)) {
    scope_msg +=
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '";
    scope_msg += h.scope_date;
    scope_msg += "' != '";
    scope_msg += in.x_amz_date->substr(0, 8);
    scope_msg += "', from '";
    scope_msg += *in.x_amz_date;
    scope_msg += "'.";
  }
  if (!scope_msg.empty()) {
    while (!scope_msg.empty() && scope_msg.back() == ' ') scope_msg.pop_back();
    return Invalid(std::move(scope_msg));
  }
  if (parsed != nullptr) *parsed = h;
  return std::nullopt;
}

}  // namespace

std::optional<AuthShapeError> CheckAuthShape(const AuthShapeInput& input, std::string_view service,
                                             SigV4Header* parsed) {
  const bool query_auth = HasQueryKey(input.query, "X-Amz-Algorithm");
  if (input.authorization && query_auth) {
    return Invalid(
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
        "header.");
  }
  if (query_auth) return CheckQueryAuth(input.query);
  if (!input.authorization) {
    if (!input.security_token) {
      return AuthShapeError{AuthErrorCode::kMissingAuthenticationToken,
                            "Request is missing Authentication Token"};
    }
    // A session token without a signature: report what the header lacks.
    return CheckHeaderAuth(input, std::string_view(), service, parsed);
  }
  return CheckHeaderAuth(input, *input.authorization, service, parsed);
}

}  // namespace net
