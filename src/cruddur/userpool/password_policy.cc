#include "cruddur/userpool/password_policy.h"

#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {

base::Status CheckPasswordPolicy(std::string_view password) {
  size_t chars = 0;
  bool upper = false, lower = false, digit = false, symbol = false;
  for (char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) != 0x80) ++chars;  // not a UTF-8 continuation byte
    upper |= c >= 'A' && c <= 'Z';
    lower |= c >= 'a' && c <= 'z';
    digit |= c >= '0' && c <= '9';
    symbol |= kPasswordSymbols.find(c) != std::string_view::npos;
  }
  const char* broken = nullptr;
  if (chars < static_cast<size_t>(kMinPasswordLength)) {
    broken = "Password not long enough";
  } else if (!upper) {
    broken = "Password must have uppercase characters";
  } else if (!lower) {
    broken = "Password must have lowercase characters";
  } else if (!digit) {
    broken = "Password must have numeric characters";
  } else if (!symbol) {
    broken = "Password must have symbol characters";
  }
  if (broken == nullptr) return base::Status::Ok();
  return PoolError(kInvalidPassword,
                   std::string("Password did not conform with policy: ") + broken);
}

}  // namespace cruddur::userpool
