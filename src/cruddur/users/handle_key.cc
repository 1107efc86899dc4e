#include "cruddur/users/handle_key.h"

namespace cruddur::users {

std::string HandleKey(std::string_view handle) {
  std::string key(handle);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

bool SameHandle(std::string_view a, std::string_view b) {
  return a.size() == b.size() && HandleKey(a) == HandleKey(b);
}

}  // namespace cruddur::users
