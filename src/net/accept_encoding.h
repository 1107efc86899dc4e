// Accept-Encoding negotiation: which coding, if any, a response may use.
//
// The rules are RFC 9110 section 12.5.3 as DynamoDB applies them (observed
// against DynamoDB by ScyllaDB's test/alternator/test_compressed_response.py,
// which runs against AWS too):
// - the list is read element by element (commas; blanks around an element,
//   a ';' or an '=' do not matter; empty elements are skipped); codings and
//   the "q" parameter's name are case-insensitive;
// - only gzip and deflate are offered; "*" stands for each of them not
//   listed by name; every other coding (x-gzip, br, zstd, compress) and an
//   element that is not a token ("\"gzip\"", "gzip br", "gzip:q=1") count
//   for nothing; "identity" is ignored, even "identity;q=0" (the response is
//   then sent uncompressed: DynamoDB does not answer 406);
// - an element's weight is its first q parameter: 0 or less refuses the
//   coding, more than 1 counts as 1, a value that is not a number ("0.x")
//   as 1; a coding listed twice takes its largest weight;
// - the acceptable coding of highest weight wins; on a tie, a coding listed
//   by name beats one reached through "*", and the one listed first wins
//   ("br, identity, deflate, gzip" gives deflate); through "*" alone, gzip.
#pragma once

#include <optional>
#include <string_view>

#include "net/gzip.h"

namespace net {

// The coding a response to a request carrying `accept_encoding` (one field
// value; of repeated fields DynamoDB reads only the last) should use, or
// nullopt for none. Never fails: a malformed value means no compression.
std::optional<Coding> NegotiateResponseCoding(std::string_view accept_encoding);

}  // namespace net
