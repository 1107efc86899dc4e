// The head of an HTTP/1.1 response (status line, fields, blank line) as
// bytes, written beside the body in one gathered write.
//
// Why by hand: Beast's serializer renders the same bytes through layers of
// buffer-sequence adaptors (buffers_cat, buffers_prefix, its chunk and
// header writers): ~5,000 instructions a response, 9% of a GetItem. A plain
// response with its Content-Length set (prepare_payload) needs none of it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

namespace net {

// Appends `res`'s (an HttpResponse's) status line, its fields in order and
// the blank line to `*out`, byte for byte what Beast's http::serializer
// writes before the body.
void AppendResponseHead(const boost::beast::http::response<boost::beast::http::string_body>& res,
                        std::string* out);

}  // namespace net
