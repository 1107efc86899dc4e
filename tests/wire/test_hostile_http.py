"""Hostile and careless HTTP clients (issue 10): connections that never finish
their request, connections that sit idle, bodies buffered without limit, too
many connections. Each test starts its own ddb-server with short deadlines and
checks that it keeps answering ordinary boto3 requests.

Flags exercised: --header-timeout-seconds, --body-timeout-seconds,
--idle-timeout-seconds, --max-connections, --max-buffered-request-bytes.
"""

import contextlib
import json
import resource
import socket
import threading
import time

import pytest

from wire_util import ServerProcess, sign_headers

pytestmark = pytest.mark.local_only

MiB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def many_descriptors():
    """Lets this process hold a couple of thousand sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@contextlib.contextmanager
def server(*flags, soft_nofile=None):
    """A ddb-server with `flags`; with `soft_nofile`, started under that soft
    open-file limit (it raises the limit itself)."""
    saved = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft_nofile:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft_nofile, saved[1]))
    try:
        srv = ServerProcess(["--in-memory", *flags])
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, saved)
    try:
        yield srv
    finally:
        code = srv.stop()
        assert code == 0, f"ddb-server exited with {code}:\n{srv.log()}"


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def answers_quickly(client_for, srv, within=1.0):
    """An ordinary boto3 request is answered within `within` seconds; returns
    the latency."""
    c = client_for(srv.url)
    t0 = time.monotonic()
    c.list_tables()
    latency = time.monotonic() - t0
    assert latency < within, f"ListTables took {latency:.3f}s"
    return latency


def connect(srv, timeout=10):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def request_head(srv, target, content_length, body_for_signature=b""):
    """A signed DynamoDB request's header block announcing `content_length`."""
    headers = sign_headers(srv.url, target, body_for_signature)
    lines = [f"POST / HTTP/1.1", f"Host: 127.0.0.1:{srv.port}", f"Content-Length: {content_length}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "content-length"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_until_close(s, timeout):
    """Everything the server sends until it closes (or `timeout`); returns
    (bytes, closed)."""
    s.settimeout(0.2)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def read_response(s, timeout):
    """One Content-Length-framed response: (status, headers text, body)."""
    s.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside a response body")
        rest += chunk
    return int(head.split()[1]), head.decode(errors="replace"), rest[:length]


def test_half_sent_requests_do_not_block_others(client_for):
    """(a) 600 requests whose header arrived and whose body never completes:
    ordinary requests are still answered within a second, and the half-sent
    ones get 408 at their body deadline."""
    with server("--body-timeout-seconds", "4") as srv:
        socks = []
        try:
            for _ in range(600):
                s = connect(srv)
                s.sendall(request_head(srv, "ListTables", 1000) + b'{"Limit": ')
                socks.append(s)
            latencies = [answers_quickly(client_for, srv) for _ in range(5)]
            print(f"ListTables with 600 half-sent requests open: max {max(latencies) * 1000:.1f} ms")
            data, closed = read_until_close(socks[0], 8)
            assert data.startswith(b"HTTP/1.1 408"), data[:200]
            assert closed
        finally:
            for s in socks:
                s.close()
        answers_quickly(client_for, srv)


@pytest.mark.slow
def test_buffered_bodies_stay_within_the_budget(client_for):
    """(b) 48 connections announce a 16 MB body and send 13 MB of it: the
    server holds at most its buffered-bytes budget (64 MiB here) and the rest
    waits in the kernel; RSS stays under budget + 150 MiB over its idle size.
    Then the bodies are completed and every request is answered. (The bodies
    are not JSON, so that answering them costs little: this is about the
    bytes on their way in, not about the handler.)"""
    budget = 64 * MiB
    with server("--max-buffered-request-bytes", str(budget), "--body-timeout-seconds", "120") as srv:
        answers_quickly(client_for, srv)
        base = rss_bytes(srv.proc.pid)
        size = 16 * 1000 * 1000
        first = 13 * 1000 * 1000
        body = b"x" * size
        results = [None] * 48
        release = threading.Event()

        def client(i):
            try:
                with connect(srv, timeout=150) as s:
                    s.sendall(request_head(srv, "DescribeTable", size))
                    s.sendall(memoryview(body)[:first])
                    release.wait(150)
                    s.sendall(memoryview(body)[first:])
                    results[i] = read_response(s, 150)
            except Exception as e:  # noqa: BLE001 - reported below
                results[i] = e

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(48)]
        for t in threads:
            t.start()
        # Let the server read what it may, watching its RSS.
        peak = 0
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            peak = max(peak, rss_bytes(srv.proc.pid))
            time.sleep(0.05)
        grown = peak - base
        print(f"RSS idle {base / MiB:.0f} MiB, peak while 48 x 13 MB were sent {peak / MiB:.0f} MiB "
              f"(+{grown / MiB:.0f} MiB; budget {budget / MiB:.0f} MiB)")
        assert grown < budget + 150 * MiB, f"RSS grew by {grown / MiB:.0f} MiB"
        # Other clients are still served meanwhile.
        answers_quickly(client_for, srv, within=2.0)
        t0 = time.monotonic()
        release.set()
        for t in threads:
            t.join(200)
        print(f"48 x 16 MB requests completed in {time.monotonic() - t0:.1f} s")
        for i, r in enumerate(results):
            assert not isinstance(r, Exception) and r is not None, f"client {i}: {r!r}"
            status, _, payload = r
            assert status == 400, (i, status, payload[:200])
            assert json.loads(payload)["__type"].endswith("SerializationException"), payload[:200]
        answers_quickly(client_for, srv)


def test_many_idle_sockets(client_for):
    """(c) 1,100 idle connections to a server started with a soft open-file
    limit of 1024 (it raises the limit to the hard limit): new requests are
    still answered, and so is a request on the last idle socket."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 2048:
        pytest.skip(f"hard open-file limit {hard} is too low")
    with server("--header-timeout-seconds", "30", soft_nofile=1024) as srv:
        socks = []
        try:
            for _ in range(1100):
                socks.append(connect(srv))
            time.sleep(0.5)
            answers_quickly(client_for, srv)
            last = socks[-1]
            body = b"{}"
            last.sendall(request_head(srv, "ListTables", len(body), body) + body)
            status, _, payload = read_response(last, 5)
            assert status == 200, payload
        finally:
            for s in socks:
                s.close()
        answers_quickly(client_for, srv)


def test_idle_keep_alive_connection_is_closed(client_for):
    """(d) --idle-timeout-seconds closes a keep-alive connection quietly once
    it has waited that long for its next request."""
    with server("--idle-timeout-seconds", "1") as srv:
        with connect(srv) as s:
            body = b"{}"
            s.sendall(request_head(srv, "ListTables", len(body), body) + body)
            status, head, _ = read_response(s, 5)
            assert status == 200
            assert "connection: close" not in head.lower()
            t0 = time.monotonic()
            data, closed = read_until_close(s, 5)
            waited = time.monotonic() - t0
        assert closed and data == b"", data
        assert 0.8 < waited < 3.0, waited
        answers_quickly(client_for, srv)


def test_header_deadline(client_for):
    """(e) A header that does not arrive in time gets 408 and the connection
    closes; a connection on which nothing arrives is just closed."""
    with server("--header-timeout-seconds", "1") as srv:
        with connect(srv) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.Li")
            t0 = time.monotonic()
            data, closed = read_until_close(s, 5)
            waited = time.monotonic() - t0
        assert data.startswith(b"HTTP/1.1 408"), data[:200]
        assert b"connection: close" in data.lower()
        assert closed
        assert 0.8 < waited < 3.0, waited
        with connect(srv) as s:
            data, closed = read_until_close(s, 5)
        assert closed and data == b"", data
        answers_quickly(client_for, srv)


def test_connection_cap(client_for):
    """Over --max-connections a client gets 503 with Connection: close; once
    connections close, new ones are served again."""
    with server("--max-connections", "20") as srv:
        socks = [connect(srv) for _ in range(20)]
        try:
            time.sleep(0.3)
            with connect(srv) as extra:
                data, closed = read_until_close(extra, 5)
            assert data.startswith(b"HTTP/1.1 503"), data[:200]
            assert b"connection: close" in data.lower()
            assert closed
        finally:
            for s in socks:
                s.close()
        deadline = time.monotonic() + 5
        while True:
            try:
                answers_quickly(client_for, srv)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
