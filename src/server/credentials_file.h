// The credentials file (--credentials FILE of ddb-server and `cruddur
// serve`): the access keys the server accepts, and what each may do. With
// it, every request must carry a SigV4 signature (header or presigned URL)
// by one of these keys, and the key's permissions must allow the operation.
//
// Format (JSON; unknown members are errors, so a typo cannot widen access):
//
//   {
//     "account_id": "000000000000",          optional, 12 digits; used in ARNs
//     "keys": [
//       {
//         "access_key_id": "AKIDCRUDDURREAD",  [A-Za-z0-9_+=.@-], unique
//         "secret_access_key": "...",          non-empty
//         "name": "cruddur-readonly",          the IAM user name in messages:
//                                              arn:aws:iam::<account>:user/<name>
//         "permissions": [                     see server/permissions.h
//           {"actions": ["read", "streams"], "tables": ["cruddur-*"]},
//           {"actions": ["write"], "tables": ["cruddur-messages"]}
//         ]
//       }
//     ]
//   }
//
// "actions" names groups: read, write, admin, streams, userpool-admin, or
// "*" (all). "tables" holds glob patterns ('*' = any run of characters) and
// defaults to ["*"]; for userpool-admin they match the user pool's id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "server/permissions.h"

namespace server {

struct AccessKey {
  std::string access_key_id;
  std::string secret_access_key;
  std::string name;  // IAM user name
  std::vector<Grant> grants;
};

struct CredentialsFile {
  std::string account_id = "000000000000";
  std::vector<AccessKey> keys;

  // The key with this id, or null.
  const AccessKey* Find(std::string_view access_key_id) const;
  // "arn:aws:iam::<account_id>:user/<name>".
  std::string PrincipalArn(const AccessKey& key) const;
};

// Parses the file's text. Errors are ValidationException-typed values whose
// message names the offending member, e.g. "keys[0].permissions[1].actions:
// unknown group 'wirte' (read, write, admin, streams, userpool-admin, *)".
base::Result<CredentialsFile> ParseCredentialsFile(std::string_view json_text);

// Reads and parses `path`; the message starts with the path.
base::Result<CredentialsFile> LoadCredentialsFile(const std::string& path);

}  // namespace server
