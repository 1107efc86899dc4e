#include "aws/http_types.h"

#include <algorithm>

#include "base/ascii.h"

namespace aws {

std::optional<std::string_view> FindHeader(std::span<const Header> headers, std::string_view name) {
  for (const Header& h : headers) {
    if (base::AsciiEqualsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

void RemoveHeader(HeaderList& headers, std::string_view name) {
  std::erase_if(headers,
                [&](const Header& h) { return base::AsciiEqualsIgnoreCase(h.name, name); });
}

}  // namespace aws
