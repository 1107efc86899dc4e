"""TLS (issue 11): `--tls-cert FILE --tls-key FILE` on ddb-server and on
`cruddur serve`. A self-signed certificate for 127.0.0.1 and localhost is
made once per session with the openssl command-line tool.

Pins down: boto3 with verify=<the certificate> round-trips DynamoDB calls
(and the AWS CLI with --ca-bundle, and the cruddur tools with AWS_CA_BUNDLE or
the profile's ca_bundle), verify=True (the system's CAs) fails with
an SSL error; TLS 1.2 and 1.3 are served; plain HTTP or garbage sent to the
TLS port gets no HTTP answer, nothing is logged, and the server goes on
serving TLS; a client that connects and sends nothing (or only does the
handshake) is closed by the header timeout; over the connection cap the 503
comes over TLS; a missing, unreadable or mismatched certificate or key, or
one flag without the other, is one line on stderr and a non-zero exit
before listening; `cruddur serve` with TLS answers on every listener over
https (the API, its event stream, the user pool via boto3's cognito-idp,
the web app, whose config.json hands out https URLs).
"""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time

import boto3
import botocore.exceptions
import pytest
import requests
from botocore.config import Config

from serve_util import (
    CRUDDUR_BIN,
    DEV_PASSWORD,
    REGION as SERVE_REGION,
    SEED_USERS,
    ServeProcess,
    requires_cruddur,
)
from wire_util import ACCESS_KEY, REGION, SECRET_KEY, SERVER_BIN, ServerProcess, unique_name

pytestmark = pytest.mark.local_only

OPENSSL = shutil.which("openssl")


# --------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------


class TlsFiles:
    def __init__(self, directory):
        self.dir = str(directory)
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        self.other_key = os.path.join(self.dir, "other-key.pem")
        self.encrypted_key = os.path.join(self.dir, "encrypted-key.pem")


def openssl(*args):
    r = subprocess.run([OPENSSL, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"openssl {' '.join(args)}: {r.stderr}"


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    if not OPENSSL:
        pytest.skip("the openssl command-line tool is not installed")
    f = TlsFiles(tmp_path_factory.mktemp("tls"))
    openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", f.key, "-out", f.cert, "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    )  # fmt: skip
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f.other_key)
    openssl("pkey", "-in", f.key, "-aes256", "-passout", "pass:secret", "-out", f.encrypted_key)
    return f


# --------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------


def dynamodb(endpoint_url, verify):
    return boto3.session.Session().client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        verify=verify,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def cognito(endpoint_url, verify):
    return boto3.session.Session().client(
        "cognito-idp",
        endpoint_url=endpoint_url,
        region_name=SERVE_REGION,
        aws_access_key_id="serve-test",
        aws_secret_access_key="serve-test",
        verify=verify,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def tls_context(cert, minimum=None, maximum=None):
    ctx = ssl.create_default_context(cafile=cert)
    if minimum:
        ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    return ctx


def read_until_closed(sock, timeout=10.0):
    """Everything the server sends until it closes the connection; raises if
    it is still open after `timeout` seconds."""
    sock.settimeout(timeout)
    out = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return out
        if not chunk:
            return out
        out += chunk


@pytest.fixture(scope="module")
def tls_server(tls_files):
    srv = ServerProcess(["--in-memory", "--tls-cert", tls_files.cert, "--tls-key", tls_files.key])
    yield srv
    code = srv.stop()
    assert code == 0, f"ddb-server exited with {code}:\n{srv.log()}"


# --------------------------------------------------------------------------
# ddb-server
# --------------------------------------------------------------------------


def test_banner_says_https(tls_server):
    assert tls_server.scheme == "https"
    assert f"listening on https://127.0.0.1:{tls_server.port}" in tls_server.log()


def test_boto3_round_trip_with_verify_the_certificate(tls_server, tls_files):
    for host in ("127.0.0.1", "localhost"):
        c = dynamodb(f"https://{host}:{tls_server.port}", verify=tls_files.cert)
        name = unique_name("tls")
        c.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        big = "x" * 200_000  # several TLS records each way
        c.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"S": "over tls"}, "big": {"S": big}})
        item = c.get_item(TableName=name, Key={"pk": {"S": "k"}}, ConsistentRead=True)["Item"]
        assert item["v"] == {"S": "over tls"}
        assert item["big"] == {"S": big}
        assert name in c.list_tables()["TableNames"]
        c.delete_table(TableName=name)


def test_system_cas_do_not_trust_it(tls_server):
    c = dynamodb(tls_server.url, verify=True)
    with pytest.raises(botocore.exceptions.SSLError):
        c.list_tables()


def test_tls_12_and_13_are_served(tls_server, tls_files):
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx = tls_context(tls_files.cert, minimum=version, maximum=version)
        conn = http.client.HTTPSConnection("127.0.0.1", tls_server.port, context=ctx, timeout=10)
        conn.request("GET", "/")
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        assert conn.sock.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
        conn.close()


def client_env(tmp_path, **extra):
    """An AWS client's environment with its own (empty) HOME and shared files."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        **extra,
    }


def test_awscli_with_ca_bundle(tls_server, tls_files, tmp_path):
    if not os.path.exists("/usr/bin/aws"):
        pytest.skip("awscli is not installed (apt-get install awscli)")
    env = client_env(tmp_path, AWS_PAGER="", LANG="C.UTF-8")
    r = subprocess.run(
        ["/usr/bin/aws", "dynamodb", "list-tables", "--endpoint-url", tls_server.url,
         "--ca-bundle", tls_files.cert, "--output", "json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "TableNames" in json.loads(r.stdout)


def cruddur_cli(tmp_path, endpoint, *args, **extra_env):
    env = client_env(tmp_path, AWS_ENDPOINT_URL=endpoint, **extra_env)
    return subprocess.run(
        [CRUDDUR_BIN, *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


@requires_cruddur
def test_cruddur_tools_trust_aws_ca_bundle_or_the_profile_ca_bundle(tls_server, tls_files, tmp_path):
    """The seed's tools are an AWS client: AWS_CA_BUNDLE, else the profile's
    ca_bundle, names the CAs an https endpoint is checked against, as in the
    AWS CLI and SDKs; without one the system's CAs refuse the self-signed
    certificate, and a bundle that cannot be read is one line naming where it
    was set."""
    r = cruddur_cli(tmp_path, tls_server.url, "ddb", "list-tables")
    assert r.returncode != 0, r.stdout
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    # Named as botocore names it, with the way out; not "is the server running?".
    assert "SSLError: SSL validation failed for" in r.stderr, r.stderr
    assert "self-signed certificate" in r.stderr and "AWS_CA_BUNDLE" in r.stderr, r.stderr
    assert "running" not in r.stderr, r.stderr

    r = cruddur_cli(tmp_path, tls_server.url, "ddb", "list-tables", AWS_CA_BUNDLE=tls_files.cert)
    assert r.returncode == 0, r.stderr

    (tmp_path / "config").write_text(f"[default]\nca_bundle = {tls_files.cert}\n")
    r = cruddur_cli(tmp_path, tls_server.url, "ddb", "list-tables")
    assert r.returncode == 0, r.stderr

    missing = str(tmp_path / "missing.pem")
    r = cruddur_cli(tmp_path, tls_server.url, "ddb", "list-tables", AWS_CA_BUNDLE=missing)
    assert r.returncode != 0, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "AWS_CA_BUNDLE" in lines[0] and missing in lines[0], r.stderr


def test_plain_http_and_garbage_get_no_answer_and_the_server_goes_on(tls_server, tls_files):
    lines_before = len(tls_server.output)
    junk = [
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}",
        b"garbage! " * 1000,
        bytes(range(256)) * 16,
        b"\x16\x03\x01\x00\x05" + b"\xff" * 5,  # a handshake record holding nonsense
    ]
    for payload in junk:
        with socket.create_connection(("127.0.0.1", tls_server.port), timeout=10) as s:
            try:
                s.sendall(payload)
            except OSError:
                pass  # already closed by the server
            got = read_until_closed(s)
        assert not got.startswith(b"HTTP/"), got[:200]
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{tls_server.port}/", timeout=10)
    # Still serving TLS, and nothing was logged for the junk.
    c = dynamodb(tls_server.url, verify=tls_files.cert)
    assert "TableNames" in c.list_tables()
    assert tls_server.alive()
    assert len(tls_server.output) == lines_before, "".join(tls_server.output[lines_before:])


def test_silent_clients_are_closed_by_the_header_timeout(tls_files):
    srv = ServerProcess(
        ["--in-memory", "--tls-cert", tls_files.cert, "--tls-key", tls_files.key, "--header-timeout-seconds", "1"]
    )
    try:
        # Connects and sends nothing: no handshake ever starts.
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            t0 = time.monotonic()
            assert read_until_closed(s) == b""
            assert time.monotonic() - t0 < 5
        # Does the handshake, then sends no request.
        ctx = tls_context(tls_files.cert)
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                t0 = time.monotonic()
                s.settimeout(10)
                try:
                    assert s.recv(1) == b""
                except (ConnectionResetError, ssl.SSLError):
                    pass
                assert time.monotonic() - t0 < 5
        # Starts a handshake and stalls in the middle of it.
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(b"\x16\x03\x01\x02\x00\x01")  # a ClientHello's first bytes
            t0 = time.monotonic()
            assert not read_until_closed(s).startswith(b"HTTP/")
            assert time.monotonic() - t0 < 5
        assert "TableNames" in dynamodb(srv.url, verify=tls_files.cert).list_tables()
    finally:
        code = srv.stop()
        assert code == 0, f"ddb-server exited with {code}:\n{srv.log()}"


def test_over_the_connection_cap_the_503_comes_over_tls(tls_files):
    srv = ServerProcess(
        ["--in-memory", "--tls-cert", tls_files.cert, "--tls-key", tls_files.key, "--max-connections", "1"]
    )
    try:
        # A keep-alive TLS connection that was served holds the one slot
        # (retried: the start-up probe's connection may not be gone yet).
        deadline = time.time() + 10
        while True:
            held = http.client.HTTPSConnection(
                "127.0.0.1", srv.port, context=tls_context(tls_files.cert), timeout=10
            )
            held.request("GET", "/")
            r = held.getresponse()
            r.read()
            if r.status == 200 or time.time() > deadline:
                break
            held.close()
            time.sleep(0.1)
        assert r.status == 200
        try:
            r = requests.get(srv.url + "/", verify=tls_files.cert, timeout=10)
            assert r.status_code == 503
            assert r.headers.get("Connection", "").lower() == "close"
        finally:
            held.close()
        deadline = time.time() + 10
        while True:  # the slot comes back once the held connection is gone
            r = requests.get(srv.url + "/", verify=tls_files.cert, timeout=10)
            if r.status_code == 200 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert r.status_code == 200
    finally:
        code = srv.stop()
        assert code == 0, f"ddb-server exited with {code}:\n{srv.log()}"


def run_ddb_server(*args):
    return subprocess.run(
        [SERVER_BIN, "--in-memory", "--port", "0", *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def assert_one_line(r, prefix, *needles):
    assert r.returncode != 0, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(prefix), r.stderr
    for n in needles:
        assert n in lines[0], r.stderr
    assert "listening" not in r.stdout + r.stderr


def bad_flag_cases(f):
    missing = os.path.join(f.dir, "missing.pem")
    return [
        (["--tls-cert", f.cert], ["--tls-cert needs --tls-key"]),
        (["--tls-key", f.key], ["--tls-key needs --tls-cert"]),
        (["--tls-cert", missing, "--tls-key", f.key], [missing, "No such file or directory"]),
        (["--tls-cert", f.cert, "--tls-key", missing], [missing, "No such file or directory"]),
        (["--tls-cert", f.key, "--tls-key", f.cert], [f.key, "not a PEM certificate chain"]),
        (["--tls-cert", f.cert, "--tls-key", f.other_key], [f.other_key, "does not match the certificate"]),
        (["--tls-cert", f.cert, "--tls-key", f.encrypted_key], [f.encrypted_key, "not an unencrypted PEM private key"]),
        (["--tls-cert", f.dir, "--tls-key", f.key], ["Is a directory"]),
    ]


def test_bad_flags_are_one_line_and_a_non_zero_exit(tls_files):
    for args, needles in bad_flag_cases(tls_files):
        r = run_ddb_server(*args)
        assert_one_line(r, "ddb-server: ", *needles)


def test_an_unreadable_key_is_one_line(tls_files, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    key = tmp_path / "unreadable.pem"
    shutil.copy(tls_files.key, key)
    os.chmod(key, 0)
    r = run_ddb_server("--tls-cert", tls_files.cert, "--tls-key", str(key))
    assert_one_line(r, "ddb-server: ", "Permission denied")


# --------------------------------------------------------------------------
# cruddur serve
# --------------------------------------------------------------------------


@requires_cruddur
def test_serve_bad_flags_are_one_line(tls_files, tmp_path):
    for args, needles in bad_flag_cases(tls_files)[:3] + bad_flag_cases(tls_files)[5:6]:
        r = subprocess.run(
            [CRUDDUR_BIN, "serve", "--in-memory", "--api-port", "0", "--ddb-port", "0", "--no-web", *args],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
            env={**os.environ, "AWS_DEFAULT_REGION": SERVE_REGION},
        )  # fmt: skip
        assert_one_line(r, "cruddur serve: ", *needles)


@requires_cruddur
def test_serve_over_tls(tls_files, tmp_path):
    srv = ServeProcess(
        tmp_path / "serve",
        extra_args=("--tls-cert", tls_files.cert, "--tls-key", tls_files.key, "--web-port", "0"),
        env={"FRONTEND_URL": ""},  # serve's default: https://localhost:3000, then the web port's
    )
    try:
        api = f"https://127.0.0.1:{srv.api_port}"
        pool = f"https://127.0.0.1:{srv.ddb_port}"
        banner = srv.banner()
        assert f"API           {api}/api/message_groups" in banner, banner
        assert f"DynamoDB      {pool}" in banner, banner
        assert f"--endpoint-url {pool} --ca-bundle {tls_files.cert}" in banner, banner
        ready = srv.wait_for_event("ready")
        assert ready["api"] == api and ready["dynamodb"] == pool, ready

        # The user pool through boto3's cognito-idp, verify=the certificate.
        idp = cognito(pool, verify=tls_files.cert)
        email = SEED_USERS["andrewbrown"][0]
        auth = idp.initiate_auth(
            ClientId=srv.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": DEV_PASSWORD},
        )["AuthenticationResult"]
        token = auth["AccessToken"]
        assert idp.get_user(AccessToken=token)["Username"]
        with pytest.raises(botocore.exceptions.SSLError):
            cognito(pool, verify=True).initiate_auth(
                ClientId=srv.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": DEV_PASSWORD},
            )
        # The JWKS and DynamoDB on the same port.
        r = requests.get(f"{pool}/{srv.pool_id}/.well-known/jwks.json", verify=tls_files.cert, timeout=10)
        assert r.status_code == 200 and r.json()["keys"]
        assert "cruddur-messages" in dynamodb(pool, verify=tls_files.cert).list_tables()["TableNames"]

        # The API over https; plain HTTP gets no answer there.
        h = {"Authorization": f"Bearer {token}"}
        r = requests.get(f"{api}/api/message_groups", headers=h, verify=tls_files.cert, timeout=30)
        assert r.status_code == 200, r.text
        assert isinstance(r.json(), list) and r.json()
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"http://127.0.0.1:{srv.api_port}/api/message_groups", headers=h, timeout=10)

        # The live event stream (a long-lived chunked response) over TLS.
        conn = http.client.HTTPSConnection(
            "127.0.0.1", srv.api_port, context=tls_context(tls_files.cert), timeout=30
        )
        conn.request("GET", "/api/events", headers={**h, "Accept": "text/event-stream"})
        resp = conn.getresponse()
        assert resp.status == 200, resp.read()
        assert resp.getheader("Content-Type") == "text/event-stream"
        assert resp.getheader("Transfer-Encoding") == "chunked"
        first = resp.read1(65536).decode()
        assert "retry:" in first or "event:" in first, first
        conn.close()

        # The web app over https, and config.json hands out https URLs.
        m = re.search(r"web app\s+(https://localhost:(\d+)/)", banner)
        assert m, banner
        web_port = int(m.group(2))
        r = requests.get(
            f"https://127.0.0.1:{web_port}/config.json",
            headers={"Host": f"localhost:{web_port}"},
            verify=tls_files.cert,
            timeout=10,
        )
        assert r.status_code == 200, r.text
        cfg = r.json()
        assert cfg["apiUrl"] == f"https://localhost:{srv.api_port}", cfg
        assert cfg["cognitoEndpoint"] == f"https://localhost:{srv.ddb_port}", cfg
        # CORS: the web app's https origin is allowed on the API.
        r = requests.get(
            f"{api}/api/message_groups",
            headers={**h, "Origin": f"https://localhost:{web_port}"},
            verify=tls_files.cert,
            timeout=30,
        )
        assert r.headers.get("Access-Control-Allow-Origin") == f"https://localhost:{web_port}", r.headers
    finally:
        srv.stop_cleanly()
