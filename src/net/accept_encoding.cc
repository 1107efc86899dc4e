#include "net/accept_encoding.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/ascii.h"
#include "base/blanks.h"

namespace net {
namespace {

// RFC 9110 section 5.6.2: tchar.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The weight a q value gives: what DynamoDB makes of it (see the header).
double Weight(std::string_view value) {
  double q = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
  if (ec != std::errc() || end != value.data() + value.size() || std::isnan(q)) return 1;
  return std::min(q, 1.0);
}

// The weight of one list element's parameters ("; q=0.5; x=y").
double ElementWeight(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = params.substr(0, semi);
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (base::AsciiEqualsIgnoreCase(base::TrimBlanks(param.substr(0, eq)), "q")) {
      return Weight(base::TrimBlanks(param.substr(eq + 1)));
    }
  }
  return 1;
}

// What the list says of one coding.
struct Offer {
  double named = -1;    // largest weight it is listed with; -1: not listed
  size_t position = 0;  // the element that first lists it
};

}  // namespace

std::optional<Coding> NegotiateResponseCoding(std::string_view accept) {
  Offer gzip, deflate;
  double any = -1;  // the weight of "*"; -1: absent
  for (size_t position = 0; !accept.empty(); ++position) {
    size_t comma = accept.find(',');
    std::string_view element = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    size_t semi = element.find(';');
    std::string_view coding = base::TrimBlanks(element.substr(0, semi));
    if (!IsToken(coding)) continue;
    const double weight =
        semi == std::string_view::npos ? 1 : ElementWeight(element.substr(semi + 1));
    Offer* offer = base::AsciiEqualsIgnoreCase(coding, "gzip")      ? &gzip
                   : base::AsciiEqualsIgnoreCase(coding, "deflate") ? &deflate
                                                                    : nullptr;
    if (offer != nullptr) {
      if (offer->named < 0) offer->position = position;
      offer->named = std::max(offer->named, weight);
    } else if (coding == "*") {
      any = std::max(any, weight);
    }
  }
  // A coding's weight, and whether it is named (which wins ties over "*").
  struct Choice {
    double weight;
    bool named;
    size_t position;
  };
  auto choice = [any](const Offer& o) {
    return o.named >= 0 ? Choice{o.named, true, o.position} : Choice{any, false, 0};
  };
  const Choice g = choice(gzip), d = choice(deflate);
  const bool g_ok = g.weight > 0, d_ok = d.weight > 0;
  if (!g_ok && !d_ok) return std::nullopt;
  if (g_ok != d_ok) return g_ok ? Coding::kGzip : Coding::kDeflate;
  if (g.weight != d.weight) return g.weight > d.weight ? Coding::kGzip : Coding::kDeflate;
  if (g.named != d.named) return g.named ? Coding::kGzip : Coding::kDeflate;
  if (g.named && d.position < g.position) return Coding::kDeflate;
  return Coding::kGzip;
}

}  // namespace net
