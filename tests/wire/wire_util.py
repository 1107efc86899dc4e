"""Shared helpers for the wire tests (imported by conftest.py and the test files).

Everything here talks to the server only through real clients (boto3/botocore)
or raw HTTP signed with botocore's SigV4 signer, so the same tests can be run
against Amazon DynamoDB itself (DDB_ENDPOINT=https://dynamodb.us-east-1.amazonaws.com
with real credentials in the environment).
"""

import contextlib
import json
import os
import re
import socket
import subprocess
import threading
import time
import uuid
import zlib

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER_BIN = os.environ.get("DDB_SERVER_BIN", os.path.join(REPO, "build", "bin", "ddb-server"))
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
LISTEN_RE = re.compile(r"listening on (https?)://127\.0\.0\.1:(\d+)")

# Dummy credentials unless real ones are in the environment (for runs against AWS).
ACCESS_KEY = os.environ.get("AWS_ACCESS_KEY_ID", "testing-access-key")
SECRET_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "testing-secret-key")
SESSION_TOKEN = os.environ.get("AWS_SESSION_TOKEN")


def is_aws(endpoint):
    return "amazonaws.com" in endpoint


def assert_one_line_failure(r, *needles):
    """A cruddur tool's failure: non-zero exit, one line "cruddur: <reason>"
    on stderr containing each needle, and never a stack trace."""
    assert r.returncode != 0, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("cruddur: "), r.stderr
    for n in needles:
        assert n in lines[0], r.stderr
    for bad in ("Traceback", "terminate called", "what():", "Aborted"):
        assert bad not in r.stderr


def unique_name(prefix="wire"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def random_key():
    return uuid.uuid4().hex


def S(v):
    """A string attribute value."""
    return {"S": v}


def N(v):
    """A number attribute value."""
    return {"N": str(v)}


# --------------------------------------------------------------------------
# Server processes
# --------------------------------------------------------------------------


class ServerProcess:
    """A ddb-server child process. Output is drained by a thread (never blocks
    the server on a full pipe) and kept for failure messages."""

    def __init__(self, args, port=0, startup_timeout=15.0):
        if not os.path.exists(SERVER_BIN):
            raise RuntimeError(f"server binary not found: {SERVER_BIN} (set DDB_SERVER_BIN)")
        self.args = [SERVER_BIN, "--port", str(port)] + list(args)
        self.output = []
        self._port_found = threading.Event()
        self.port = None
        self.scheme = "http"  # "https" with --tls-cert/--tls-key
        self.proc = subprocess.Popen(
            self.args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        if not self._port_found.wait(startup_timeout):
            self.kill9()
            raise RuntimeError(
                f"server did not print 'listening on http(s)://127.0.0.1:<port>' within "
                f"{startup_timeout}s; args={self.args}; output:\n{self.log()}"
            )
        if self.port is None:
            raise RuntimeError(f"server exited during start-up; output:\n{self.log()}")
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        wait_for_port("127.0.0.1", self.port, 10.0)

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)
            if self.port is None:
                m = LISTEN_RE.search(line)
                if m:
                    self.scheme = m.group(1)
                    self.port = int(m.group(2))
                    self._port_found.set()
        self._port_found.set()  # process exited (EOF)

    def log(self):
        return "".join(self.output[-200:])

    def alive(self):
        return self.proc.poll() is None

    def stop(self, timeout=10.0):
        """Clean shutdown (SIGTERM), SIGKILL if it does not exit in time. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(2)
        return self.proc.returncode

    def kill9(self):
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL, by PID
            self.proc.wait(10)
        self._reader.join(2)


def wait_for_port(host, port, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing accepts connections on {host}:{port}")


def port_is_free(port, host="127.0.0.1"):
    """True if a server could listen on the port now. SO_REUSEADDR, as the
    server itself uses, so connections in TIME_WAIT from an earlier test do
    not count as busy."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@contextlib.contextmanager
def expect_error(code, message=None, match=None, status=None):
    """Expect a botocore ClientError with the given error code, and either an
    exact message or a message matching the regular expression `match`."""
    with pytest.raises(ClientError) as ei:
        yield ei
    err = ei.value.response["Error"]
    assert err["Code"] == code, f"expected {code}, got {err['Code']}: {err.get('Message')}"
    if message is not None:
        assert err.get("Message") == message
    if match is not None:
        assert re.search(match, err.get("Message", "")), f"message {err.get('Message')!r} !~ {match!r}"
    if status is not None:
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def expect_validation(match=None, message=None):
    return expect_error("ValidationException", message=message, match=match, status=400)


def error_of(fn, **kw):
    """The error response of fn(**kw), which must raise a botocore ClientError."""
    with pytest.raises(ClientError) as e:
        fn(**kw)
    return e.value.response


# --------------------------------------------------------------------------
# Raw (signed) HTTP
# --------------------------------------------------------------------------


def sign_headers(endpoint, target, body, extra_headers=None, service="dynamodb"):
    headers = {
        "X-Amz-Target": f"DynamoDB_20120810.{target}",
        "Content-Type": "application/x-amz-json-1.0",
    }
    if extra_headers:
        headers.update(extra_headers)
    req = AWSRequest(method="POST", url=endpoint + "/", data=body, headers=headers)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN), service, REGION).add_auth(req)
    return dict(req.headers.items())


def raw_call(endpoint, target, payload, extra_headers=None, session=None, **kwargs):
    """POST a signed DynamoDB request. `payload` is a dict (JSON-encoded) or bytes/str (sent as is)."""
    if isinstance(payload, dict):
        body = json.dumps(payload).encode()
    elif isinstance(payload, str):
        body = payload.encode()
    else:
        body = payload
    headers = sign_headers(endpoint, target, body, extra_headers)
    poster = session.post if session is not None else requests.post
    return poster(endpoint + "/", data=body, headers=headers, timeout=30, **kwargs)


def error_type(resp_json):
    """'com.amazonaws.dynamodb.v20120810#ValidationException' -> 'ValidationException'."""
    t = resp_json.get("__type", "")
    return t.rsplit("#", 1)[-1]


def error_message(resp_json):
    return resp_json.get("message", resp_json.get("Message"))


def crc32_of(body):
    return zlib.crc32(body) & 0xFFFFFFFF


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

TYPE_OF = {"S": "S", "N": "N", "B": "B"}


def key_schema(hash_key=("pk", "S"), range_key=None):
    ks = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    ad = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
    if range_key:
        ks.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        ad.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
    return ks, ad


def wait_table_active(client, name, timeout=300):
    deadline = time.time() + timeout
    while True:
        desc = client.describe_table(TableName=name)["Table"]
        busy = desc["TableStatus"] != "ACTIVE" or any(
            g.get("IndexStatus", "ACTIVE") != "ACTIVE" for g in desc.get("GlobalSecondaryIndexes", [])
        )
        if not busy:
            return desc
        if time.time() > deadline:
            raise TimeoutError(f"table {name} not ACTIVE: {desc['TableStatus']}")
        time.sleep(0.5)


def create_table(client, name=None, hash_key=("pk", "S"), range_key=None, **kwargs):
    name = name or unique_name()
    ks, ad = key_schema(hash_key, range_key)
    kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    kwargs.setdefault("KeySchema", ks)
    kwargs.setdefault("AttributeDefinitions", ad)
    client.create_table(TableName=name, **kwargs)
    wait_table_active(client, name)
    return name


def delete_table_quietly(client, name):
    try:
        client.delete_table(TableName=name)
    except ClientError:
        pass


def full_scan(client, **kwargs):
    items = []
    while True:
        r = client.scan(**kwargs)
        items.extend(r["Items"])
        if "LastEvaluatedKey" not in r:
            return items
        kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def full_query(client, **kwargs):
    items, pages = [], 0
    while True:
        r = client.query(**kwargs)
        pages += 1
        items.extend(r["Items"])
        if "LastEvaluatedKey" not in r:
            return items, pages
        kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]
