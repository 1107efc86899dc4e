#include "cruddur/api/request_target.h"

#include "base/percent_decode.h"

namespace cruddur::api {

RequestTarget SplitTarget(std::string_view target) {
  if (size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  return base::PercentDecodeStrict(text, plus_is_space);
}

QueryLookup FindQueryParam(std::string_view query, std::string_view name, std::string* value) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) {
      value->clear();
      return QueryLookup::kFound;
    }
    auto decoded = PercentDecode(pair.substr(eq + 1), true);
    if (!decoded) return QueryLookup::kMalformed;
    *value = std::move(*decoded);
    return QueryLookup::kFound;
  }
  return QueryLookup::kAbsent;
}

}  // namespace cruddur::api
