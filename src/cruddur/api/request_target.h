// The request target (RFC 9112 origin-form "/path?query"): split, and
// percent-decoded strictly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cruddur::api {

struct RequestTarget {
  std::string_view path;   // up to the first '?' (or '#'), still encoded
  std::string_view query;  // after the '?', without a fragment; may be empty
};

RequestTarget SplitTarget(std::string_view target);

// RFC 3986 percent-decoding; with `plus_is_space` (query strings, HTML form
// encoding) '+' is a space. nullopt for a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

enum class QueryLookup { kAbsent, kFound, kMalformed };

// The decoded value of the first `name=value` pair of `query` whose decoded
// name is `name` ("name" alone counts as an empty value). kMalformed if that
// pair does not decode.
QueryLookup FindQueryParam(std::string_view query, std::string_view name, std::string* value);

}  // namespace cruddur::api
