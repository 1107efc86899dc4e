"""Issue 11: browsers, user-pool admin operations and DNS rebinding.

A browser request is one carrying Origin. Only the allowed origins (-cors,
else FRONTEND_URL and the dev servers' origins) get a CORS grant - their own
origin, never "*" - and a preflight grants only the endpoint's headers. A
page from any other origin gets 403 and changes nothing. From an allowed
origin, only Cognito's public and token-authorized operations are served;
DynamoDB only with a credentials file and a verified signature; the pool's
IAM-authorized (admin) operations never. Admin operations must be signed.
Without a credentials file, a Host other than localhost/127.0.0.1/[::1] is
refused on both ports of `cruddur serve` (DNS rebinding)."""

import uuid

import pytest
import requests

from access_util import KEYS, client, error_of, raw, write_credentials_file
from serve_util import (
    CLIENT_ID,
    DEV_PASSWORD,
    FRONTEND_URL,
    POOL_ID,
    ServeProcess,
    cognito_client,
    requires_cruddur,
    sign_in,
)
from wire_util import ServerProcess

pytestmark = pytest.mark.local_only

EVIL = "http://evil.example.com"
ALLOWED = "http://localhost:3000"


def table_body(name):
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def no_grant(r):
    return not any(h.lower().startswith("access-control-allow") for h in r.headers)


def preflight(url, origin, method="POST", headers="content-type,x-amz-target,x-amz-date,authorization,x-evil"):
    return requests.options(
        url + "/",
        headers={"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers},
        timeout=10,
    )


def table_names(url):
    return raw(url, "ListTables", {"Limit": 100}, key_id="a", secret="b").json()["TableNames"]


# ---------------------------------------------------------------------------
# ddb-server without a credentials file
# ---------------------------------------------------------------------------


def test_foreign_origin_preflight_gets_no_grant(server):
    r = preflight(server.url, EVIL)
    assert r.status_code == 403
    assert no_grant(r), dict(r.headers)


def test_foreign_origin_request_changes_nothing(server):
    name = "evil-" + uuid.uuid4().hex[:8]
    r = raw(server.url, "CreateTable", table_body(name), key_id="a", secret="b", headers={"Origin": EVIL})
    assert r.status_code == 403
    assert no_grant(r)
    code, message = error_of(r)
    assert code == "AccessDeniedException" and EVIL in message
    assert name not in table_names(server.url)
    # A simple (non-preflighted) GET from the page gets no grant either.
    g = requests.get(server.url + "/", headers={"Origin": EVIL}, timeout=10)
    assert g.status_code == 403 and no_grant(g)


def test_allowed_origin_preflight_grants_only_the_endpoints_headers(server):
    r = preflight(server.url, ALLOWED)
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in r.headers["Vary"]
    allowed = {h.strip() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "x-amz-target", "x-amz-date", "authorization"} <= allowed
    assert "x-evil" not in allowed
    assert "DELETE" not in r.headers["Access-Control-Allow-Methods"]
    assert preflight(server.url, ALLOWED, method="DELETE").status_code == 403


def test_allowed_origin_gets_no_dynamodb_without_credentials(server):
    name = "browser-" + uuid.uuid4().hex[:8]
    r = raw(server.url, "CreateTable", table_body(name), key_id="a", secret="b", headers={"Origin": ALLOWED})
    assert r.status_code == 403
    # The page may read why (its origin is allowed), but nothing ran.
    assert r.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "credentials file" in error_of(r)[1]
    assert name not in table_names(server.url)


def test_cors_flag():
    srv = ServerProcess(["--in-memory", "-cors", "https://app.example,http://other.example:8080"])
    try:
        assert preflight(srv.url, "https://app.example").headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert no_grant(preflight(srv.url, ALLOWED))  # the defaults no longer apply
    finally:
        assert srv.stop() == 0
    srv = ServerProcess(["--in-memory", "-cors", "*"])
    try:
        r = preflight(srv.url, EVIL)
        assert r.headers["Access-Control-Allow-Origin"] == EVIL  # echoed, never "*"
        # Still no DynamoDB for a browser without credentials.
        assert raw(srv.url, "ListTables", {}, key_id="a", secret="b", headers={"Origin": EVIL}).status_code == 403
    finally:
        assert srv.stop() == 0


# ---------------------------------------------------------------------------
# ddb-server with a credentials file
# ---------------------------------------------------------------------------


def test_browser_with_credentials(tmp_path):
    path = write_credentials_file(tmp_path)
    srv = ServerProcess(["--in-memory", "--credentials", path])
    try:
        name = "browser-" + uuid.uuid4().hex[:8]
        r = raw(srv.url, "CreateTable", table_body(name), key_id="AKIDADMIN", headers={"Origin": ALLOWED})
        assert r.status_code == 200, r.text
        assert r.headers["Access-Control-Allow-Origin"] == ALLOWED
        assert r.headers["Vary"] == "Origin"
        # Unsigned from the browser: refused.
        r = raw(srv.url, "ListTables", {}, sign=False, headers={"Origin": ALLOWED})
        assert error_of(r)[0] == "MissingAuthenticationTokenException"
        # A foreign page with a good signature is still refused.
        r = raw(srv.url, "DeleteTable", {"TableName": name}, key_id="AKIDADMIN", headers={"Origin": EVIL})
        assert r.status_code == 403 and no_grant(r)
        assert name in client(srv.url, "AKIDADMIN").list_tables()["TableNames"]
    finally:
        assert srv.stop() == 0


# ---------------------------------------------------------------------------
# cruddur serve: the user pool and the API
# ---------------------------------------------------------------------------


def pool_call(srv, operation, body, origin=None, sign=True, key_id="serve-test", secret="serve-test", host=None):
    headers = {"Origin": origin} if origin else None
    return raw(srv.ddb_url, operation, body, key_id=key_id, secret=secret, api="cognito-idp", sign=sign, headers=headers, host=host)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if requires_cruddur.args[0]:
        pytest.skip(requires_cruddur.kwargs["reason"])
    s = ServeProcess(tmp_path_factory.mktemp("serve-browser"), extra_args=["--in-memory"])
    yield s
    s.stop_cleanly()


def test_serve_public_operations_from_the_frontend(stack):
    r = pool_call(
        stack,
        "InitiateAuth",
        {"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "andrew@exampro.co", "PASSWORD": DEV_PASSWORD}},
        origin=FRONTEND_URL,
        sign=False,
    )
    assert r.status_code == 200, r.text
    assert r.headers["Access-Control-Allow-Origin"] == FRONTEND_URL
    assert "AuthenticationResult" in r.json()
    p = preflight(stack.ddb_url, FRONTEND_URL, headers="content-type,x-amz-target,x-amz-user-agent")
    assert p.status_code == 200 and p.headers["Access-Control-Allow-Origin"] == FRONTEND_URL


def test_serve_malicious_page(stack):
    email = f"evil{uuid.uuid4().hex[:8]}@wire.example.com"
    assert no_grant(preflight(stack.ddb_url, EVIL))
    # SignUp from a foreign page: refused, nobody created.
    r = pool_call(
        stack,
        "SignUp",
        {"ClientId": CLIENT_ID, "Username": email, "Password": "Wire-pass1!", "UserAttributes": [{"Name": "email", "Value": email}]},
        origin=EVIL,
        sign=False,
    )
    assert r.status_code == 403 and no_grant(r)
    # Admin operations from a page - even an allowed one, even signed - never.
    for origin in (EVIL, FRONTEND_URL):
        r = pool_call(stack, "AdminSetUserPassword", {"UserPoolId": POOL_ID, "Username": "andrew@exampro.co", "Password": "Pwned-pass1!", "Permanent": True}, origin=origin)
        assert r.status_code == 403, r.text
        assert error_of(r)[0] == "AccessDeniedException"
    # DynamoDB from the frontend without credentials: refused.
    r = raw(stack.ddb_url, "Scan", {"TableName": "cruddur-messages"}, key_id="a", secret="b", headers={"Origin": FRONTEND_URL})
    assert r.status_code == 403
    idp = stack.idp()
    assert not idp.list_users(UserPoolId=POOL_ID, Filter=f'email = "{email}"')["Users"]
    sign_in(idp, "andrew@exampro.co", DEV_PASSWORD)  # the password did not change


@pytest.mark.parametrize(
    "operation,body",
    [
        ("AdminSetUserPassword", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co", "Password": "Pwned-pass1!", "Permanent": True}),
        ("AdminCreateUser", {"UserPoolId": POOL_ID, "Username": "intruder@wire.example.com"}),
        ("AdminConfirmSignUp", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co"}),
        ("AdminDeleteUser", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co"}),
        ("AdminUpdateUserAttributes", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co", "UserAttributes": [{"Name": "name", "Value": "pwned"}]}),
        ("AdminGetUser", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co"}),
        ("ListUsers", {"UserPoolId": POOL_ID}),
    ],
)
def test_serve_unsigned_admin_request_changes_nothing(stack, operation, body):
    r = pool_call(stack, operation, body, sign=False)
    assert r.status_code == 400, r.text
    assert error_of(r) == ("MissingAuthenticationTokenException", "Missing Authentication Token")
    idp = stack.idp()
    u = idp.admin_get_user(UserPoolId=POOL_ID, Username="bayko@exampro.co")
    assert {a["Name"]: a["Value"] for a in u["UserAttributes"]}["name"] == "Andrew Bayko"
    sign_in(idp, "bayko@exampro.co", DEV_PASSWORD)
    assert not idp.list_users(UserPoolId=POOL_ID, Filter='email = "intruder@wire.example.com"')["Users"]


def test_serve_signed_admin_request_works(stack):
    # Any well-formed signature without a credentials file (boto3 signs).
    assert stack.idp().list_users(UserPoolId=POOL_ID)["Users"]


def test_serve_rebinding_host_is_refused_on_both_ports(stack):
    r = pool_call(stack, "ListUsers", {"UserPoolId": POOL_ID}, host="evil.example.com:8000")
    assert r.status_code == 403 and "DNS rebinding" in error_of(r)[1]
    r = pool_call(
        stack,
        "InitiateAuth",
        {"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "andrew@exampro.co", "PASSWORD": DEV_PASSWORD}},
        sign=False,
        host="evil.example.com",
    )
    assert r.status_code == 403
    assert requests.get(stack.jwks_url, headers={"Host": "evil.example.com"}, timeout=10).status_code == 403
    a = requests.get(stack.api_url + "/api/message_groups", headers={"Host": "evil.example.com:4567"}, timeout=10)
    assert a.status_code == 403 and a.json() == {"errors": ["host_not_allowed"]}
    assert requests.get(stack.api_url + "/api/message_groups", headers={"Host": "localhost:4567"}, timeout=10).status_code == 401


def test_serve_non_loopback_without_credentials_is_refused(tmp_path):
    import subprocess

    from serve_util import CRUDDUR_BIN

    r = subprocess.run(
        [CRUDDUR_BIN, "serve", "--host", "0.0.0.0", "--api-port", "0", "--ddb-port", "0", "--in-memory", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert "refusing to listen on 0.0.0.0 without a credentials file" in r.stderr


def test_serve_with_credentials(tmp_path):
    path = write_credentials_file(tmp_path)
    s = ServeProcess(tmp_path / "data", extra_args=["--in-memory", "--credentials", path])
    try:
        # A key with userpool-admin may administer the pool.
        admin = client(s.ddb_url, "AKIDPOOLADMIN", service="cognito-idp")
        assert admin.list_users(UserPoolId=POOL_ID)["Users"]
        # A key without it is denied, in Cognito's words.
        r = pool_call(s, "ListUsers", {"UserPoolId": POOL_ID}, key_id="AKIDREADONLY", secret=KEYS["AKIDREADONLY"][0])
        assert r.status_code == 400
        code, message = error_of(r)
        assert code == "AccessDeniedException"
        assert message == (
            "User: arn:aws:iam::000000000000:user/cruddur-readonly is not authorized to perform: "
            f"cognito-idp:ListUsers on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/{POOL_ID} "
            "because no identity-based policy allows the cognito-idp:ListUsers action"
        )
        r = pool_call(s, "AdminGetUser", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co"}, key_id="AKIDNOBODY", secret="x")
        assert error_of(r)[0] == "UnrecognizedClientException"
        r = pool_call(s, "AdminGetUser", {"UserPoolId": POOL_ID, "Username": "bayko@exampro.co"}, key_id="AKIDPOOLADMIN", secret="wrong")
        assert error_of(r)[0] == "InvalidSignatureException"
        # Public operations need no key; DynamoDB needs one.
        sign_in(cognito_client(s.ddb_url), "andrew@exampro.co", DEV_PASSWORD)
        assert client(s.ddb_url, "AKIDREADONLY").scan(TableName="cruddur-messages")["Count"] > 0
        r = raw(s.ddb_url, "ListTables", {}, key_id="serve-test", secret="serve-test")
        assert error_of(r)[0] == "UnrecognizedClientException"
        # The Host rule is off with credentials (the signature covers Host).
        assert raw(s.ddb_url, "ListTables", {}, key_id="AKIDADMIN", host="db.example.com").status_code == 200
    finally:
        s.stop_cleanly()


def test_serve_api_allows_the_same_dev_origins(stack):
    """The API's CORS allows FRONTEND_URL, BACKEND_URL and the dev servers'
    origins the :8000 endpoint allows (the web app runs on 127.0.0.1:3000)."""
    for origin in ("http://127.0.0.1:3000", "http://localhost:5173", FRONTEND_URL):
        r = requests.options(
            stack.api_url + "/api/message_groups",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
            timeout=10,
        )
        assert r.headers.get("Access-Control-Allow-Origin") == origin, (origin, dict(r.headers))
    r = requests.options(
        stack.api_url + "/api/message_groups",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in r.headers
