// The link between the user pool and the users directory: what the
// reference's post-confirmation Lambda did, and its counterpart on delete.
#pragma once

#include "cruddur/userpool/user_pool.h"
#include "cruddur/users/users_directory.h"
#include "ddb/common/error.h"

namespace cruddur::serve {

// A user the pool just confirmed gets a directory row: the row with the
// user's handle (preferred_username) if one exists and is unlinked or linked
// to this user already (then its cognito_user_id becomes the user's sub),
// else a new row {name, preferred_username, email, sub}. A handle linked to
// another Cognito user is kUserAlreadyExists. A user without a
// preferred_username takes the local part of their e-mail as handle.
ddb::Status LinkConfirmedUser(users::UsersDirectory& directory, const userpool::PoolUser& user);

// A user deleted from the pool keeps their directory row (their messages
// name them by uuid, handle and display name), unlinked: cognito_user_id
// returns to the placeholder, so the deleted identity can no longer act and
// a new sign-up can claim nothing of theirs but the handle's history.
ddb::Status UnlinkDeletedUser(users::UsersDirectory& directory, const userpool::PoolUser& user);

}  // namespace cruddur::serve
