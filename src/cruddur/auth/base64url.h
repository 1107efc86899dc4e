// Base64url for JWTs: the shared implementation in net/base64url.h.
#pragma once

#include "net/base64url.h"

namespace cruddur::auth {

using net::Base64UrlDecode;
using net::Base64UrlEncode;

}  // namespace cruddur::auth
