"""HTTP as DynamoDB speaks it: content codings both ways and the limits on the
request line and headers, through raw sockets, http.client and boto3.

Evidence for DynamoDB's own answers comes from ScyllaDB's Alternator tests,
which run against AWS as well (scylladb/scylladb, test/alternator/):
- test_compressed_response.py: gzip and deflate responses from 4 KB on, and
  how DynamoDB reads Accept-Encoding (its table is reproduced below);
- test_compressed_request.py: gzip request bodies; 500 for an unknown
  Content-Encoding and for a body that does not inflate (not gzip,
  truncated, empty); DynamoDB accepts junk after a gzip member (ScyllaDB
  marks that a DynamoDB bug) and inflated sizes far beyond 16 MB;
- issue scylladb/scylladb#23438 and PR #23442: DynamoDB limits the header
  block to 16 KB and answers 400 beyond it, a 17,000-character URL too.
Where we differ from DynamoDB, or nothing shows its answer, the test says so.
"""

import gzip
import http.client
import json
import socket
import time
import zlib

import pytest
import requests

from wire_util import (
    ServerProcess,
    crc32_of,
    error_message,
    error_type,
    random_key,
    raw_call,
    sign_headers,
)

KB = 1024
MiB = 1024 * 1024
# DynamoDB compresses responses from 4 KB on (test_compressed_response.py).
THRESHOLD = 4096


def host_port(endpoint):
    host, port = endpoint.split("//", 1)[1].split(":")
    return host, int(port)


def exchange(endpoint, wire, timeout=30):
    """Sends raw bytes, reads one response: (status, {header: value}, body,
    closed). `closed`: the server closed the connection after it."""
    s = socket.create_connection(host_port(endpoint), timeout=timeout)
    try:
        try:
            s.sendall(wire)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and stop reading first
        resp = http.client.HTTPResponse(s)
        resp.begin()
        body = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        closed = False
        if headers.get("connection", "").lower() == "close":
            try:
                closed = s.recv(1) == b""
            except ConnectionResetError:
                closed = True
        return resp.status, headers, body, closed
    finally:
        s.close()


def signed_wire(endpoint, target, body, extra_headers=None, chunked_pieces=None):
    """A signed POST as bytes; with `chunked_pieces`, sent chunked in pieces of
    that size instead of with Content-Length."""
    headers = sign_headers(endpoint, target, body, extra_headers)
    head = "POST / HTTP/1.1\r\nHost: {}:{}\r\n".format(*host_port(endpoint))
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    if chunked_pieces:
        head += "Transfer-Encoding: chunked\r\n\r\n"
        out = head.encode()
        for i in range(0, len(body), chunked_pieces):
            piece = body[i : i + chunked_pieces]
            out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        return out + b"0\r\n\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def put_payload(table, k, v="x"):
    return json.dumps({"TableName": table, "Item": {"pk": {"S": k}, "v": {"S": v}}}).encode()


def stored(dynamodb, table, k):
    return dynamodb.get_item(TableName=table, Key={"pk": {"S": k}}, ConsistentRead=True).get("Item")


def get_raw(endpoint, table, k, accept=None, projection=None, more_headers=None):
    """A signed GetItem; (status, headers, wire body) without decoding."""
    payload = {"TableName": table, "Key": {"pk": {"S": k}}, "ConsistentRead": True}
    if projection:
        payload["ProjectionExpression"] = projection
    extra = dict(more_headers or {})
    if accept is not None:
        extra["Accept-Encoding"] = accept
    r = raw_call(endpoint, "GetItem", payload, extra_headers=extra, stream=True)
    raw = r.raw.read(decode_content=False)
    return r.status_code, {k.lower(): v for k, v in r.headers.items()}, raw


def decoded(headers, raw):
    coding = headers.get("content-encoding")
    if coding == "gzip":
        return gzip.decompress(raw)
    if coding == "deflate":
        return zlib.decompress(raw)
    assert coding is None, coding
    return raw


@pytest.fixture(scope="module")
def big_item(dynamodb, table_s):
    """An item whose GetItem response is a little over 4 KB."""
    k = random_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": {"S": k}, "x": {"S": "x" * (THRESHOLD - 25)}})
    return k


# ---------------------------------------------------------------- Accept-Encoding

# ScyllaDB's test_compressed_response_accept_encodings, which passes against
# DynamoDB: what each Accept-Encoding value gets.
DYNAMODB_ACCEPT_ENCODING = [
    ("identity", None),
    ("", None),
    ("br", None),
    ("zstd", None),
    ("compress", None),
    ("x-gzip", None),
    ("gzip, deflate", "gzip"),
    ("br, identity, deflate, gzip", "deflate"),  # a tie goes to the first listed
    ("GZIP, identity", "gzip"),
    ("dog, gzip ,, cat", "gzip"),
    ("gzip;q=0.8, deflate;q=0.5", "gzip"),
    ("br, gzip;q=0, deflate; q = 0.5 , identity;q=0", "deflate"),
    ("*", "gzip"),
    ("*, deflate;q=0.5", "gzip"),
    ("*, deflate", "deflate"),
    ("*, identity", "gzip"),
    ("*, gzip;q=0.5", "deflate"),
    ("gzip ;q=0", None),
    ("identity;q=0", None),  # no 406: sent uncompressed
    ("*;q=0", None),
    ("*;q=0.5,identity", "gzip"),
    ("gzip;q=0.5,identity;q=0.8", "gzip"),
    ("br;q=0.8,identity;q=0.5,*;q=0", None),
    ('"gzip"', None),
    ("gzip br", None),
    ("gzip:q=1", None),
    ("deflate;q=0.5, gzip;q=31", "gzip"),
    ("gzip;q=31,deflate;q=51", "gzip"),
    ("deflate;q=0.5, gzip;q=0.2", "deflate"),
    ("deflate;q=0.5, gzip;q=1;q=0.2", "gzip"),
    ("deflate;q=0.5,gzip;q=0.", "deflate"),
    ("deflate;q=0.5,gzip;q=0.x", "gzip"),
    ("deflate;q=-0.5,gzip;q=0.2", "gzip"),
    ("gzip;nq=1;q=0 ", None),
    ("gzip;q=0, gzip;q=1, gzip;q=0", "gzip"),
    ("br,identity;q=0.5,gzip;q=0.0001", "gzip"),
]


@pytest.mark.parametrize("accept,want", DYNAMODB_ACCEPT_ENCODING)
def test_accept_encoding_as_dynamodb_reads_it(endpoint, table_s, big_item, accept, want):
    status, headers, raw = get_raw(endpoint, table_s, big_item, accept=accept)
    assert status == 200
    assert headers.get("content-encoding") == want
    item = json.loads(decoded(headers, raw))["Item"]
    assert item["x"]["S"] == "x" * (THRESHOLD - 25)
    # The CRC32 covers the bytes as sent (aws-sdk-go-v2's DynamoDB
    # customization: "the checksum is of the gzipped response").
    assert headers["x-amz-crc32"] == str(crc32_of(raw))


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compression_starts_at_4kb(endpoint, table_s, big_item, coding):
    """test_compressed_response: the whole item (over 4 KB) is compressed, one
    attribute of it (just under 4 KB) is not."""
    status, headers, raw = get_raw(endpoint, table_s, big_item, accept=coding, projection="pk, x")
    assert headers.get("content-encoding") == coding
    assert len(decoded(headers, raw)) > 30 * len(raw)
    status, headers, raw = get_raw(endpoint, table_s, big_item, accept=coding, projection="x")
    assert len(raw) < THRESHOLD
    assert "content-encoding" not in headers


def test_repeated_accept_encoding_last_counts(endpoint, table_s, big_item):
    """DynamoDB reads only the last of repeated Accept-Encoding fields
    (test_compressed_response.py's note). Raw, since requests merges them."""
    payload = json.dumps({"TableName": table_s, "Key": {"pk": {"S": big_item}}}).encode()
    for first, last, want in (("identity", "deflate", "deflate"), ("gzip", "identity", None)):
        wire = signed_wire(endpoint, "GetItem", payload)
        wire = wire.replace(
            b"\r\n\r\n", f"\r\nAccept-Encoding: {first}\r\nAccept-Encoding: {last}\r\n\r\n".encode(), 1
        )
        status, headers, body, _ = exchange(endpoint, wire)
        assert status == 200
        assert headers.get("content-encoding") == want


# ---------------------------------------------------------------- Content-Encoding

@pytest.mark.parametrize("name,compress", [
    ("gzip", gzip.compress),
    ("GZip", gzip.compress),
    ("x-gzip", gzip.compress),
    ("deflate", zlib.compress),
    # Raw deflate (RFC 1951) under the name "deflate": accepted, told apart
    # from the zlib format by its header's check bits. Our choice: botocore
    # sends only gzip (its requestcompression trait's encodings), DynamoDB
    # documents only gzip; some HTTP clients send raw data as "deflate".
    ("deflate", lambda b: zlib.compress(b)[2:-4]),
])
def test_compressed_request_bodies(endpoint, dynamodb, table_s, name, compress):
    k = random_key()
    r = raw_call(endpoint, "PutItem", compress(put_payload(table_s, k, name)),
                 extra_headers={"Content-Encoding": name})
    assert r.status_code == 200, r.text
    assert stored(dynamodb, table_s, k)["v"] == {"S": name}


@pytest.mark.parametrize("coding,compress", [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_chunked_compressed_request_body(endpoint, dynamodb, table_s, coding, compress):
    """Transfer-Encoding: chunked and Content-Encoding together: the chunks
    are joined, then inflated."""
    k = random_key()
    body = compress(put_payload(table_s, k, "y" * 20000))
    status, headers, resp, closed = exchange(
        endpoint, signed_wire(endpoint, "PutItem", body, {"Content-Encoding": coding}, chunked_pieces=100)
    )
    assert status == 200, resp
    assert stored(dynamodb, table_s, k)["v"] == {"S": "y" * 20000}


# Every broken or unknown coding is refused and nothing is written. DynamoDB
# answers these with a 500 (test_compressed_request.py:
# test_garbage_content_encoding, test_broken_gzip_content,
# test_gzip_request_with_missing_character, test_gzip_request_empty); this
# server answers 400 SerializationException on purpose (a deliberate
# difference: the fault is the client's, and SDKs retry a 500 with the same
# broken body), with a DynamoDB JSON error body.
BROKEN = {
    "unknown coding br": ("br", lambda b: b),
    "unknown coding compress": ("compress", lambda b: b),
    "garbage token": ("garbage", lambda b: b),
    "not a token": ("gzip;q=1", gzip.compress),
    "stacked gzip, gzip (a guess: like any coding DynamoDB does not know)": (
        "gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
    "plain body called gzip": ("gzip", lambda b: b),
    "truncated gzip": ("gzip", lambda b: gzip.compress(b)[:-1]),
    "empty gzip": ("gzip", lambda b: b""),
    "bad gzip checksum": ("gzip", lambda b: gzip.compress(b)[:-8] + b"\0\0\0\0" + gzip.compress(b)[-4:]),
    # DynamoDB accepts junk after the member (ScyllaDB: a DynamoDB bug);
    # we refuse it, as Alternator does.
    "junk after gzip": ("gzip", lambda b: gzip.compress(b) + b"junk"),
    "plain body called deflate": ("deflate", lambda b: b),
    "truncated deflate": ("deflate", lambda b: zlib.compress(b)[:-3]),
    "gzip called deflate": ("deflate", gzip.compress),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_encodings_are_400(endpoint, dynamodb, table_s, case):
    name, encode = BROKEN[case]
    k = random_key()
    s = requests.Session()
    r = raw_call(endpoint, "PutItem", encode(put_payload(table_s, k)),
                 extra_headers={"Content-Encoding": name}, session=s)
    assert r.status_code == 400, r.text
    assert error_type(r.json()) == "SerializationException"
    assert error_message(r.json())
    assert r.headers.get("Connection", "").lower() != "close"  # the body was read in full
    assert stored(dynamodb, table_s, k) is None
    # The same connection goes on serving.
    assert raw_call(endpoint, "ListTables", {}, session=s).status_code == 200


def test_two_content_encoding_fields_are_400(endpoint, dynamodb, table_s):
    """Two Content-Encoding lines are a list of two codings (RFC 9110 5.3):
    refused like "gzip, gzip" (a guess)."""
    k = random_key()
    wire = signed_wire(endpoint, "PutItem", gzip.compress(put_payload(table_s, k)), {"Content-Encoding": "gzip"})
    wire = wire.replace(b"\r\n\r\n", b"\r\nContent-Encoding: gzip\r\n\r\n", 1)
    status, _, body, _ = exchange(endpoint, wire)
    assert status == 400, body
    assert stored(dynamodb, table_s, k) is None


@pytest.mark.local_only
def test_zip_bomb_is_refused_with_bounded_memory(dynamodb, table_s):
    """1 GiB that gzips to ~1 MB: refused with 413 once 16 MB are inflated,
    without the server's memory growing by anything like the inflated size.
    (DynamoDB itself accepts up to about 1 GB inflated, per ScyllaDB's
    test_gzip_request_oversized; we keep the 16 MB request limit, as
    Alternator does.)"""
    srv = ServerProcess(["--in-memory"])
    try:
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b" " * MiB
        bomb = b"".join(c.compress(block) for _ in range(1024)) + c.flush()
        assert len(bomb) < 2 * MiB

        def rss():
            with open(f"/proc/{srv.proc.pid}/status") as f:
                return next(int(l.split()[1]) * KB for l in f if l.startswith("VmRSS:"))

        before = rss()
        for _ in range(3):
            started = time.time()
            r = raw_call(srv.url, "PutItem", bomb, extra_headers={"Content-Encoding": "gzip"})
            assert r.status_code == 413, r.text
            assert error_type(r.json()) == "RequestEntityTooLargeException"
            assert "once decompressed" in error_message(r.json())
            assert r.headers.get("Connection", "").lower() == "close"
            assert time.time() - started < 20
        assert rss() - before < 200 * MiB
        assert raw_call(srv.url, "ListTables", {}).status_code == 200
    finally:
        assert srv.stop() == 0, srv.log()


# ---------------------------------------------------------------- header limits

def assert_refused_400(status, headers, body, closed):
    """DynamoDB's 400 for a header block over 16 KB (scylladb#23438), as a
    whole response: a DynamoDB JSON error (its type is a guess) and
    Connection: close."""
    assert status == 400, body[:200]
    assert headers.get("connection", "").lower() == "close"
    doc = json.loads(body)
    assert error_type(doc) == "SerializationException"
    assert "exceed the limit of 16384 bytes" in error_message(doc)
    assert closed


def test_long_url_is_400(endpoint):
    """PR scylladb#23442: a 17,000-character URL gets 400 from DynamoDB (not
    a signature error, which would mean the URL was read and kept)."""
    for path in ("/" + "x" * 17000, "/?q=" + "x" * 17000):
        wire = f"POST {path} HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{{}}".encode()
        assert_refused_400(*exchange(endpoint, wire))


def test_huge_header_is_400(endpoint):
    body = b"{}"
    for extra in ({"X-Big": "b" * 17000}, {f"X-Many-{i}": "v" * 20 for i in range(1000)},
                  {"X-" + "n" * 17000: "v"}):
        wire = signed_wire(endpoint, "ListTables", body, extra)
        assert_refused_400(*exchange(endpoint, wire))


def test_header_block_under_16kb_is_served(endpoint):
    status, _, body, _ = exchange(endpoint, signed_wire(endpoint, "ListTables", b"{}", {"X-Big": "b" * 14000}))
    assert status == 200, body
    assert "TableNames" in json.loads(body)


def test_runaway_chunk_extension_is_400(endpoint):
    """A chunk header that never ends (Beast leaves it unbounded): held to
    the header limit, answered like an oversized header (a guess)."""
    head = signed_wire(endpoint, "ListTables", b"{}", chunked_pieces=1).split(b"\r\n\r\n", 1)[0]
    wire = head + b"\r\n\r\n2;" + b"e" * 100000
    status, headers, body, closed = exchange(endpoint, wire)
    assert status == 400, body[:200]
    assert headers.get("connection", "").lower() == "close"
    assert "Chunk header or trailers" in error_message(json.loads(body))


def test_server_still_serves_after_refusals(endpoint):
    assert raw_call(endpoint, "ListTables", {}).status_code == 200
