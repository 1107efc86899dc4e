// The seed's users (db/seed.sql as fixed in prod: the week-5 file's stray ';'
// dropped londo).
#include <array>

#include "cruddur/users/users_directory.h"

namespace cruddur::users {

std::span<const NewUser> SeedUsers() {
  static const std::array<NewUser, 4> kUsers = {{
      {"Andrew Brown", "andrewbrown", "andrew@exampro.co", std::string(kUnlinkedCognitoUserId),
       "5f101db6-e718-4f12-9df8-1a953569f43d"},
      {"Andrew Bayko", "bayko", "bayko@exampro.co", std::string(kUnlinkedCognitoUserId),
       "abe2dd16-c436-4765-8d96-3d30b1495473"},
      {"Londo Mollari", "londo", "lmollari@centari.com", std::string(kUnlinkedCognitoUserId),
       "9a847de6-8cff-4e33-a28c-ede609433953"},
      {"Alt Brown", "altbrown", "andrew@cloudprojectbootcamp.com",
       std::string(kUnlinkedCognitoUserId), "2cb216c1-f4af-4196-9000-c3706e5d5349"},
  }};
  return kUsers;
}

}  // namespace cruddur::users
