#include "net/response_head.h"

namespace net {

void AppendResponseHead(const boost::beast::http::response<boost::beast::http::string_body>& res,
                        std::string* out) {
  // "HTTP/X.Y ### " as Beast writes it (three status digits).
  const unsigned version = res.version();
  const unsigned code = res.result_int();
  char line[] = "HTTP/x.y ### ";
  line[5] = static_cast<char>('0' + version / 10 % 10);
  line[7] = static_cast<char>('0' + version % 10);
  line[9] = static_cast<char>('0' + code / 100 % 10);
  line[10] = static_cast<char>('0' + code / 10 % 10);
  line[11] = static_cast<char>('0' + code % 10);
  out->append(line, sizeof line - 1);
  const auto reason = res.reason();
  out->append(reason.data(), reason.size());
  out->append("\r\n");
  for (const auto& field : res.base()) {
    const auto name = field.name_string();
    const auto value = field.value();
    out->append(name.data(), name.size());
    out->append(": ");
    out->append(value.data(), value.size());
    out->append("\r\n");
  }
  out->append("\r\n");
}

}  // namespace net
