// The head of an HTTP/1.1 response (status line, fields, blank line) as
// bytes, written beside the body in one gathered write.
//
// Why by hand: Beast's serializer renders the same bytes through layers of
// buffer-sequence adaptors (buffers_cat, buffers_prefix, its chunk and
// header writers): ~5,000 instructions a response, 9% of a GetItem. A plain
// response with its Content-Length set (prepare_payload) needs none of it.
#pragma once

#include <string>

#include "net/http_server.h"

namespace net {

// Appends `res`'s status line, its fields in order and the blank line to
// `*out`, byte for byte what Beast's http::serializer writes before the body.
void AppendResponseHead(const HttpResponse& res, std::string* out);

}  // namespace net
