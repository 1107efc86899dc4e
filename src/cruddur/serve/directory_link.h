// The link between the user pool and the users directory: what the
// reference's Cognito Lambda triggers did (pre sign-up, post confirmation),
// and their counterpart on delete.
//
// Handles are the directory's rule: unique regardless of case, and a deleted
// user's handle stays theirs (users_directory.h). The pool knows nothing of
// it; the serve layer hands CheckHandleFree to the pool as its pre-sign-up
// hook, so a sign-up whose handle is taken is refused before it creates a
// user who could never use the API.
#pragma once

#include <string>

#include "base/error.h"
#include "cruddur/userpool/user_pool.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::serve {

// The handle a pool user has in the directory: their preferred_username, or
// the local part of their e-mail when they have none.
std::string HandleFor(const userpool::PoolUser& user);

// The pre-sign-up check: OK if `user`'s handle is free, i.e. no directory
// row has it regardless of case (a retired row of a deleted user, or an
// unlinked seed row, counts as taken). Otherwise an error whose message is
// the reason the pool reports ("Handle Bayko is already taken"); a handle
// the directory would refuse (empty, too long, control characters) and a
// directory that cannot answer are refused too, with their message.
base::Status CheckHandleFree(users::UsersDirectory& directory, const userpool::PoolUser& user);

// A user the pool just confirmed gets a directory row: the row with the
// user's handle (regardless of case) if it is unlinked (the seed's users,
// created in the pool by seeding) or linked to this user already (then its
// cognito_user_id becomes the user's sub), else a new row {name, handle,
// email, sub}. kUserAlreadyExists if the handle belongs to another Cognito
// user or to a deleted one: their row is never handed to someone else.
base::Status LinkConfirmedUser(users::UsersDirectory& directory, const userpool::PoolUser& user);

// A user deleted from the pool keeps their directory row (their messages
// name them by uuid, handle and display name), retired: it names nobody any
// more (the deleted identity can no longer act), is never linked to anyone
// else, and keeps the handle taken.
base::Status UnlinkDeletedUser(users::UsersDirectory& directory, const userpool::PoolUser& user);

}  // namespace cruddur::serve
