"""The local Cognito user pool of `cruddur serve`, through boto3's
`cognito-idp` client (endpoint_url = serve's DynamoDB port), and its JWKS.

Pins down: every operation the pool implements (SignUp, ConfirmSignUp,
AdminConfirmSignUp, AdminCreateUser, AdminSetUserPassword, InitiateAuth
USER_PASSWORD_AUTH / REFRESH_TOKEN_AUTH, RespondToAuthChallenge
NEW_PASSWORD_REQUIRED, GetUser, AdminGetUser, ListUsers, AdminUpdateUserAttributes,
AdminDeleteUser, DeleteUser, GlobalSignOut), each with its success and
Cognito's error types; e-mail as the username alias (the stored Username is
the sub); tokens that verify against the JWKS with Cognito's claims; the seed
users (password Cruddur1!, linked to their directory rows); the confirmation
code event on stdout; a confirmed user getting a users-directory row; a
deleted user's messages staying readable to the other participant; the
start-up events and a clean SIGTERM stop.
"""

import json
import os
import sys
import time

import jwt

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    CLIENT_ID,
    DEV_PASSWORD,
    ISSUER,
    POOL_ID,
    SEED_USERS,
    ServeProcess,
    expect_idp_error,
    new_user,
    requires_cruddur,
    seed_user,
    sign_in,
    sign_up,
    unique_suffix,
)

pytestmark = [requires_cruddur, pytest.mark.local_only]

NO_POOL = "us-east-1_nosuchpool"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = ServeProcess(tmp_path_factory.mktemp("serve-userpool"))
    yield s
    s.stop_cleanly()


@pytest.fixture(scope="module")
def idp(srv):
    return srv.idp()


@pytest.fixture(scope="module")
def raw_idp(srv):
    """No client-side parameter validation: the pool's own validation answers."""
    return srv.idp(validate=False)


@pytest.fixture(scope="module")
def api(srv):
    return srv.api()


@pytest.fixture(scope="module")
def andrew(idp):
    return seed_user(idp, "andrewbrown")


def attrs(user_attributes):
    return {a["Name"]: a["Value"] for a in user_attributes}


def jwks_key(srv, token):
    kid = jwt.get_unverified_header(token)["kid"]
    keys = [k for k in jwt.PyJWKSet.from_dict(srv.jwks()).keys if k.key_id == kid]
    assert len(keys) == 1, f"kid {kid} not in the JWKS"
    return keys[0].key


def decode_access(srv, token):
    return jwt.decode(
        token,
        jwks_key(srv, token),
        algorithms=["RS256"],
        issuer=ISSUER,
        options={"require": ["exp", "iat", "sub", "iss"], "verify_aud": False},
    )


# --------------------------------------------------------------------------
# Start-up, seed users, JWKS and tokens
# --------------------------------------------------------------------------


def test_ready_event_and_banner(srv):
    ready = srv.wait_for_event("ready", timeout=10)
    assert ready["event"] == "ready"
    assert srv.banner().strip(), "serve prints a start-up banner on stderr"
    for line in srv.log_lines():
        if line.strip():
            assert line.lstrip().startswith("{"), f"stdout carries JSON lines only: {line!r}"


def test_seed_users_are_in_the_pool(idp):
    users = idp.list_users(UserPoolId=POOL_ID)["Users"]
    by_email = {attrs(u["Attributes"]).get("email"): u for u in users}
    for handle, (email, name) in SEED_USERS.items():
        assert email in by_email, f"seed user {email} missing from ListUsers"
        u = by_email[email]
        a = attrs(u["Attributes"])
        assert a["preferred_username"] == handle
        assert a["name"] == name
        assert u["UserStatus"] == "CONFIRMED"
        assert u["Enabled"] is True
        # E-mail is an alias: the stored Username is the sub.
        assert u["Username"] == a["sub"]


@pytest.mark.parametrize("handle", sorted(SEED_USERS))
def test_seed_users_sign_in_and_are_linked(idp, api, handle):
    u = seed_user(idp, handle)
    for k in ("AccessToken", "IdToken", "RefreshToken"):
        assert u.tokens.get(k), k
    assert u.tokens["TokenType"] == "Bearer"
    assert u.tokens["ExpiresIn"] > 0
    # Linked: the API finds the directory row of the token's sub.
    r = api.message_groups(u.access)
    assert r.status_code == 200, r.text
    r = api.user_short(u.access, handle)
    assert r.status_code == 200, r.text
    assert r.json()["handle"] == handle
    assert r.json()["display_name"] == SEED_USERS[handle][1]


def test_jwks_document(srv):
    doc = srv.jwks()
    assert doc["keys"], doc
    for k in doc["keys"]:
        assert k["kty"] == "RSA"
        assert k["alg"] == "RS256"
        assert k["use"] == "sig"
        assert k["kid"] and k["n"] and k["e"]
        assert "d" not in k and "p" not in k, "the JWKS must not publish private key material"


def test_signing_key_file_is_a_pem_private_key(srv):
    pem = srv.signing_key_pem()
    assert b"PRIVATE KEY-----" in pem


def test_access_token_verifies_against_jwks(srv, idp, andrew):
    token = andrew.access
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    claims = decode_access(srv, token)
    assert claims["token_use"] == "access"
    assert claims["client_id"] == CLIENT_ID
    assert claims["iss"] == ISSUER
    me = idp.get_user(AccessToken=token)
    assert claims["sub"] == me["Username"] == attrs(me["UserAttributes"])["sub"]
    assert claims["username"] == me["Username"]
    assert claims["exp"] > time.time() > claims["iat"] - 60
    assert "aud" not in claims


def test_id_token_verifies_against_jwks(srv, andrew):
    token = andrew.tokens["IdToken"]
    claims = jwt.decode(
        token,
        jwks_key(srv, token),
        algorithms=["RS256"],
        issuer=ISSUER,
        audience=CLIENT_ID,
        options={"require": ["exp", "iat", "sub", "aud"]},
    )
    assert claims["token_use"] == "id"
    assert claims["email"] == SEED_USERS["andrewbrown"][0]
    assert claims["sub"] == decode_access(srv, andrew.access)["sub"]


def test_jwks_of_another_pool_is_not_served(srv):
    # The port also answers DynamoDB's health check on any GET, so the test is
    # only that no key set comes back for a pool that does not exist.
    r = requests.get(f"{srv.ddb_url}/{NO_POOL}/.well-known/jwks.json", timeout=10)
    assert r.status_code < 500
    assert '"keys"' not in r.text


# --------------------------------------------------------------------------
# SignUp / ConfirmSignUp / AdminConfirmSignUp
# --------------------------------------------------------------------------


def test_sign_up_confirm_with_logged_code_creates_directory_row(srv, idp, api, andrew):
    u = sign_up(idp, "su")
    got = idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)
    assert got["UserStatus"] == "UNCONFIRMED"
    assert got["Username"] == u.sub
    # Not confirmed: cannot sign in, and no directory row yet.
    with expect_idp_error("UserNotConfirmedException"):
        sign_in(idp, u.email, u.password)
    r = api.user_short(andrew.access, u.handle)
    assert r.status_code == 404, r.text

    event = srv.wait_for_event("userpool_confirmation_code", email=u.email)
    code = event["code"]
    assert code
    # A wrong code first.
    wrong = "000000" if code != "000000" else "111111"
    with expect_idp_error("CodeMismatchException"):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=wrong)
    idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code)
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserStatus"] == "CONFIRMED"

    # The directory row: handle = preferred_username, display_name = name.
    r = api.user_short(andrew.access, u.handle)
    assert r.status_code == 200, r.text
    short = r.json()
    assert short["handle"] == u.handle
    assert short["display_name"] == u.name
    assert short["uuid"]

    tokens = sign_in(idp, u.email, u.password)
    assert decode_access(srv, tokens["AccessToken"])["sub"] == u.sub
    r = api.message_groups(tokens["AccessToken"])
    assert r.status_code == 200 and r.json() == [], r.text


def test_sign_up_username_exists(idp):
    u = sign_up(idp, "dup")
    with expect_idp_error("UsernameExistsException"):
        idp.sign_up(
            ClientId=CLIENT_ID,
            Username=u.email,
            Password="Other-pass1!",
            UserAttributes=[
                {"Name": "name", "Value": "Dup"},
                {"Name": "preferred_username", "Value": "dup" + unique_suffix()},
                {"Name": "email", "Value": u.email},
            ],
        )


def test_sign_up_seed_email_exists(idp):
    with expect_idp_error("UsernameExistsException"):
        idp.sign_up(
            ClientId=CLIENT_ID,
            Username=SEED_USERS["bayko"][0],
            Password="Other-pass1!",
            UserAttributes=[
                {"Name": "name", "Value": "Impostor"},
                {"Name": "preferred_username", "Value": "imp" + unique_suffix()},
                {"Name": "email", "Value": SEED_USERS["bayko"][0]},
            ],
        )


@pytest.mark.parametrize("password", ["password", "PASSWORD1!", "Password!", "Password1", "Sh0rt!"])
def test_sign_up_invalid_password(idp, password):
    with expect_idp_error("InvalidPasswordException"):
        sign_up(idp, "weak", password=password)


def test_sign_up_username_not_an_email(idp):
    with expect_idp_error("InvalidParameterException"):
        idp.sign_up(
            ClientId=CLIENT_ID,
            Username="not-an-email-" + unique_suffix(),
            Password="Wire-pass1!",
            UserAttributes=[
                {"Name": "name", "Value": "Nobody"},
                {"Name": "preferred_username", "Value": "nobody" + unique_suffix()},
            ],
        )


def test_sign_up_unknown_client(idp):
    with expect_idp_error("ResourceNotFoundException"):
        idp.sign_up(
            ClientId="nosuchclient",
            Username=f"x{unique_suffix()}@wire.example.com",
            Password="Wire-pass1!",
        )


def test_confirm_sign_up_unknown_user(idp):
    with expect_idp_error("UserNotFoundException"):
        idp.confirm_sign_up(
            ClientId=CLIENT_ID, Username=f"ghost{unique_suffix()}@wire.example.com", ConfirmationCode="123456"
        )


def test_admin_confirm_sign_up(srv, idp, api, andrew):
    u = sign_up(idp, "ac")
    idp.admin_confirm_sign_up(UserPoolId=POOL_ID, Username=u.email)
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserStatus"] == "CONFIRMED"
    sign_in(idp, u.email, u.password)
    r = api.user_short(andrew.access, u.handle)
    assert r.status_code == 200, r.text
    assert r.json()["display_name"] == u.name


def test_admin_confirm_sign_up_errors(idp):
    with expect_idp_error("UserNotFoundException"):
        idp.admin_confirm_sign_up(UserPoolId=POOL_ID, Username=f"ghost{unique_suffix()}@wire.example.com")
    with expect_idp_error("ResourceNotFoundException"):
        idp.admin_confirm_sign_up(UserPoolId=NO_POOL, Username=SEED_USERS["bayko"][0])


# --------------------------------------------------------------------------
# InitiateAuth
# --------------------------------------------------------------------------


def test_sign_in_wrong_password(idp):
    with expect_idp_error("NotAuthorizedException"):
        sign_in(idp, SEED_USERS["bayko"][0], "Wrong-pass1!")


def test_sign_in_unknown_user(idp):
    # Cognito answers UserNotFoundException, or NotAuthorizedException when
    # the client prevents user-existence errors.
    with expect_idp_error("UserNotFoundException", "NotAuthorizedException"):
        sign_in(idp, f"ghost{unique_suffix()}@wire.example.com", "Wire-pass1!")


def test_sign_in_unknown_client(idp):
    with expect_idp_error("ResourceNotFoundException"):
        sign_in(idp, SEED_USERS["bayko"][0], DEV_PASSWORD, client_id="nosuchclient")


def test_refresh_token_flow(srv, idp, api):
    u = new_user(idp, "rf")
    r = idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": u.tokens["RefreshToken"]},
    )
    res = r["AuthenticationResult"]
    assert res["AccessToken"] and res["IdToken"]
    claims = decode_access(srv, res["AccessToken"])
    assert claims["sub"] == u.sub
    assert claims["token_use"] == "access"
    assert idp.get_user(AccessToken=res["AccessToken"])["Username"] == u.sub
    assert api.message_groups(res["AccessToken"]).status_code == 200


def get_tokens_from_refresh_token(srv, body):
    """GetTokensFromRefreshToken (2025: aws-amplify v6 refreshes with it; the
    Debian 12 botocore predates it, so a raw call)."""
    return requests.post(
        srv.ddb_url + "/",
        data=json.dumps(body),
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=30,
    )


def test_get_tokens_from_refresh_token(srv, idp, api):
    u = new_user(idp, "gt")
    r = get_tokens_from_refresh_token(srv, {"ClientId": CLIENT_ID, "RefreshToken": u.tokens["RefreshToken"]})
    assert r.status_code == 200, r.text
    res = r.json()["AuthenticationResult"]
    assert set(r.json()) == {"AuthenticationResult"}
    assert res["TokenType"] == "Bearer" and res["IdToken"]
    assert decode_access(srv, res["AccessToken"])["sub"] == u.sub
    assert api.message_groups(res["AccessToken"]).status_code == 200
    bad = get_tokens_from_refresh_token(srv, {"ClientId": CLIENT_ID, "RefreshToken": "not-a-token"})
    assert bad.status_code == 400
    assert bad.json()["__type"].endswith("NotAuthorizedException")
    wrong_client = get_tokens_from_refresh_token(
        srv, {"ClientId": "someotherclient", "RefreshToken": u.tokens["RefreshToken"]}
    )
    assert wrong_client.status_code == 400
    idp.global_sign_out(AccessToken=u.access)
    revoked = get_tokens_from_refresh_token(srv, {"ClientId": CLIENT_ID, "RefreshToken": u.tokens["RefreshToken"]})
    assert revoked.json()["__type"].endswith("NotAuthorizedException")


def test_refresh_with_garbage_token(idp):
    with expect_idp_error("NotAuthorizedException"):
        idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": "not-a-refresh-token"},
        )


def test_global_sign_out_revokes_access_and_refresh(idp):
    u = new_user(idp, "gso")
    assert idp.get_user(AccessToken=u.access)["Username"] == u.sub
    idp.global_sign_out(AccessToken=u.access)
    with expect_idp_error("NotAuthorizedException"):
        idp.get_user(AccessToken=u.access)
    with expect_idp_error("NotAuthorizedException"):
        idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": u.tokens["RefreshToken"]},
        )
    # Signing in again gives working tokens.
    fresh = sign_in(idp, u.email, u.password)
    assert idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == u.sub


def test_global_sign_out_bad_token(idp):
    with expect_idp_error("NotAuthorizedException"):
        idp.global_sign_out(AccessToken="garbage")


# --------------------------------------------------------------------------
# AdminCreateUser / RespondToAuthChallenge / AdminSetUserPassword
# --------------------------------------------------------------------------


def admin_create(idp, temp_password="Temp-pass1!"):
    s = unique_suffix()
    handle, email, name = f"adm{s}", f"adm{s}@wire.example.com", f"Admin Made {s}"
    r = idp.admin_create_user(
        UserPoolId=POOL_ID,
        Username=email,
        TemporaryPassword=temp_password,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "name", "Value": name},
            {"Name": "preferred_username", "Value": handle},
            {"Name": "email", "Value": email},
        ],
    )
    return r["User"], email, handle, name


def test_admin_create_user_and_new_password_challenge(srv, idp):
    user, email, handle, name = admin_create(idp)
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    a = attrs(user["Attributes"])
    assert a["email"] == email and a["preferred_username"] == handle and a["name"] == name
    assert user["Username"] == a["sub"]

    r = idp.initiate_auth(
        ClientId=CLIENT_ID, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": "Temp-pass1!"}
    )
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert r["Session"]
    assert "AuthenticationResult" not in r

    # A weak new password is refused; the challenge can then still be answered.
    with expect_idp_error("InvalidPasswordException"):
        idp.respond_to_auth_challenge(
            ClientId=CLIENT_ID,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=r["Session"],
            ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": "weak"},
        )
    r = idp.initiate_auth(
        ClientId=CLIENT_ID, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": "Temp-pass1!"}
    )
    done = idp.respond_to_auth_challenge(
        ClientId=CLIENT_ID,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=r["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": "Chosen-pass1!"},
    )
    res = done["AuthenticationResult"]
    assert decode_access(srv, res["AccessToken"])["sub"] == a["sub"]
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=email)["UserStatus"] == "CONFIRMED"
    # The temporary password no longer works; the chosen one does.
    with expect_idp_error("NotAuthorizedException"):
        sign_in(idp, email, "Temp-pass1!")
    sign_in(idp, email, "Chosen-pass1!")


def test_respond_to_auth_challenge_bad_session(idp):
    _, email, _, _ = admin_create(idp)
    with expect_idp_error("NotAuthorizedException", "CodeMismatchException"):
        idp.respond_to_auth_challenge(
            ClientId=CLIENT_ID,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session="not-a-session-" + "x" * 30,
            ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": "Chosen-pass1!"},
        )


def test_admin_create_user_exists(idp):
    with expect_idp_error("UsernameExistsException"):
        idp.admin_create_user(
            UserPoolId=POOL_ID,
            Username=SEED_USERS["londo"][0],
            TemporaryPassword="Temp-pass1!",
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": SEED_USERS["londo"][0]}],
        )


def test_admin_create_user_unknown_pool(idp):
    with expect_idp_error("ResourceNotFoundException"):
        idp.admin_create_user(
            UserPoolId=NO_POOL,
            Username=f"x{unique_suffix()}@wire.example.com",
            TemporaryPassword="Temp-pass1!",
            MessageAction="SUPPRESS",
        )


def test_admin_set_user_password_permanent(idp):
    u = new_user(idp, "asp")
    idp.admin_set_user_password(UserPoolId=POOL_ID, Username=u.email, Password="Changed-pass1!", Permanent=True)
    with expect_idp_error("NotAuthorizedException"):
        sign_in(idp, u.email, u.password)
    sign_in(idp, u.email, "Changed-pass1!")
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserStatus"] == "CONFIRMED"


def test_admin_set_user_password_on_force_change_user(idp):
    _, email, _, _ = admin_create(idp)
    idp.admin_set_user_password(UserPoolId=POOL_ID, Username=email, Password="Direct-pass1!", Permanent=True)
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=email)["UserStatus"] == "CONFIRMED"
    res = sign_in(idp, email, "Direct-pass1!")  # no challenge any more
    assert res["AccessToken"]


def test_admin_set_user_password_temporary(idp):
    u = new_user(idp, "aspt")
    idp.admin_set_user_password(UserPoolId=POOL_ID, Username=u.email, Password="Temp-pass2!", Permanent=False)
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    r = idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": u.email, "PASSWORD": "Temp-pass2!"},
    )
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_admin_set_user_password_errors(idp):
    u = new_user(idp, "aspe", signed_in=False)
    with expect_idp_error("InvalidPasswordException"):
        idp.admin_set_user_password(UserPoolId=POOL_ID, Username=u.email, Password="password", Permanent=True)
    sign_in(idp, u.email, u.password)  # unchanged
    with expect_idp_error("UserNotFoundException"):
        idp.admin_set_user_password(
            UserPoolId=POOL_ID,
            Username=f"ghost{unique_suffix()}@wire.example.com",
            Password="Fine-pass1!",
            Permanent=True,
        )


# --------------------------------------------------------------------------
# GetUser / AdminGetUser / ListUsers / AdminUpdateUserAttributes
# --------------------------------------------------------------------------


def test_get_user(idp, andrew):
    me = idp.get_user(AccessToken=andrew.access)
    a = attrs(me["UserAttributes"])
    assert me["Username"] == a["sub"]
    assert a["email"] == "andrew@exampro.co"
    assert a["preferred_username"] == "andrewbrown"
    assert a["name"] == "Andrew Brown"


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_get_user_bad_token(idp, token):
    with expect_idp_error("NotAuthorizedException"):
        idp.get_user(AccessToken=token)


def test_get_user_with_id_token_is_refused(idp, andrew):
    with expect_idp_error("NotAuthorizedException"):
        idp.get_user(AccessToken=andrew.tokens["IdToken"])


def test_admin_get_user_by_email_and_by_sub(idp):
    email = SEED_USERS["bayko"][0]
    by_email = idp.admin_get_user(UserPoolId=POOL_ID, Username=email)
    a = attrs(by_email["UserAttributes"])
    assert by_email["Username"] == a["sub"]
    assert a["preferred_username"] == "bayko"
    assert by_email["UserStatus"] == "CONFIRMED"
    assert by_email["Enabled"] is True
    by_sub = idp.admin_get_user(UserPoolId=POOL_ID, Username=a["sub"])
    assert by_sub["Username"] == by_email["Username"]
    assert attrs(by_sub["UserAttributes"]) == a


def test_admin_get_user_errors(idp):
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=f"ghost{unique_suffix()}@wire.example.com")
    with expect_idp_error("ResourceNotFoundException"):
        idp.admin_get_user(UserPoolId=NO_POOL, Username=SEED_USERS["bayko"][0])


def test_list_users_filter(idp):
    r = idp.list_users(UserPoolId=POOL_ID, Filter='email = "bayko@exampro.co"')
    assert len(r["Users"]) == 1
    assert attrs(r["Users"][0]["Attributes"])["preferred_username"] == "bayko"

    r = idp.list_users(UserPoolId=POOL_ID, Filter='preferred_username = "londo"')
    assert [attrs(u["Attributes"])["email"] for u in r["Users"]] == ["lmollari@centari.com"]

    # Prefix match.
    r = idp.list_users(UserPoolId=POOL_ID, Filter='email ^= "andrew@"')
    emails = sorted(attrs(u["Attributes"])["email"] for u in r["Users"])
    assert emails == ["andrew@cloudprojectbootcamp.com", "andrew@exampro.co"]

    r = idp.list_users(UserPoolId=POOL_ID, Filter='email = "nobody@nowhere.example"')
    assert r["Users"] == []


def test_list_users_attributes_to_get(idp):
    r = idp.list_users(UserPoolId=POOL_ID, AttributesToGet=["email"], Filter='email = "bayko@exampro.co"')
    assert len(r["Users"]) == 1
    a = attrs(r["Users"][0]["Attributes"])
    assert a == {"email": "bayko@exampro.co"}


def test_list_users_pagination(idp):
    for _ in range(3):
        new_user(idp, "lp", signed_in=False)
    everyone = idp.list_users(UserPoolId=POOL_ID)["Users"]
    assert len(everyone) >= 7
    seen, token, pages = [], None, 0
    while True:
        kw = {"UserPoolId": POOL_ID, "Limit": 2}
        if token:
            kw["PaginationToken"] = token
        r = idp.list_users(**kw)
        pages += 1
        assert len(r["Users"]) <= 2
        seen.extend(u["Username"] for u in r["Users"])
        token = r.get("PaginationToken")
        if not token:
            break
        assert pages < 100
    assert len(seen) == len(set(seen)), "no user twice"
    assert set(seen) >= {u["Username"] for u in everyone}, "no user skipped"
    assert pages >= 4


def test_list_users_errors(idp, raw_idp):
    with expect_idp_error("InvalidParameterException"):
        idp.list_users(UserPoolId=POOL_ID, Filter="this is not a filter")
    with expect_idp_error("InvalidParameterException"):
        idp.list_users(UserPoolId=POOL_ID, Filter='email == "bayko@exampro.co"')
    with expect_idp_error("InvalidParameterException"):
        raw_idp.list_users(UserPoolId=POOL_ID, PaginationToken="bogus-pagination-token")
    with expect_idp_error("ResourceNotFoundException"):
        idp.list_users(UserPoolId=NO_POOL)


def test_admin_update_user_attributes(idp):
    u = new_user(idp, "upd")
    idp.admin_update_user_attributes(
        UserPoolId=POOL_ID, Username=u.email, UserAttributes=[{"Name": "name", "Value": "Renamed Person"}]
    )
    a = attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    assert a["name"] == "Renamed Person"
    assert a["preferred_username"] == u.handle  # others untouched
    assert attrs(idp.get_user(AccessToken=u.access)["UserAttributes"])["name"] == "Renamed Person"


def test_admin_update_user_attributes_errors(idp):
    with expect_idp_error("UserNotFoundException"):
        idp.admin_update_user_attributes(
            UserPoolId=POOL_ID,
            Username=f"ghost{unique_suffix()}@wire.example.com",
            UserAttributes=[{"Name": "name", "Value": "X"}],
        )
    with expect_idp_error("InvalidParameterException"):
        idp.admin_update_user_attributes(
            UserPoolId=POOL_ID,
            Username=SEED_USERS["bayko"][0],
            UserAttributes=[{"Name": "sub", "Value": "00000000-0000-0000-0000-000000000000"}],
        )


# --------------------------------------------------------------------------
# Deleting users
# --------------------------------------------------------------------------


def test_delete_user_self(idp):
    u = new_user(idp, "del")
    idp.delete_user(AccessToken=u.access)
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)
    with expect_idp_error("UserNotFoundException", "NotAuthorizedException"):
        sign_in(idp, u.email, u.password)


def test_delete_user_bad_token(idp):
    with expect_idp_error("NotAuthorizedException"):
        idp.delete_user(AccessToken="garbage")


def test_admin_delete_user_keeps_messages_readable(idp, api):
    x = new_user(idp, "gone")
    y = new_user(idp, "stay")
    r = api.send(x.access, "hello from someone about to leave", handle=y.handle)
    assert r.status_code == 200, r.text
    group = r.json()["message_group_uuid"]
    r = api.send(y.access, "reply before they left", group=group)
    assert r.status_code == 200, r.text

    idp.admin_delete_user(UserPoolId=POOL_ID, Username=x.email)
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=x.email)
    with expect_idp_error("UserNotFoundException", "NotAuthorizedException"):
        sign_in(idp, x.email, x.password)
    with expect_idp_error("UserNotFoundException", "NotAuthorizedException"):
        idp.get_user(AccessToken=x.access)

    r = api.messages(y.access, group)
    assert r.status_code == 200, r.text
    msgs = r.json()
    assert [m["message"] for m in msgs] == ["hello from someone about to leave", "reply before they left"]
    assert msgs[0]["handle"] == x.handle
    assert msgs[0]["display_name"] == x.name
    assert msgs[1]["handle"] == y.handle
    r = api.message_groups(y.access)
    assert r.status_code == 200, r.text
    assert group in [g["uuid"] for g in r.json()]


def test_admin_delete_user_errors(idp):
    with expect_idp_error("UserNotFoundException"):
        idp.admin_delete_user(UserPoolId=POOL_ID, Username=f"ghost{unique_suffix()}@wire.example.com")
    with expect_idp_error("ResourceNotFoundException"):
        idp.admin_delete_user(UserPoolId=NO_POOL, Username=SEED_USERS["bayko"][0])


def test_no_tokens_or_passwords_on_stdout(srv, andrew):
    out = "\n".join(srv.log_lines())
    assert andrew.access not in out
    assert andrew.access.split(".")[2] not in out
    assert andrew.tokens["RefreshToken"] not in out
    assert DEV_PASSWORD not in out
