"""The local user pool's defences through boto3's `cognito-idp` client, each
as a regression test asserting Cognito's exact error type and message and
that the user's state did not change:

- the lockout after 5 failed sign-ins (1 unit, doubling; attempts during a
  lockout fail with "Password attempts exceeded" even with the right
  password), with the test-only shortened unit CRUDDUR_POOL_LOCKOUT_UNIT_MS;
- codes (sign-up and password reset) dead after 5 wrong guesses
  (LimitExceededException) and expired after the validity, shortened with
  CRUDDUR_POOL_CODE_VALIDITY_SECONDS;
- custom attributes refused unless declared (`--custom-attribute`);
- ForgotPassword / ConfirmForgotPassword (the code comes from the log, as
  the sign-up code does) and ChangePassword;
- USER_SRP_AUTH with real Cognito clients (amazon-cognito-identity-js and
  aws-amplify v6, tests/userpool-js), including a user from before SRP.
"""

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    CLIENT_ID,
    CODE_EXPIRED,
    CODE_LIMIT,
    CODE_MISMATCH,
    POOL_ID,
    REPO,
    ServeProcess,
    expect_idp_error,
    new_user,
    requires_cruddur,
    sign_in,
    sign_up,
    unique_suffix,
)

pytestmark = [requires_cruddur, pytest.mark.local_only]

LOCKOUT_UNIT = 2.0  # seconds (CRUDDUR_POOL_LOCKOUT_UNIT_MS=2000): long enough that a call on a loaded machine does not outlast it
CODE_VALIDITY = 4  # seconds (CRUDDUR_POOL_CODE_VALIDITY_SECONDS=4)
SHORT_PERIODS = {
    "CRUDDUR_POOL_LOCKOUT_UNIT_MS": str(int(LOCKOUT_UNIT * 1000)),
    "CRUDDUR_POOL_CODE_VALIDITY_SECONDS": str(CODE_VALIDITY),
}

INCORRECT = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
MISMATCH, EXPIRED, LIMIT = CODE_MISMATCH, CODE_EXPIRED, CODE_LIMIT


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = ServeProcess(
        tmp_path_factory.mktemp("serve-userpool-security"),
        env=SHORT_PERIODS,
        extra_args=["--custom-attribute", "custom:colour", "--custom-attribute", "team"],
    )
    yield s
    s.stop_cleanly()


@pytest.fixture(scope="module")
def idp(srv):
    return srv.idp()


@pytest.fixture(scope="module")
def raw_idp(srv):
    return srv.idp(validate=False)


def attrs(user_attributes):
    return {a["Name"]: a["Value"] for a in user_attributes}


@contextlib.contextmanager
def expect(code, message):
    """expect_idp_error that also pins the message."""
    with expect_idp_error(code) as ei:
        yield ei
    got = ei.value.response["Error"]["Message"]
    assert got == message, f"{code}: expected message {message!r}, got {got!r}"


def password_auth(idp, email, password):
    return idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )


def code_for(srv, email, after=0):
    """The last code logged for `email` (the n-th event, n > after)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        events = srv.events("userpool_confirmation_code", email=email)
        if len(events) > after:
            return events[-1]["code"]
        time.sleep(0.05)
    raise AssertionError(f"no code for {email} logged:\n{srv.output()}")


def codes_logged(srv, email):
    return len(srv.events("userpool_confirmation_code", email=email))


def wrong(code):
    return ("0" if code[0] != "0" else "1") + code[1:]


def verified_user(srv, idp, prefix):
    """A user confirmed with the logged code, so their e-mail is verified
    (ForgotPassword needs a verified e-mail, as in Cognito)."""
    u = sign_up(idp, prefix)
    idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code_for(srv, u.email))
    return u


def status_of(idp, email):
    return idp.admin_get_user(UserPoolId=POOL_ID, Username=email)["UserStatus"]


# --------------------------------------------------------------------------
# Lockout
# --------------------------------------------------------------------------


def test_five_failures_lock_the_user_even_for_the_right_password(idp):
    u = new_user(idp, "lock", signed_in=False)
    for _ in range(5):
        with expect("NotAuthorizedException", INCORRECT):
            password_auth(idp, u.email, "Wrong-pass1")
    with expect("NotAuthorizedException", LOCKED):
        password_auth(idp, u.email, u.password)
    # Attempts during the lockout do not count (else the next lock would be longer).
    with expect("NotAuthorizedException", LOCKED):
        password_auth(idp, u.email, "Wrong-pass1")
    assert status_of(idp, u.email) == "CONFIRMED"
    time.sleep(LOCKOUT_UNIT + 0.2)
    assert sign_in(idp, u.email, u.password)["AccessToken"]
    # The success reset the count: four failures do not lock.
    for _ in range(4):
        with expect("NotAuthorizedException", INCORRECT):
            password_auth(idp, u.email, "Wrong-pass1")
    assert sign_in(idp, u.email, u.password)["AccessToken"]


def test_lockout_doubles_with_each_further_failure(idp):
    u = new_user(idp, "dbl", signed_in=False)
    for _ in range(5):
        with expect("NotAuthorizedException", INCORRECT):
            password_auth(idp, u.email, "Wrong-pass1")
    time.sleep(LOCKOUT_UNIT + 0.2)
    with expect("NotAuthorizedException", INCORRECT):  # the 6th: 2 units
        password_auth(idp, u.email, "Wrong-pass1")
    time.sleep(LOCKOUT_UNIT + 0.2)
    with expect("NotAuthorizedException", LOCKED):
        password_auth(idp, u.email, u.password)
    time.sleep(LOCKOUT_UNIT)
    assert sign_in(idp, u.email, u.password)["AccessToken"]


def test_lockout_does_not_reveal_unknown_users(idp):
    for _ in range(7):
        with expect("NotAuthorizedException", INCORRECT):
            password_auth(idp, f"nobody-{unique_suffix()}@wire.example.com", "Wrong-pass1")


# --------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------


def test_sign_up_code_dies_after_five_wrong_guesses(srv, idp):
    u = sign_up(idp, "guess")
    code = code_for(srv, u.email)
    for _ in range(5):
        with expect("CodeMismatchException", MISMATCH):
            idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=wrong(code))
    with expect("LimitExceededException", LIMIT):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code)
    assert status_of(idp, u.email) == "UNCONFIRMED"
    # A new code (ResendConfirmationCode) works.
    seen = codes_logged(srv, u.email)
    r = idp.resend_confirmation_code(ClientId=CLIENT_ID, Username=u.email)
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code_for(srv, u.email, seen))
    assert status_of(idp, u.email) == "CONFIRMED"


def test_sign_up_code_expires(srv, idp):
    u = sign_up(idp, "exp")
    code = code_for(srv, u.email)
    time.sleep(CODE_VALIDITY + 0.5)
    with expect("ExpiredCodeException", EXPIRED):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code)
    assert status_of(idp, u.email) == "UNCONFIRMED"


def test_reset_code_dies_after_five_wrong_guesses_and_expires(srv, idp):
    u = verified_user(srv, idp, "rst")
    seen = codes_logged(srv, u.email)
    idp.forgot_password(ClientId=CLIENT_ID, Username=u.email)
    code = code_for(srv, u.email, seen)
    for _ in range(5):
        with expect("CodeMismatchException", MISMATCH):
            idp.confirm_forgot_password(
                ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=wrong(code), Password="Reset-pass1"
            )
    with expect("LimitExceededException", LIMIT):
        idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code, Password="Reset-pass1")
    assert sign_in(idp, u.email, u.password)["AccessToken"]  # password unchanged

    seen = codes_logged(srv, u.email)
    idp.forgot_password(ClientId=CLIENT_ID, Username=u.email)
    code = code_for(srv, u.email, seen)
    time.sleep(CODE_VALIDITY + 0.5)
    with expect("ExpiredCodeException", EXPIRED):
        idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code, Password="Reset-pass1")
    assert sign_in(idp, u.email, u.password)["AccessToken"]


# --------------------------------------------------------------------------
# Custom attributes
# --------------------------------------------------------------------------


def test_undeclared_custom_attributes_are_refused(idp):
    email = f"cust{unique_suffix()}@wire.example.com"
    with expect(
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {custom:shoe} could not be determined",
    ):
        idp.sign_up(
            ClientId=CLIENT_ID,
            Username=email,
            Password="Wire-pass1!",
            UserAttributes=[{"Name": "custom:shoe", "Value": "42"}],
        )
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=email)

    u = new_user(idp, "cust", signed_in=False)
    before = attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    with expect(
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {custom:shoe} could not be determined",
    ):
        idp.admin_update_user_attributes(
            UserPoolId=POOL_ID,
            Username=u.email,
            UserAttributes=[{"Name": "custom:colour", "Value": "blue"}, {"Name": "custom:shoe", "Value": "42"}],
        )
    assert attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"]) == before


def test_declared_custom_attributes_are_kept(idp):
    u = new_user(idp, "decl", signed_in=False)
    idp.admin_update_user_attributes(
        UserPoolId=POOL_ID,
        Username=u.email,
        UserAttributes=[{"Name": "custom:colour", "Value": "blue"}, {"Name": "custom:team", "Value": "b5"}],
    )
    a = attrs(idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    assert a["custom:colour"] == "blue" and a["custom:team"] == "b5"


def test_attribute_values_are_length_checked(raw_idp):
    u = new_user(raw_idp, "len", signed_in=False)
    with expect(
        "InvalidParameterException",
        "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy "
        "constraint: Member must have length less than or equal to 2048",
    ):
        raw_idp.admin_update_user_attributes(
            UserPoolId=POOL_ID, Username=u.email, UserAttributes=[{"Name": "name", "Value": "x" * 2049}]
        )
    a = attrs(raw_idp.admin_get_user(UserPoolId=POOL_ID, Username=u.email)["UserAttributes"])
    assert a["name"] == u.name


# --------------------------------------------------------------------------
# ForgotPassword / ConfirmForgotPassword / ChangePassword
# --------------------------------------------------------------------------


def test_forgot_password_with_the_logged_code(srv, idp):
    u = verified_user(srv, idp, "fgt")
    seen = codes_logged(srv, u.email)
    r = idp.forgot_password(ClientId=CLIENT_ID, Username=u.email)
    d = r["CodeDeliveryDetails"]
    assert d["DeliveryMedium"] == "EMAIL" and d["AttributeName"] == "email"
    assert d["Destination"] == u.email[0] + "***@" + u.email.split("@")[1][0] + "***"
    code = code_for(srv, u.email, seen)
    with expect("InvalidPasswordException", "Password did not conform with policy: Password not long enough"):
        idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code, Password="Sh0rt!")
    assert sign_in(idp, u.email, u.password)["AccessToken"]  # not reset yet
    idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code, Password="Reset-pass1")
    with expect("NotAuthorizedException", INCORRECT):
        password_auth(idp, u.email, u.password)
    assert sign_in(idp, u.email, "Reset-pass1")["AccessToken"]
    with expect("CodeMismatchException", MISMATCH):  # spent
        idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=u.email, ConfirmationCode=code, Password="Again-pass1")


def test_forgot_password_errors(srv, idp):
    # PreventUserExistenceErrors: an unknown user gets a simulated delivery, no code.
    email = f"ghost{unique_suffix()}@wire.example.com"
    r = idp.forgot_password(ClientId=CLIENT_ID, Username=email)
    assert r["CodeDeliveryDetails"]["Destination"] == "g***@w***"
    assert codes_logged(srv, email) == 0
    with expect("CodeMismatchException", MISMATCH):
        idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=email, ConfirmationCode="123456", Password="Reset-pass1")
    # An invited user still has to sign in with the temporary password.
    invited = f"inv{unique_suffix()}@wire.example.com"
    idp.admin_create_user(UserPoolId=POOL_ID, Username=invited, MessageAction="SUPPRESS")
    with expect("NotAuthorizedException", "User password cannot be reset in the current state."):
        idp.forgot_password(ClientId=CLIENT_ID, Username=invited)
    assert status_of(idp, invited) == "FORCE_CHANGE_PASSWORD"
    # A user confirmed by an administrator, or not at all, has no verified
    # e-mail to send a code to (Cognito's well-known answer).
    admin_confirmed = new_user(idp, "adm", signed_in=False)
    with expect(
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ):
        idp.forgot_password(ClientId=CLIENT_ID, Username=admin_confirmed.email)
    u = sign_up(idp, "unc")
    with expect(
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ):
        idp.forgot_password(ClientId=CLIENT_ID, Username=u.email)
    assert status_of(idp, u.email) == "UNCONFIRMED"


def test_change_password(idp):
    u = new_user(idp, "chg")
    with expect("NotAuthorizedException", INCORRECT):
        idp.change_password(AccessToken=u.access, PreviousPassword="Wrong-pass1", ProposedPassword="Changed-pass1")
    with expect("InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters"):
        idp.change_password(AccessToken=u.access, PreviousPassword=u.password, ProposedPassword="Changed-pass!")
    assert sign_in(idp, u.email, u.password)["AccessToken"]  # unchanged
    idp.change_password(AccessToken=u.access, PreviousPassword=u.password, ProposedPassword="Changed-pass1")
    with expect("NotAuthorizedException", INCORRECT):
        password_auth(idp, u.email, u.password)
    assert sign_in(idp, u.email, "Changed-pass1")["AccessToken"]
    with expect("NotAuthorizedException", "Invalid Access Token"):
        idp.change_password(AccessToken="not.a.token", PreviousPassword="Changed-pass1", ProposedPassword="Other-pass1")


def test_change_password_guesses_are_limited(idp):
    u = new_user(idp, "chl")
    for _ in range(5):
        with expect("NotAuthorizedException", INCORRECT):
            idp.change_password(AccessToken=u.access, PreviousPassword="Wrong-pass1", ProposedPassword="Changed-pass1")
    with expect("LimitExceededException", LIMIT):
        idp.change_password(AccessToken=u.access, PreviousPassword=u.password, ProposedPassword="Changed-pass1")
    assert status_of(idp, u.email) == "CONFIRMED"
    time.sleep(LOCKOUT_UNIT + 0.2)
    assert sign_in(idp, u.email, u.password)["AccessToken"]  # unchanged


# --------------------------------------------------------------------------
# USER_SRP_AUTH with real clients (tests/userpool-js)
# --------------------------------------------------------------------------

JS_DIR = os.path.join(REPO, "tests", "userpool-js")


def _node_ready():
    node = shutil.which("node")
    if not node:
        return None, "node is not installed"
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "amazon-cognito-identity-js")):
        npm = shutil.which("npm")
        if not npm:
            return None, "npm is not installed"
        r = subprocess.run(
            [npm, "ci", "--prefix", JS_DIR, "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        if r.returncode != 0:
            return None, f"npm ci failed: {r.stderr[-2000:]}"
    return node, None


def test_srp_with_amazon_cognito_identity_js_and_amplify(tmp_path):
    node, why = _node_ready()
    if not node:
        pytest.skip(why)
    data = tmp_path / "serve"
    # A user from before SRP: signed up, then their verifier removed as in a
    # database written by an older pool.
    srv = ServeProcess(data)
    try:
        idp = srv.idp()
        old = new_user(idp, "old", signed_in=False)
    finally:
        srv.stop_cleanly()
    con = sqlite3.connect(str(data / "userpool.sqlite3"))
    with con:
        con.execute("UPDATE users SET srp_salt = '', srp_verifier = '' WHERE email_key = ?", (old.email.lower(),))
    con.close()

    srv = ServeProcess(data)
    try:
        idp = srv.idp()
        fresh = new_user(idp, "srp", signed_in=False)
        env = dict(os.environ)
        env.update(
            {
                "USERPOOL_ENDPOINT": srv.ddb_url,
                "USERPOOL_ID": POOL_ID,
                "USERPOOL_CLIENT_ID": CLIENT_ID,
                "USERPOOL_USER": fresh.email,
                "USERPOOL_PASSWORD": fresh.password,
                "USERPOOL_OLD_USER": old.email,
                "USERPOOL_OLD_PASSWORD": old.password,
            }
        )
        r = subprocess.run(
            [node, "--test", os.path.join(JS_DIR, "srp.test.mjs")],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert r.returncode == 0, f"node --test failed ({r.returncode}):\n{r.stdout[-6000:]}\n{r.stderr[-3000:]}"
        passed = re.search(r"^# pass (\d+)$", r.stdout, re.M)
        assert passed and int(passed.group(1)) == 5, r.stdout
    finally:
        srv.stop_cleanly()
