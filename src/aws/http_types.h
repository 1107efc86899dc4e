// HTTP header lists as the aws layer passes them around: an ordered list of
// (name, value) pairs, names compared without regard to ASCII case
// (base/ascii.h). Order and
// duplicates are kept because SigV4 joins repeated headers in order.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aws {

struct Header {
  std::string name;
  std::string value;
};
using HeaderList = std::vector<Header>;

// The value of the first header called `name` (any case), or nullopt.
std::optional<std::string_view> FindHeader(std::span<const Header> headers, std::string_view name);

// Removes every header called `name` (any case).
void RemoveHeader(HeaderList& headers, std::string_view name);

}  // namespace aws
