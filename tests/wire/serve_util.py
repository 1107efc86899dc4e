"""Helpers for the `cruddur serve` tests (test_userpool.py, test_api.py).

`cruddur serve` runs the whole local stack in one process: the DynamoDB
endpoint, the local Cognito user pool and its JWKS on one port, the Cruddur
API on another. ServeProcess starts it on two free ports of 127.0.0.1 in a
data directory (optionally with a CONNECTION_URL), waits until both ports
accept connections, keeps its stdout (JSON log lines) and stderr (banner),
and stops it with SIGTERM; `serving()` / the fixtures assert that the stop
was clean (exit status 0: under ASan a leak makes it non-zero).

The binary: $CRUDDUR_BIN, else `cruddur` next to $DDB_SERVER_BIN, else
build/bin/cruddur (as test_cli.py finds it).

PostgreSQL: when CONNECTION_URL_TEST_PG is set (scripts/test.sh starts a
throwaway server and exports it), PgDatabases creates fresh uniquely-named
databases on that server with `cruddur db create` (no Python driver needed)
and drops them at the end of the session.
"""

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import uuid

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CRUDDUR_BIN = os.environ.get("CRUDDUR_BIN") or os.path.join(
    os.path.dirname(os.environ.get("DDB_SERVER_BIN") or os.path.join(REPO, "build", "bin", "x")),
    "cruddur",
)

REGION = "us-east-1"
POOL_ID = f"{REGION}_cruddur"  # serve's default (AWS_COGNITO_USER_POOL_ID unset)
CLIENT_ID = "cruddurlocalclient"  # serve's default (AWS_COGNITO_USER_POOL_CLIENT_ID unset)
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}"
FRONTEND_URL = "http://localhost:3000"
DEV_PASSWORD = "Cruddur1!"
SIGNING_KEY_FILE = "userpool-signing-key.pem"

# Cognito's messages for one-time codes (confirmation, reset, attribute
# verification): a wrong code, an expired one, too many wrong tries.
CODE_MISMATCH = "Invalid verification code provided, please try again."
CODE_EXPIRED = "Invalid code provided, please request a code again."
CODE_LIMIT = "Attempt limit exceeded, please try after some time."

SEED_GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
DIALOGUE = os.path.join(REPO, "src", "cruddur", "messaging", "data", "babylon5-conversation.txt")
# handle -> (e-mail, display name), as seeded (db/seed.sql + the local pool).
SEED_USERS = {
    "andrewbrown": ("andrew@exampro.co", "Andrew Brown"),
    "bayko": ("bayko@exampro.co", "Andrew Bayko"),
    "londo": ("lmollari@centari.com", "Londo Mollari"),
    "altbrown": ("andrew@cloudprojectbootcamp.com", "Alt Brown"),
}

# Variables of the seed that must not leak from the caller's environment
# into the child (each test states what it wants).
_SCRUBBED_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_COGNITO_USER_POOL_ID",
    "AWS_COGNITO_USER_POOL_CLIENT_ID",
    "AWS_REGION",
    "CONNECTION_URL",
    "DDB_MESSAGE_TABLE",
    "FRONTEND_URL",
    "BACKEND_URL",
)

requires_cruddur = pytest.mark.skipif(not os.path.exists(CRUDDUR_BIN), reason=f"{CRUDDUR_BIN} not built")


def seed_dialogue():
    """The seed conversation's 104 lines, in order (andrewbrown says the odd ones)."""
    with open(DIALOGUE) as f:
        return [line.rstrip("\n").split(": ", 1)[1] for line in f if line.strip()]


def unique_suffix():
    return uuid.uuid4().hex[:10]


def free_port():
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def two_free_ports():
    a = free_port()
    while True:
        b = free_port()
        if b != a:
            return a, b


def port_accepts(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------
# The process
# --------------------------------------------------------------------------


class ServeStartError(RuntimeError):
    pass


class ServeProcess:
    """One `cruddur serve` child. stdout and stderr are drained by threads
    (the child never blocks on a full pipe); stdout lines are kept both raw
    and, when they parse, as JSON objects."""

    def __init__(self, data_dir, connection_url=None, extra_args=(), env=None, startup_timeout=180.0):
        if not os.path.exists(CRUDDUR_BIN):
            raise ServeStartError(f"cruddur binary not found: {CRUDDUR_BIN} (set CRUDDUR_BIN or DDB_SERVER_BIN)")
        self.data_dir = str(data_dir)
        os.makedirs(self.data_dir, exist_ok=True)
        self.connection_url = connection_url
        self.pool_id = POOL_ID
        self.client_id = CLIENT_ID
        self._lock = threading.Lock()
        self.stdout_lines = []
        self.stderr_lines = []
        self.proc = None
        last_error = None
        # A free port can be taken by someone else between the check and the
        # bind: retry with new ports if the child exits during start-up.
        for _ in range(3):
            self.api_port, self.ddb_port = two_free_ports()
            try:
                self._start(connection_url, extra_args, env, startup_timeout)
                break
            except ServeStartError as e:
                last_error = e
                if self.proc is not None and self.proc.poll() is None:
                    raise  # still running but not serving: not a port race
                if "bind" not in self.output().lower() and "in use" not in self.output().lower():
                    raise
        else:
            raise last_error
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.ddb_url = f"http://127.0.0.1:{self.ddb_port}"
        self.jwks_url = f"{self.ddb_url}/{self.pool_id}/.well-known/jwks.json"

    def _start(self, connection_url, extra_args, env, startup_timeout):
        child_env = dict(os.environ)
        for k in _SCRUBBED_ENV:
            child_env.pop(k, None)
        child_env["AWS_DEFAULT_REGION"] = REGION
        child_env["FRONTEND_URL"] = FRONTEND_URL
        if connection_url:
            child_env["CONNECTION_URL"] = connection_url
        if env:
            child_env.update(env)
        self.args = [
            CRUDDUR_BIN,
            "serve",
            "--host",
            "127.0.0.1",
            "--api-port",
            str(self.api_port),
            "--ddb-port",
            str(self.ddb_port),
            "--data",
            self.data_dir,
            *extra_args,
        ]
        with self._lock:
            self.stdout_lines = []
            self.stderr_lines = []
        self.proc = subprocess.Popen(
            self.args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=child_env,
            text=True,
            errors="replace",
            bufsize=1,
        )
        self._readers = [
            threading.Thread(target=self._drain, args=(self.proc.stdout, self.stdout_lines), daemon=True),
            threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_lines), daemon=True),
        ]
        for t in self._readers:
            t.start()
        deadline = time.time() + startup_timeout
        while True:
            if self.proc.poll() is not None:
                self._join_readers()
                raise ServeStartError(
                    f"cruddur serve exited with {self.proc.returncode} during start-up; "
                    f"args={self.args}; output:\n{self.output()}"
                )
            if port_accepts(self.api_port) and port_accepts(self.ddb_port):
                break
            if time.time() > deadline:
                self.kill9()
                raise ServeStartError(
                    f"cruddur serve did not accept connections on both ports within {startup_timeout}s; "
                    f"args={self.args}; output:\n{self.output()}"
                )
            time.sleep(0.05)
        # The "ready" event comes once it listens; give it a moment, but its
        # absence is test_userpool's business, not every test's.
        self.wait_for_event("ready", timeout=15.0, required=False)

    def _drain(self, stream, sink):
        for line in stream:
            with self._lock:
                sink.append(line.rstrip("\n"))

    def _join_readers(self):
        for t in getattr(self, "_readers", []):
            t.join(5)

    # ---- output ----------------------------------------------------------

    def log_lines(self):
        """stdout so far: the raw lines."""
        with self._lock:
            return list(self.stdout_lines)

    def json_lines(self):
        """stdout so far: the lines that are JSON objects."""
        out = []
        for line in self.log_lines():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                out.append(obj)
        return out

    def events(self, name, **fields):
        return [
            e
            for e in self.json_lines()
            if e.get("event") == name and all(e.get(k) == v for k, v in fields.items())
        ]

    def wait_for_event(self, name, timeout=10.0, required=True, **fields):
        deadline = time.time() + timeout
        while True:
            found = self.events(name, **fields)
            if found:
                return found[-1]
            if time.time() > deadline or (self.proc.poll() is not None):
                if required:
                    raise AssertionError(
                        f"no {name} event with {fields} on stdout within {timeout}s; output:\n{self.output()}"
                    )
                return None
            time.sleep(0.05)

    def banner(self):
        with self._lock:
            return "\n".join(self.stderr_lines)

    def output(self, tail=150):
        with self._lock:
            out = self.stdout_lines[-tail:]
            err = self.stderr_lines[-tail:]
        return "--- stdout ---\n" + "\n".join(out) + "\n--- stderr ---\n" + "\n".join(err)

    # ---- lifetime ---------------------------------------------------------

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30.0):
        """SIGTERM (by PID), then SIGKILL if it does not exit in time. Returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                self._join_readers()
                return f"did not exit within {timeout}s of SIGTERM (killed)"
        self._join_readers()
        return self.proc.returncode

    def stop_cleanly(self):
        code = self.stop()
        if code != 0:
            pytest.fail(f"cruddur serve: SIGTERM must stop it with exit status 0, got {code}; output:\n{self.output()}")

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL, by PID
            self.proc.wait(10)
        self._join_readers()

    # ---- files -------------------------------------------------------------

    def signing_key_pem(self):
        with open(os.path.join(self.data_dir, SIGNING_KEY_FILE), "rb") as f:
            return f.read()

    # ---- clients ------------------------------------------------------------

    def idp(self, validate=True):
        return cognito_client(self.ddb_url, validate=validate)

    def api(self):
        return Api(self.api_url)

    def jwks(self):
        r = requests.get(self.jwks_url, timeout=10)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()


@contextlib.contextmanager
def serving(data_dir, connection_url=None, extra_args=(), env=None):
    """`with serving(dir) as srv:` - started, and stopped with SIGTERM at the
    end; a non-zero exit status fails the test."""
    srv = ServeProcess(data_dir, connection_url=connection_url, extra_args=extra_args, env=env)
    try:
        yield srv
    finally:
        if srv.alive():
            srv.stop_cleanly()


# --------------------------------------------------------------------------
# PostgreSQL databases
# --------------------------------------------------------------------------


def pg_url_with_database(base_url, database):
    parts = urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


class PgDatabases:
    """Fresh databases on the CONNECTION_URL_TEST_PG server, made and dropped
    with `cruddur db create` / `cruddur db drop` (CONNECTION_URL set)."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.urls = []

    def _run(self, url, action):
        env = dict(os.environ)
        for k in _SCRUBBED_ENV:
            env.pop(k, None)
        env["CONNECTION_URL"] = url
        return subprocess.run(
            [CRUDDUR_BIN, "db", action],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )

    def create(self):
        url = pg_url_with_database(self.base_url, f"cruddur_wire_{uuid.uuid4().hex[:12]}")
        r = self._run(url, "create")
        if r.returncode != 0:
            raise RuntimeError(f"cruddur db create failed ({r.returncode}): {r.stderr.strip()}")
        self.urls.append(url)
        return url

    def drop_all(self):
        for url in self.urls:
            self._run(url, "drop")
        self.urls = []


@pytest.fixture(scope="session")
def pg_databases():
    """PgDatabases, or None when CONNECTION_URL_TEST_PG is unset."""
    base = os.environ.get("CONNECTION_URL_TEST_PG")
    if not base:
        yield None
        return
    dbs = PgDatabases(base)
    yield dbs
    dbs.drop_all()


BACKENDS = ["sqlite", "postgresql"]


def connection_url_for(backend, pg_databases):
    """The CONNECTION_URL for a new stack: None (serve's SQLite default) or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return None
    if pg_databases is None:
        pytest.skip("CONNECTION_URL_TEST_PG is unset (scripts/test.sh starts a PostgreSQL server and sets it)")
    return pg_databases.create()


def directory_rows(srv):
    """The users directory as stored, read straight from the database serve
    uses (SQLite DIR/cruddur.sqlite3 read-only, or PostgreSQL through psql):
    a list of {handle, display_name, email, cognito_user_id}."""
    cols = ("handle", "display_name", "email", "cognito_user_id")
    query = f"SELECT {', '.join(cols)} FROM users ORDER BY handle"
    if not srv.connection_url:
        path = os.path.join(srv.data_dir, "cruddur.sqlite3")
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return [dict(zip(cols, row)) for row in con.execute(query)]
        finally:
            con.close()
    r = subprocess.run(
        ["psql", srv.connection_url, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stderr
    return [dict(zip(cols, line.split("\t"))) for line in r.stdout.splitlines() if line]


# --------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------


def cognito_client(endpoint_url, validate=True):
    cfg = Config(
        region_name=REGION,
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=60,
        parameter_validation=validate,
    )
    return boto3.session.Session().client(
        "cognito-idp",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="serve-test",
        aws_secret_access_key="serve-test",
        config=cfg,
    )


def error_code(exc):
    return exc.response["Error"]["Code"]


@contextlib.contextmanager
def expect_idp_error(*codes):
    """Expect a botocore ClientError whose code is one of `codes`."""
    with pytest.raises(ClientError) as ei:
        yield ei
    code = error_code(ei.value)
    assert code in codes, f"expected {' or '.join(codes)}, got {code}: {ei.value.response['Error'].get('Message')}"
    status = ei.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500, f"{code} came with HTTP {status}"


class Api:
    """The Cruddur API over `requests`. Every call asserts the answer is not a
    5xx: no request a client can send may get one."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method, path, token=None, headers=None, allow_5xx=False, **kw):
        h = {}
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if headers:
            h.update(headers)
        kw.setdefault("timeout", 30)
        r = self.session.request(method, self.base_url + path, headers=h, **kw)
        if not allow_5xx:
            assert r.status_code < 500, f"{method} {path} -> {r.status_code} {r.text[:500]}"
        return r

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, body, token=None, **kw):
        return self.request("POST", path, token=token, json=body, **kw)

    # ---- routes ----

    def message_groups(self, token, cursor=None):
        return self.get("/api/message_groups", token, params={"cursor": cursor} if cursor else None)

    def messages(self, token, group, cursor=None):
        return self.get(f"/api/messages/{group}", token, params={"cursor": cursor} if cursor else None)

    def send(self, token, message, handle=None, group=None):
        body = {"message": message}
        if handle is not None:
            body["handle"] = handle
        if group is not None:
            body["message_group_uuid"] = group
        return self.post("/api/messages", body, token)

    def user_short(self, token, handle):
        return self.get(f"/api/users/@{handle}/short", token)

    def all_pages(self, path_fn, token, max_pages=50):
        """Follows X-Next-Cursor. Returns the list of pages (each a list)."""
        pages, cursor = [], None
        for _ in range(max_pages):
            r = path_fn(token, cursor)
            assert r.status_code == 200, (r.status_code, r.text)
            pages.append(r.json())
            cursor = r.headers.get("X-Next-Cursor")
            if not cursor:
                return pages
        raise AssertionError(f"more than {max_pages} pages")


# --------------------------------------------------------------------------
# Users of the pool
# --------------------------------------------------------------------------


class PoolUser:
    def __init__(self, email, password, handle, name, sub=None):
        self.email = email
        self.password = password
        self.handle = handle
        self.name = name
        self.sub = sub
        self.tokens = None  # AuthenticationResult

    @property
    def access(self):
        return self.tokens["AccessToken"]

    def __repr__(self):
        return f"PoolUser({self.handle}, {self.email})"


def sign_in(idp, email, password, client_id=CLIENT_ID):
    r = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    assert "AuthenticationResult" in r, r
    return r["AuthenticationResult"]


def seed_user(idp, handle):
    email, name = SEED_USERS[handle]
    u = PoolUser(email, DEV_PASSWORD, handle, name)
    u.tokens = sign_in(idp, email, DEV_PASSWORD)
    return u


def sign_up(idp, prefix="w", password="Wire-pass1!", handle=None, name=None):
    """SignUp a fresh user (not confirmed). Returns the PoolUser (sub = UserSub)."""
    s = unique_suffix()
    handle = handle or f"{prefix}{s}"
    name = name or f"Wire {prefix.capitalize()} {s}"
    email = f"{handle}@wire.example.com"
    r = idp.sign_up(
        ClientId=CLIENT_ID,
        Username=email,
        Password=password,
        UserAttributes=[
            {"Name": "name", "Value": name},
            {"Name": "preferred_username", "Value": handle},
            {"Name": "email", "Value": email},
        ],
    )
    return PoolUser(email, password, handle, name, sub=r["UserSub"])


def new_user(idp, prefix="w", signed_in=True):
    """A fresh confirmed user (SignUp + AdminConfirmSignUp: their directory
    row exists), signed in unless told otherwise."""
    u = sign_up(idp, prefix)
    idp.admin_confirm_sign_up(UserPoolId=POOL_ID, Username=u.email)
    if signed_in:
        u.tokens = sign_in(idp, u.email, u.password)
    return u
