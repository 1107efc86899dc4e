#include "aws/sigv4.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "aws/crypto.h"
#include "base/ascii.h"
#include "base/percent_decode.h"

namespace aws {

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentDecode(std::string_view s) { return base::PercentDecodeLenient(s); }

// Headers that intermediaries add or rewrite; signing them would make a
// correct request fail verification.
bool IsUnsignedHeader(std::string_view lower_name) {
  static constexpr std::string_view kUnsigned[] = {
      "user-agent", "expect", "x-amzn-trace-id", "authorization", "content-length", "connection",
  };
  return std::find(std::begin(kUnsigned), std::end(kUnsigned), lower_name) != std::end(kUnsigned);
}

}  // namespace

std::string FormatAmzDate(Clock::time_point t) {
  std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::optional<Clock::time_point> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto digits = [&](size_t pos, size_t n) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  int year = digits(0, 4), mon = digits(4, 2), day = digits(6, 2);
  int hour = digits(9, 2), min = digits(11, 2), sec = digits(13, 2);
  if (year < 0 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 ||
      min > 59 || sec < 0 || sec > 60) {
    return std::nullopt;
  }
  // Clock counts nanoseconds in 64 bits: years before 1678 or after 2261
  // would overflow it (undefined behaviour). No signature that far off is
  // current anyway.
  if (year < 1900 || year > 2100) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  return Clock::from_time_t(timegm(&tm));
}

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view wire_path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= wire_path.size()) {
    size_t slash = wire_path.find('/', start);
    if (slash == std::string_view::npos) slash = wire_path.size();
    std::string_view seg = wire_path.substr(start, slash - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = slash + 1;
  }
  std::string path = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) path.push_back('/');
    path.append(segments[i]);
  }
  if (!segments.empty() && !wire_path.empty() && wire_path.back() == '/') path.push_back('/');
  return UriEncode(path, /*keep_slash=*/true);
}

std::string CanonicalQueryString(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start < raw_query.size()) {
    size_t amp = raw_query.find('&', start);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view pair = raw_query.substr(start, amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view name = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      params.emplace_back(UriEncode(PercentDecode(name), false),
                          UriEncode(PercentDecode(value), false));
    }
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

CanonicalRequest BuildCanonicalRequest(const SignableRequest& request,
                                       std::span<const std::string> signed_header_names,
                                       std::string_view payload_hash) {
  std::vector<std::string> names;
  names.reserve(signed_header_names.size());
  for (const std::string& n : signed_header_names) names.push_back(base::AsciiLowercase(n));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  CanonicalRequest out;
  std::string& t = out.text;
  t.append(request.method).push_back('\n');
  t.append(CanonicalUri(request.path)).push_back('\n');
  t.append(CanonicalQueryString(request.query)).push_back('\n');
  for (const std::string& name : names) {
    t.append(name).push_back(':');
    bool first = true;
    for (const Header& h : request.headers) {
      if (!base::AsciiEqualsIgnoreCase(h.name, name)) continue;
      if (!first) t.push_back(',');
      t.append(CanonicalHeaderValue(h.value));
      first = false;
    }
    t.push_back('\n');
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers.append(name);
  }
  t.push_back('\n');
  t.append(out.signed_headers).push_back('\n');
  t.append(payload_hash);
  return out;
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string s;
  s.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
  return s;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string s(kAlgorithm);
  s.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  s.append(Sha256Hex(canonical_request));
  return s;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string k = HmacSha256(std::string("AWS4").append(secret), date);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  return HmacSha256(k, "aws4_request");
}

std::string ComputeSignature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

SigningResult Sign(const SignableRequest& request, const Credentials& credentials,
                   const SigningParams& params) {
  std::vector<std::string> names;
  for (const Header& h : request.headers) {
    std::string lower = base::AsciiLowercase(h.name);
    if (!IsUnsignedHeader(lower)) names.push_back(std::move(lower));
  }
  CanonicalRequest creq = BuildCanonicalRequest(request, names, Sha256Hex(request.payload));
  std::string amz_date = FormatAmzDate(params.time);
  std::string date = amz_date.substr(0, 8);
  std::string scope = CredentialScope(date, params.region, params.service);

  SigningResult out;
  out.string_to_sign = StringToSign(amz_date, scope, creq.text);
  out.canonical_request = std::move(creq.text);
  out.signature = ComputeSignature(
      DeriveSigningKey(credentials.secret_access_key, date, params.region, params.service),
      out.string_to_sign);
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope + ", SignedHeaders=" + creq.signed_headers +
                      ", Signature=" + out.signature;
  return out;
}

SigningResult SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          HeaderList& headers, std::string_view payload,
                          const Credentials& credentials, const SigningParams& params) {
  RemoveHeader(headers, "Authorization");
  RemoveHeader(headers, "X-Amz-Date");
  RemoveHeader(headers, "X-Amz-Security-Token");
  headers.push_back({"X-Amz-Date", FormatAmzDate(params.time)});
  if (!credentials.session_token.empty()) {
    headers.push_back({"X-Amz-Security-Token", credentials.session_token});
  }
  SigningResult result = Sign({method, path, query, headers, payload}, credentials, params);
  headers.push_back({"Authorization", result.authorization});
  return result;
}

}  // namespace aws
