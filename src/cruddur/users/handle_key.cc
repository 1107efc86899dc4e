#include "cruddur/users/handle_key.h"

#include "base/ascii.h"

namespace cruddur::users {

std::string HandleKey(std::string_view handle) { return base::AsciiLowercase(handle); }

bool SameHandle(std::string_view a, std::string_view b) {
  return base::AsciiEqualsIgnoreCase(a, b);
}

}  // namespace cruddur::users
