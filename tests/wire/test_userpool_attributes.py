"""The local user pool's session-ending and self-service attribute
operations through boto3's `cognito-idp` client, with Cognito's error types
and messages:

- RevokeToken (what aws-amplify v6's signOut calls, also from the web app's
  origin): the refresh token stops refreshing and the access tokens of its
  session stop working with the pool; the user's other sessions go on;
- UpdateUserAttributes: a changed e-mail is unverified and gets a code (on
  the log, as sign-up codes are); what a user may not write; the handle rule
  (a taken preferred_username is refused as SignUp refuses it, also through
  AdminUpdateUserAttributes);
- GetUserAttributeVerificationCode / VerifyUserAttribute: the code verifies
  the e-mail, dies after 5 wrong guesses and expires after the validity
  (shortened with CRUDDUR_POOL_CODE_VALIDITY_SECONDS).
"""

import contextlib
import json
import os
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    CLIENT_ID,
    CODE_EXPIRED,
    CODE_LIMIT,
    CODE_MISMATCH,
    FRONTEND_URL,
    POOL_ID,
    SEED_USERS,
    ServeProcess,
    expect_idp_error,
    new_user,
    requires_cruddur,
    sign_in,
    unique_suffix,
)

pytestmark = [requires_cruddur, pytest.mark.local_only]

CODE_VALIDITY = 5  # seconds (CRUDDUR_POOL_CODE_VALIDITY_SECONDS=5)
MISMATCH, EXPIRED, LIMIT = CODE_MISMATCH, CODE_EXPIRED, CODE_LIMIT
REFRESH_REVOKED = "Refresh Token has been revoked"
ACCESS_REVOKED = "Access Token has been revoked"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = ServeProcess(
        tmp_path_factory.mktemp("serve-userpool-attributes"),
        env={"CRUDDUR_POOL_CODE_VALIDITY_SECONDS": str(CODE_VALIDITY)},
    )
    yield s
    s.stop_cleanly()


@pytest.fixture(scope="module")
def idp(srv):
    return srv.idp()


def attrs(user_attributes):
    return {a["Name"]: a["Value"] for a in user_attributes}


def user_attrs(idp, access_token):
    return attrs(idp.get_user(AccessToken=access_token)["UserAttributes"])


@contextlib.contextmanager
def expect(code, message):
    """expect_idp_error that also pins the message."""
    with expect_idp_error(code) as ei:
        yield ei
    got = ei.value.response["Error"]["Message"]
    assert got == message, f"{code}: expected message {message!r}, got {got!r}"


def codes_logged(srv, email):
    return len(srv.events("userpool_confirmation_code", email=email))


def code_for(srv, email, after=0):
    """The last code logged for `email` (the n-th event, n > after)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        events = srv.events("userpool_confirmation_code", email=email)
        if len(events) > after:
            return events[-1]["code"]
        time.sleep(0.05)
    raise AssertionError(f"no code for {email} logged:\n{srv.output()}")


def wrong(code):
    return ("0" if code[0] != "0" else "1") + code[1:]


def pool_call(srv, operation, body, headers=None):
    """A raw, unsigned call (as a browser's Cognito library makes it)."""
    h = {
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
    }
    h.update(headers or {})
    return requests.post(srv.ddb_url + "/", data=json.dumps(body), headers=h, timeout=30)


def refresh(idp, refresh_token):
    return idp.initiate_auth(
        ClientId=CLIENT_ID, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
    )


# --------------------------------------------------------------------------
# RevokeToken
# --------------------------------------------------------------------------


def test_revoke_token_ends_that_session_only(srv, idp):
    u = new_user(idp, "rvk")
    other = sign_in(idp, u.email, u.password)
    later_access = refresh(idp, u.tokens["RefreshToken"])["AuthenticationResult"]["AccessToken"]

    r = idp.revoke_token(Token=u.tokens["RefreshToken"], ClientId=CLIENT_ID)
    assert set(r) == {"ResponseMetadata"}

    with expect("NotAuthorizedException", REFRESH_REVOKED):
        refresh(idp, u.tokens["RefreshToken"])
    g = pool_call(srv, "GetTokensFromRefreshToken", {"ClientId": CLIENT_ID, "RefreshToken": u.tokens["RefreshToken"]})
    assert g.status_code == 400
    assert g.json()["__type"].endswith("NotAuthorizedException") and g.json()["message"] == REFRESH_REVOKED
    for access in (u.access, later_access):
        with expect("NotAuthorizedException", ACCESS_REVOKED):
            idp.get_user(AccessToken=access)
    # The other session goes on.
    assert idp.get_user(AccessToken=other["AccessToken"])["Username"] == u.sub
    assert refresh(idp, other["RefreshToken"])["AuthenticationResult"]["AccessToken"]
    # Revoking again, or a token the pool never issued, is no error.
    idp.revoke_token(Token=u.tokens["RefreshToken"], ClientId=CLIENT_ID)
    idp.revoke_token(Token="bm90LWEtcmVmcmVzaC10b2tlbg", ClientId=CLIENT_ID)


def test_revoke_token_refuses_access_and_id_tokens(idp):
    u = new_user(idp, "rvt")
    for token in (u.access, u.tokens["IdToken"]):
        with expect_idp_error("UnsupportedTokenTypeException"):
            idp.revoke_token(Token=token, ClientId=CLIENT_ID)
    assert idp.get_user(AccessToken=u.access)["Username"] == u.sub
    assert refresh(idp, u.tokens["RefreshToken"])["AuthenticationResult"]["AccessToken"]


def test_revoke_token_other_client(idp):
    u = new_user(idp, "rvc")
    with expect("ResourceNotFoundException", "User pool client someotherclient does not exist."):
        idp.revoke_token(Token=u.tokens["RefreshToken"], ClientId="someotherclient")
    assert refresh(idp, u.tokens["RefreshToken"])["AuthenticationResult"]["AccessToken"]


def test_revoke_token_from_the_web_app_origin(srv, idp):
    """aws-amplify v6 signs out with an unsigned RevokeToken from the page."""
    u = new_user(idp, "rvw")
    r = pool_call(
        srv,
        "RevokeToken",
        {"ClientId": CLIENT_ID, "Token": u.tokens["RefreshToken"]},
        headers={"Origin": FRONTEND_URL},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {}
    assert r.headers["Access-Control-Allow-Origin"] == FRONTEND_URL
    with expect("NotAuthorizedException", REFRESH_REVOKED):
        refresh(idp, u.tokens["RefreshToken"])


# --------------------------------------------------------------------------
# UpdateUserAttributes
# --------------------------------------------------------------------------


def test_update_user_attributes_name(idp):
    u = new_user(idp, "ua")
    r = idp.update_user_attributes(AccessToken=u.access, UserAttributes=[{"Name": "name", "Value": "Renamed"}])
    assert "CodeDeliveryDetailsList" not in r
    a = user_attrs(idp, u.access)
    assert a["name"] == "Renamed"
    assert a["preferred_username"] == u.handle


def test_changed_email_is_unverified_until_its_code_comes_back(srv, idp):
    u = new_user(idp, "ue")
    new_email = f"moved{unique_suffix()}@wire.example.com"
    r = idp.update_user_attributes(AccessToken=u.access, UserAttributes=[{"Name": "email", "Value": new_email}])
    assert r["CodeDeliveryDetailsList"] == [
        {"Destination": "m***@w***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    code = code_for(srv, new_email)
    a = user_attrs(idp, u.access)
    assert a["email"] == new_email and a["email_verified"] == "false"
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username=new_email)["Username"] == u.sub
    with expect("CodeMismatchException", MISMATCH):
        idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=wrong(code))
    idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code)
    assert user_attrs(idp, u.access)["email_verified"] == "true"
    with expect("CodeMismatchException", MISMATCH):  # spent
        idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code)
    # The new address signs in.
    assert sign_in(idp, new_email, u.password)["AccessToken"]


def test_update_user_attributes_refusals(idp):
    u = new_user(idp, "ur")
    before = user_attrs(idp, u.access)
    cases = [
        ([{"Name": "sub", "Value": "00000000-0000-4000-8000-000000000000"}], "InvalidParameterException",
         "Cannot modify the non-mutable attribute sub"),
        ([{"Name": "email_verified", "Value": "true"}], "InvalidParameterException",
         "Cannot modify the non-mutable attribute email_verified"),
        ([{"Name": "favourite_colour", "Value": "blue"}], "InvalidParameterException",
         "Attributes did not conform to the schema: favourite_colour: Attribute does not exist in the schema."),
        ([{"Name": "custom:team", "Value": "x"}], "InvalidParameterException",
         "Attributes did not conform to the schema: Type for attribute {custom:team} could not be determined"),
        ([{"Name": "email", "Value": "not-an-email"}], "InvalidParameterException", "Invalid email address format."),
        ([{"Name": "email", "Value": SEED_USERS["bayko"][0].upper()}], "AliasExistsException",
         "An account with the given email already exists."),
    ]
    for attributes, code, message in cases:
        with expect(code, message):
            idp.update_user_attributes(AccessToken=u.access, UserAttributes=attributes)
    assert user_attrs(idp, u.access) == before
    with expect("NotAuthorizedException", "Invalid Access Token"):
        idp.update_user_attributes(AccessToken="garbage", UserAttributes=[{"Name": "name", "Value": "x"}])
    idp.global_sign_out(AccessToken=u.access)
    with expect("NotAuthorizedException", ACCESS_REVOKED):
        idp.update_user_attributes(AccessToken=u.access, UserAttributes=[{"Name": "name", "Value": "x"}])


def test_a_taken_handle_is_refused_as_sign_up_refuses_it(idp):
    u = new_user(idp, "uh")
    other = new_user(idp, "uo", signed_in=False)
    for handle in ("bayko", "BAYKO", other.handle):
        with expect("UserLambdaValidationException", f"PreSignUp failed with error Handle {handle} is already taken."):
            idp.update_user_attributes(
                AccessToken=u.access, UserAttributes=[{"Name": "preferred_username", "Value": handle}]
            )
    assert user_attrs(idp, u.access)["preferred_username"] == u.handle
    # The user's own handle in another case, and a free one, are fine.
    idp.update_user_attributes(
        AccessToken=u.access, UserAttributes=[{"Name": "preferred_username", "Value": u.handle.upper()}]
    )
    free = f"free{unique_suffix()}"
    idp.update_user_attributes(AccessToken=u.access, UserAttributes=[{"Name": "preferred_username", "Value": free}])
    assert user_attrs(idp, u.access)["preferred_username"] == free


def test_admin_update_user_attributes_keeps_the_handle_rule(idp):
    u = new_user(idp, "ah", signed_in=False)
    with expect("UserLambdaValidationException", "PreSignUp failed with error Handle Londo is already taken."):
        idp.admin_update_user_attributes(
            UserPoolId=POOL_ID, Username=u.email, UserAttributes=[{"Name": "preferred_username", "Value": "Londo"}]
        )
    got = attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    assert got["preferred_username"] == u.handle
    free = f"free{unique_suffix()}"
    idp.admin_update_user_attributes(
        UserPoolId=POOL_ID, Username=u.email, UserAttributes=[{"Name": "preferred_username", "Value": free}]
    )
    got = attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    assert got["preferred_username"] == free


# --------------------------------------------------------------------------
# GetUserAttributeVerificationCode / VerifyUserAttribute
# --------------------------------------------------------------------------


def test_verification_code_on_request(srv, idp):
    u = new_user(idp, "vc")
    seen = codes_logged(srv, u.email)
    r = idp.get_user_attribute_verification_code(AccessToken=u.access, AttributeName="email")
    assert r["CodeDeliveryDetails"] == {"Destination": "v***@w***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code_for(srv, u.email, seen))
    assert user_attrs(idp, u.access)["email_verified"] == "true"
    for name in ("phone_number", "name"):
        with expect_idp_error("InvalidParameterException"):
            idp.get_user_attribute_verification_code(AccessToken=u.access, AttributeName=name)
    with expect("NotAuthorizedException", "Invalid Access Token"):
        idp.get_user_attribute_verification_code(AccessToken="garbage", AttributeName="email")


def test_verification_code_dies_after_five_wrong_guesses(srv, idp):
    u = new_user(idp, "vg")
    seen = codes_logged(srv, u.email)
    idp.get_user_attribute_verification_code(AccessToken=u.access, AttributeName="email")
    code = code_for(srv, u.email, seen)
    for _ in range(5):
        with expect("CodeMismatchException", MISMATCH):
            idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=wrong(code))
    with expect("LimitExceededException", LIMIT):
        idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code)
    # A new code starts over.
    seen = codes_logged(srv, u.email)
    idp.get_user_attribute_verification_code(AccessToken=u.access, AttributeName="email")
    idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code_for(srv, u.email, seen))


def test_verification_code_expires(srv, idp):
    u = new_user(idp, "vx")
    new_email = f"late{unique_suffix()}@wire.example.com"
    idp.update_user_attributes(AccessToken=u.access, UserAttributes=[{"Name": "email", "Value": new_email}])
    code = code_for(srv, new_email)
    time.sleep(CODE_VALIDITY + 0.5)
    with expect("ExpiredCodeException", EXPIRED):
        idp.verify_user_attribute(AccessToken=u.access, AttributeName="email", Code=code)
    assert user_attrs(idp, u.access)["email_verified"] == "false"
