"""The HTTP protocol, tested with raw requests (`requests`, http.client):
health check, CRC32 and request-id headers, error envelopes, SerializationException,
UnknownOperationException, authentication-header errors, gzip in both
directions, keep-alive, request size limit, and the server's command line."""

import gzip
import http.client
import json
import os
import subprocess
import time
import urllib.parse
import zlib

import pytest
import requests

from wire_util import (
    REGION,
    SERVER_BIN,
    ServerProcess,
    crc32_of,
    error_message,
    error_type,
    random_key,
    raw_call,
    sign_headers,
)

JSON_CT = "application/x-amz-json-1.0"


def test_health_check(endpoint):
    r = requests.get(endpoint + "/", timeout=10)
    assert r.status_code == 200
    assert r.text == f"healthy: dynamodb.{REGION}.amazonaws.com "
    assert requests.get(endpoint + "/?probe=1", timeout=10).text == r.text


@pytest.mark.parametrize("path", ["/abc", "/-", "/index.htm", "/health", "//", "/healthy"])
def test_health_check_only_on_the_root_path(endpoint, path):
    """Other paths are no health check (ScyllaDB's test_health.py, verified
    against DynamoDB: a 4xx). Ours is the answer to an unknown operation."""
    r = requests.get(endpoint + path, timeout=10)
    assert 400 <= r.status_code <= 404
    assert "healthy" not in r.text


def test_success_headers(endpoint):
    r = raw_call(endpoint, "ListTables", {"Limit": 1})
    assert r.status_code == 200
    assert r.headers["x-amz-crc32"] == str(crc32_of(r.content))
    assert r.headers.get("x-amzn-RequestId")
    assert r.headers["Content-Type"].startswith(JSON_CT)
    assert "TableNames" in r.json()


def test_request_ids_differ(endpoint):
    ids = {raw_call(endpoint, "ListTables", {}).headers["x-amzn-RequestId"] for _ in range(5)}
    assert len(ids) == 5


def test_error_envelope_and_headers(endpoint):
    r = raw_call(endpoint, "DescribeTable", {"TableName": "no-such-table-" + random_key()})
    assert r.status_code == 400
    assert r.headers["x-amz-crc32"] == str(crc32_of(r.content))
    assert r.headers.get("x-amzn-RequestId")
    body = r.json()
    assert body["__type"].endswith("#ResourceNotFoundException")
    assert error_message(body).startswith("Requested resource not found")


def test_put_item_returns_json_object(endpoint, table_s):
    r = raw_call(endpoint, "PutItem", {"TableName": table_s, "Item": {"pk": {"S": random_key()}}})
    assert r.status_code == 200
    assert r.json() == {}


@pytest.mark.parametrize("body", ["{", "}{", "not json", '{"TableName": }', "[1,2", '{"a":"b"', "\x00\x01"])
def test_malformed_json(endpoint, body):
    r = raw_call(endpoint, "ListTables", body)
    assert r.status_code == 400
    assert error_type(r.json()) == "SerializationException"


def test_wrong_json_types(endpoint):
    r = raw_call(endpoint, "DescribeTable", {"TableName": 5})
    assert r.status_code == 400
    assert error_type(r.json()) == "SerializationException"
    r = raw_call(endpoint, "ListTables", {"Limit": "ten"})
    assert r.status_code == 400
    assert error_type(r.json()) == "SerializationException"


def test_missing_required_parameter(endpoint):
    r = raw_call(endpoint, "DescribeTable", {})
    assert r.status_code == 400
    body = r.json()
    assert error_type(body) == "ValidationException"
    # "1 validation error detected: Value null at 'tableName' failed to satisfy constraint:
    # Member must not be null" (older: "The parameter 'TableName' is required but was not present")
    assert "ableName" in error_message(body)


def test_unknown_operation(endpoint):
    r = raw_call(endpoint, "NoSuchOperation", {})
    assert r.status_code == 400
    assert error_type(r.json()) == "UnknownOperationException"


def test_bad_target_prefix(endpoint):
    body = b"{}"
    headers = sign_headers(endpoint, "ListTables", body)
    headers["X-Amz-Target"] = "SomeOtherService.ListTables"
    r = requests.post(endpoint + "/", data=body, headers=headers, timeout=10)
    assert r.status_code == 400
    assert error_type(r.json()) == "UnknownOperationException"


def test_missing_authorization(endpoint):
    r = requests.post(
        endpoint + "/",
        data=b"{}",
        headers={"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": JSON_CT},
        timeout=10,
    )
    assert r.status_code == 400
    body = r.json()
    assert error_type(body) == "MissingAuthenticationTokenException"
    assert error_message(body) == "Request is missing Authentication Token"
    assert r.headers.get("x-amzn-RequestId")


def test_garbled_authorization(endpoint):
    body = b"{}"
    headers = sign_headers(endpoint, "ListTables", body)
    headers["Authorization"] = "AWS4-HMAC-SHA256 garbage"
    r = requests.post(endpoint + "/", data=body, headers=headers, timeout=10)
    assert r.status_code == 400
    j = r.json()
    assert error_type(j) == "IncompleteSignatureException"
    # AWS: "'garbage' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 garbage'."
    assert "Authorization header" in error_message(j)


def test_authorization_missing_parts(endpoint):
    body = b"{}"
    headers = sign_headers(endpoint, "ListTables", body)
    headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request"
    r = requests.post(endpoint + "/", data=body, headers=headers, timeout=10)
    assert r.status_code == 400
    j = r.json()
    assert error_type(j) == "IncompleteSignatureException"
    # AWS: "Authorization header requires 'Signature' parameter. Authorization header requires
    # 'SignedHeaders' parameter. Authorization=..."
    assert "Authorization header requires 'Signature' parameter" in error_message(j)


def test_authorization_without_date(endpoint):
    body = b"{}"
    headers = sign_headers(endpoint, "ListTables", body)
    del headers["X-Amz-Date"]
    r = requests.post(endpoint + "/", data=body, headers=headers, timeout=10)
    assert r.status_code == 400
    j = r.json()
    assert error_type(j) == "IncompleteSignatureException"
    assert "X-Amz-Date" in error_message(j)


def test_any_credentials_accepted(endpoint):
    # Signature verification is a later issue: any well-formed signature passes today.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    if "amazonaws.com" in endpoint:
        pytest.skip("real DynamoDB checks signatures")
    body = b"{}"
    req = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=body,
        headers={"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": JSON_CT},
    )
    SigV4Auth(Credentials("AKIDSOMEONEELSE", "other-secret"), "dynamodb", "us-east-1").add_auth(req)
    r = requests.post(endpoint + "/", data=body, headers=dict(req.headers.items()), timeout=10)
    assert r.status_code == 200


def test_gzip_request_body(endpoint, dynamodb, table_s):
    k = random_key()
    body = gzip.compress(json.dumps({"TableName": table_s, "Item": {"pk": {"S": k}, "v": {"S": "zipped"}}}).encode())
    r = raw_call(endpoint, "PutItem", body, extra_headers={"Content-Encoding": "gzip"})
    assert r.status_code == 200, r.text
    got = dynamodb.get_item(TableName=table_s, Key={"pk": {"S": k}}, ConsistentRead=True)["Item"]
    assert got["v"] == {"S": "zipped"}


def test_deflate_request_body(endpoint, dynamodb, table_s):
    """Content-Encoding: deflate (RFC 9110 section 8.4.1.2: the zlib format),
    and raw deflate data as some clients send it; garbage is a 400 (DynamoDB
    answers 500: see test_http_encoding.py)."""
    for name, compress in (("zlib", zlib.compress),
                           ("raw", lambda b: zlib.compress(b)[2:-4])):
        k = random_key()
        payload = {"TableName": table_s, "Item": {"pk": {"S": k}, "v": {"S": name}}}
        r = raw_call(endpoint, "PutItem", compress(json.dumps(payload).encode()),
                     extra_headers={"Content-Encoding": "deflate"})
        assert r.status_code == 200, r.text
        got = dynamodb.get_item(TableName=table_s, Key={"pk": {"S": k}}, ConsistentRead=True)["Item"]
        assert got["v"] == {"S": name}
    r = raw_call(endpoint, "PutItem", b"not deflate at all", extra_headers={"Content-Encoding": "deflate"})
    assert r.status_code == 400


def test_accept_encoding_deflate(endpoint, dynamodb, table_s):
    """A client that accepts deflate but not gzip gets a zlib-format body."""
    k = random_key()
    big = "compress me " * 2000
    dynamodb.put_item(TableName=table_s, Item={"pk": {"S": k}, "big": {"S": big}})
    key = {"TableName": table_s, "Key": {"pk": {"S": k}}, "ConsistentRead": True}
    status, headers, raw = _raw_response(endpoint, "GetItem", key, {"Accept-Encoding": "deflate"})
    assert status == 200
    assert headers.get("content-encoding") == "deflate"
    assert json.loads(zlib.decompress(raw))["Item"]["big"]["S"] == big
    # Of equally weighted codings the first listed wins, as in DynamoDB
    # (test_http_encoding.py); q=0 refuses a coding
    status, headers, raw = _raw_response(endpoint, "GetItem", key, {"Accept-Encoding": "deflate, gzip"})
    assert headers.get("content-encoding") == "deflate"
    status, headers, raw = _raw_response(endpoint, "GetItem", key, {"Accept-Encoding": "gzip, deflate"})
    assert headers.get("content-encoding") == "gzip"
    status, headers, raw = _raw_response(endpoint, "GetItem", key, {"Accept-Encoding": "deflate;q=0"})
    assert "content-encoding" not in headers
    assert json.loads(raw)["Item"]["big"]["S"] == big


def _raw_response(endpoint, target, payload, extra_headers):
    """Returns (status, headers, raw wire body) without letting the client decode it."""
    body = json.dumps(payload).encode()
    headers = sign_headers(endpoint, target, body, extra_headers)
    u = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    try:
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_accept_encoding_gzip(endpoint, dynamodb, table_s):
    k = random_key()
    big = "compress me " * 2000  # ~24 KB, above DynamoDB's 4 KB compression threshold
    dynamodb.put_item(TableName=table_s, Item={"pk": {"S": k}, "big": {"S": big}})
    status, headers, raw = _raw_response(
        endpoint, "GetItem", {"TableName": table_s, "Key": {"pk": {"S": k}}, "ConsistentRead": True}, {"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    plain = gzip.decompress(raw)
    assert len(raw) < len(plain) / 5
    assert json.loads(plain)["Item"]["big"]["S"] == big
    # x-amz-crc32 is what botocore checks against the bytes it receives
    assert headers["x-amz-crc32"] in (str(crc32_of(raw)), str(crc32_of(plain)))
    # without Accept-Encoding: not compressed
    status, headers, raw = _raw_response(
        endpoint, "GetItem", {"TableName": table_s, "Key": {"pk": {"S": k}}, "ConsistentRead": True}, {"Accept-Encoding": "identity"}
    )
    assert status == 200 and headers.get("content-encoding", "identity") == "identity"
    assert json.loads(raw)["Item"]["big"]["S"] == big
    assert headers["x-amz-crc32"] == str(crc32_of(raw))


def test_keep_alive(endpoint):
    u = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    try:
        sockets = set()
        for _ in range(20):
            body = b"{}"
            conn.request("POST", "/", body=body, headers=sign_headers(endpoint, "ListTables", body))
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200, data
            assert (resp.getheader("Connection") or "").lower() != "close"
            sockets.add(id(conn.sock))
            assert conn.sock is not None, "server closed a keep-alive connection"
        assert len(sockets) == 1
    finally:
        conn.close()


def test_keep_alive_with_errors(endpoint):
    # an error response does not close the connection either
    s = requests.Session()
    for _ in range(5):
        r = raw_call(endpoint, "NoSuchOperation", {}, session=s)
        assert r.status_code == 400
        r = raw_call(endpoint, "ListTables", {}, session=s)
        assert r.status_code == 200


def test_request_too_large(endpoint, table_s):
    body = json.dumps({"TableName": table_s, "Item": {"pk": {"S": "big"}, "v": {"S": "x" * (16 * 1024 * 1024 + 10)}}}).encode()
    try:
        r = raw_call(endpoint, "PutItem", body)
        assert r.status_code >= 400
    except requests.ConnectionError:
        pass  # closing the connection on an oversized request is acceptable
    # the server is still alive
    assert raw_call(endpoint, "ListTables", {}).status_code == 200


def test_large_request_under_limit_accepted(endpoint):
    # ~1 MB body (the item is too large, but the request must be read and answered with DynamoDB's error)
    body = {"TableName": "t" * 3, "Item": {"pk": {"S": "x"}, "v": {"S": "y" * (1024 * 1024)}}}
    r = raw_call(endpoint, "PutItem", body)
    assert r.status_code == 400
    assert error_type(r.json()) in ("ValidationException", "ResourceNotFoundException")


# ---------------------------------------------------------------- command line


@pytest.mark.local_only
def test_help():
    r = subprocess.run([SERVER_BIN, "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0
    out = r.stdout + r.stderr
    for flag in ("--port", "--host", "--db-path", "--in-memory", "--region"):
        assert flag in out, flag


@pytest.mark.local_only
def test_dynamodb_local_flag_spellings(tmp_path, client_for):
    """-port, -inMemory, -dbPath and -sharedDb are accepted (DynamoDB Local's spellings)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen(
        [SERVER_BIN, "-port", str(port), "-inMemory", "-sharedDb"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.time() + 10
        while True:
            try:
                c = client_for(f"http://127.0.0.1:{port}")
                c.list_tables()
                break
            except Exception:
                assert proc.poll() is None, proc.stdout.read()
                assert time.time() < deadline
                time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait(10)
    srv = ServerProcess(["-dbPath", str(tmp_path)])
    try:
        client_for(srv.url).list_tables()
    finally:
        srv.kill9()
    assert os.listdir(tmp_path), "-dbPath stores data in the given directory"


@pytest.mark.local_only
def test_sigterm_clean_shutdown_and_fast_start():
    t0 = time.time()
    srv = ServerProcess(["--in-memory"])
    started = time.time() - t0
    assert started < 2.0, f"took {started:.3f}s to listen"  # the goal is 100 ms; generous for sanitizer builds
    assert srv.stop() == 0, srv.log()


@pytest.mark.local_only
def test_bad_flag_fails():
    r = subprocess.run([SERVER_BIN, "--no-such-flag"], capture_output=True, text=True, timeout=10)
    assert r.returncode != 0


@pytest.mark.local_only
def test_region_and_host_flags(client_for):
    srv = ServerProcess(["--in-memory", "--host", "127.0.0.1", "--region", "eu-west-1"])
    try:
        c = client_for(srv.url)
        c.create_table(
            TableName="region-check",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        arn = c.describe_table(TableName="region-check")["Table"]["TableArn"]
        assert arn.startswith("arn:aws:dynamodb:eu-west-1:"), arn
    finally:
        srv.stop()


def test_describe_endpoints(dynamodb):
    """DescribeEndpoints answers as DynamoDB does: the regional endpoint,
    cached for a day. SDKs ask for it only with endpoint discovery on, and
    not when given an endpoint URL, so naming DynamoDB's own host here sends
    no client elsewhere."""
    r = dynamodb.describe_endpoints()
    assert r["Endpoints"] == [{"Address": f"dynamodb.{REGION}.amazonaws.com", "CachePeriodInMinutes": 1440}]
