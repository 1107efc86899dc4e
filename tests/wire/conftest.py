"""Fixtures for the wire tests.

By default a session-wide `ddb-server --port 0 --in-memory` is started (binary:
build/bin/ddb-server, or $DDB_SERVER_BIN); its port is read from the line
"listening on http://127.0.0.1:<port>" it prints. Set DDB_ENDPOINT to run the
suite against an already-running server (or Amazon DynamoDB) instead; tests that
need to start, stop or kill servers themselves are then skipped.
"""

import os
import sys

import boto3
import pytest
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))

from wire_util import (  # noqa: E402
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    SESSION_TOKEN,
    ServerProcess,
    create_table,
    delete_table_quietly,
    unique_name,
)

EXTERNAL_ENDPOINT = os.environ.get("DDB_ENDPOINT")


def pytest_configure(config):
    config.addinivalue_line("markers", "local_only: needs to start/stop/kill its own ddb-server processes")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def pytest_collection_modifyitems(config, items):
    if EXTERNAL_ENDPOINT:
        skip = pytest.mark.skip(reason="DDB_ENDPOINT is set: this test starts its own server processes")
        for item in items:
            if "local_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def server():
    """The session's in-memory server (None when DDB_ENDPOINT is used)."""
    if EXTERNAL_ENDPOINT:
        yield None
        return
    srv = ServerProcess(["--in-memory"])
    yield srv
    code = srv.stop()
    # A clean SIGTERM shutdown is part of the contract (issue 2).
    # A non-zero code also catches sanitizer reports (leaks, UB) at exit.
    if code not in (0, None):
        pytest.fail(f"ddb-server exited with code {code}; output:\n{srv.log()}")


@pytest.fixture(scope="session")
def endpoint(server):
    return EXTERNAL_ENDPOINT.rstrip("/") if EXTERNAL_ENDPOINT else server.url


def make_client(endpoint_url, validate=True, service="dynamodb", resource=False):
    cfg = Config(
        region_name=REGION,
        retries={"max_attempts": 1, "mode": "standard"},
        max_pool_connections=64,
        connect_timeout=5,
        read_timeout=60,
        parameter_validation=validate,
    )
    kw = dict(
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        config=cfg,
    )
    session = boto3.session.Session()
    if resource:
        return session.resource(service, **kw)
    return session.client(service, **kw)


@pytest.fixture(scope="session")
def dynamodb(endpoint):
    """boto3 DynamoDB client."""
    return make_client(endpoint)


@pytest.fixture(scope="session")
def dynamodb_resource(endpoint):
    """boto3 DynamoDB service resource."""
    return make_client(endpoint, resource=True)


@pytest.fixture(scope="session")
def raw_client(endpoint):
    """boto3 client with client-side parameter validation off, so that the
    server's own validation (and DynamoDB's messages) can be exercised."""
    return make_client(endpoint, validate=False)


class TableFactory:
    def __init__(self, client):
        self.client = client
        self.names = []

    def __call__(self, hash_key=("pk", "S"), range_key=None, name=None, **kwargs):
        name = name or unique_name()
        self.names.append(name)
        return create_table(self.client, name=name, hash_key=hash_key, range_key=range_key, **kwargs)

    def cleanup(self):
        for n in self.names:
            delete_table_quietly(self.client, n)


@pytest.fixture
def table_factory(dynamodb):
    """Create uniquely-named tables; all are deleted at the end of the test."""
    f = TableFactory(dynamodb)
    yield f
    f.cleanup()


@pytest.fixture(scope="session")
def session_tables(dynamodb):
    f = TableFactory(dynamodb)
    yield f
    f.cleanup()


@pytest.fixture(scope="session")
def table_s(session_tables):
    """Table with a string hash key `pk` only."""
    return session_tables(hash_key=("pk", "S"))


@pytest.fixture(scope="session")
def table_ss(session_tables):
    """Table with string hash key `pk` and string range key `sk`."""
    return session_tables(hash_key=("pk", "S"), range_key=("sk", "S"))


@pytest.fixture(scope="session")
def table_sn(session_tables):
    """Table with string hash key `pk` and number range key `sk`."""
    return session_tables(hash_key=("pk", "S"), range_key=("sk", "N"))


@pytest.fixture(scope="session")
def table_sb(session_tables):
    """Table with string hash key `pk` and binary range key `sk`."""
    return session_tables(hash_key=("pk", "S"), range_key=("sk", "B"))


@pytest.fixture(scope="session")
def table_s_res(dynamodb_resource, table_s):
    return dynamodb_resource.Table(table_s)


@pytest.fixture(scope="session")
def table_ss_res(dynamodb_resource, table_ss):
    return dynamodb_resource.Table(table_ss)


@pytest.fixture(scope="session")
def table_sn_res(dynamodb_resource, table_sn):
    return dynamodb_resource.Table(table_sn)


class DurableServers:
    """Starts durable servers (--db-path DIR) and makes sure every one it
    started is gone (SIGKILL by PID) at the end of the test."""

    def __init__(self):
        self.started = []

    def start(self, db_path, extra_args=()):
        srv = ServerProcess(["--db-path", str(db_path), *extra_args])
        self.started.append(srv)
        return srv

    def cleanup(self):
        for srv in self.started:
            srv.kill9()


@pytest.fixture
def durable_servers():
    if EXTERNAL_ENDPOINT:
        pytest.skip("DDB_ENDPOINT is set: persistence tests start their own server")
    d = DurableServers()
    yield d
    d.cleanup()


@pytest.fixture
def client_for():
    """client_for(url) -> a boto3 client for another server (e.g. a durable one)."""
    return lambda url, **kw: make_client(url, **kw)
