"""The users-database tools as a user runs them: the bin/db wrappers (thin
scripts around build/bin/cruddur) with CONNECTION_URL pointing at SQLite or
at PostgreSQL.

PostgreSQL tests use the server scripts/test.sh starts (CONNECTION_URL_TEST_PG,
see scripts/pg-test-server.sh) and are skipped without it. Each works on its
own fresh database on that server (the URL with another database name), which
it drops at the end.

Pins down, as the seed's bin/db scripts behave: create / drop (IF EXISTS, so
twice is fine) / schema-load / seed (idempotent: a second run inserts 0) /
setup / sessions (our own connection is listed) on PostgreSQL; `connect` opens
psql or sqlite3 on the database CONNECTION_URL names, so SQL fed on stdin
runs there; failures (server unreachable, wrong password, database missing
or already there) exit non-zero with one line "cruddur: ..." on stderr and
never a stack trace.
"""

import os
import shutil
import socket
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import CRUDDUR_BIN, REPO  # noqa: E402
from wire_util import assert_one_line_failure  # noqa: E402

PG_URL = os.environ.get("CONNECTION_URL_TEST_PG")
SEED_HANDLES = ["altbrown", "andrewbrown", "bayko", "londo"]  # sorted

pytestmark = pytest.mark.skipif(not os.path.exists(CRUDDUR_BIN), reason=f"{CRUDDUR_BIN} not built")
needs_pg = pytest.mark.skipif(
    not PG_URL, reason="CONNECTION_URL_TEST_PG is not set (scripts/test.sh starts a PostgreSQL for it)"
)
needs_psql = pytest.mark.skipif(
    shutil.which("psql") is None, reason="psql not installed (Debian package postgresql-client)"
)
needs_sqlite3 = pytest.mark.skipif(
    shutil.which("sqlite3") is None, reason="sqlite3 not installed (Debian package sqlite3)"
)


def run(script, *args, env, input=None, timeout=60):
    return subprocess.run(
        [os.path.join(REPO, "bin", "db", script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def assert_ok(r):
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def tool_env(connection_url):
    env = dict(os.environ, CRUDDUR_BIN=CRUDDUR_BIN, CONNECTION_URL=connection_url)
    # A pool id would make `setup` talk to Cognito.
    env.pop("AWS_COGNITO_USER_POOL_ID", None)
    env.pop("AWS_USER_POOLS_ID", None)
    # psql must take everything from the URL, nothing from the caller's PG* settings.
    for name in [n for n in env if n.startswith("PG")]:
        del env[name]
    return env


def with_database(url, database):
    """`url` naming `database` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def with_password(url, password):
    parts = urlsplit(url)
    netloc = f"{parts.username}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def handles_in(output):
    """The seed handles in psql's or sqlite3's output, in output order."""
    return [line.strip() for line in output.splitlines() if line.strip() in SEED_HANDLES]


SELECT_HANDLES = "select handle from users order by handle;\n"


@pytest.fixture
def pg_database():
    """A database name of our own on the test server, and the URL naming it;
    dropped afterwards whatever the test left."""
    name = f"cruddur_tools_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = with_database(PG_URL, name)
    yield name, url
    run("drop", env=tool_env(url))


@needs_pg
def test_postgresql_lifecycle(pg_database):
    name, url = pg_database
    env = tool_env(url)

    r = assert_ok(run("create", env=env))
    assert f"created database {name}" in r.stdout
    assert_one_line_failure(run("create", env=env), "already exists")

    r = assert_ok(run("schema-load", env=env))
    assert "users schema loaded" in r.stdout
    r = assert_ok(run("seed", env=env))
    assert "seed users: 4 inserted" in r.stdout
    r = assert_ok(run("seed", env=env))  # idempotent
    assert "seed users: 0 inserted" in r.stdout

    # Our own connection is among the sessions, on our database.
    r = assert_ok(run("sessions", env=env))
    this = [line for line in r.stdout.splitlines() if line.endswith("(this)")]
    assert len(this) == 1, r.stdout
    assert name in this[0].split()

    r = assert_ok(run("drop", env=env))
    assert f"dropped database {name}" in r.stdout
    # Gone: the schema has no database to go into; a second drop is fine.
    assert_one_line_failure(run("schema-load", env=env), "users database", "does not exist")
    assert_ok(run("drop", env=env))

    # And it comes back empty.
    assert_ok(run("create", env=env))
    assert_ok(run("schema-load", env=env))
    r = assert_ok(run("seed", env=env))
    assert "seed users: 4 inserted" in r.stdout


@needs_pg
def test_postgresql_setup_from_nothing_and_again(pg_database):
    name, url = pg_database
    env = tool_env(url)
    for _ in range(2):  # drop (nothing there the first time), create, schema-load, seed
        r = assert_ok(run("setup", env=env))
        assert f"created database {name}" in r.stdout
        assert "seed users: 4 inserted" in r.stdout
        assert "AWS_COGNITO_USER_POOL_ID not set" in r.stdout


@needs_pg
@needs_psql
def test_connect_opens_psql_on_the_database(pg_database):
    name, url = pg_database
    env = tool_env(url)
    assert_ok(run("setup", env=env))
    r = assert_ok(run("connect", env=env, input=SELECT_HANDLES))
    assert handles_in(r.stdout) == SEED_HANDLES, r.stdout
    assert "(4 rows)" in r.stdout
    r = assert_ok(run("connect", env=env, input="select current_database();\n"))
    assert name in r.stdout.split()


@needs_sqlite3
def test_connect_opens_sqlite3_on_the_database(tmp_path):
    env = tool_env(f"sqlite:{tmp_path}/users.sqlite3")
    assert_ok(run("setup", env=env))
    r = assert_ok(run("connect", env=env, input=SELECT_HANDLES))
    assert r.stdout.split() == SEED_HANDLES, r.stdout
    # A plain path works as well as a sqlite: URL.
    env = tool_env(f"{tmp_path}/users.sqlite3")
    r = assert_ok(run("connect", env=env, input="select count(*) from users;\n"))
    assert r.stdout.strip() == "4"


def test_server_unreachable():
    """Nothing listens on the port: every command says so in one line."""
    url = f"postgresql://cruddur:secret@127.0.0.1:{free_port()}/cruddur_nowhere"
    env = tool_env(url)
    for script in ("create", "drop", "setup"):  # setup starts with drop
        assert_one_line_failure(run(script, env=env), "cannot connect to PostgreSQL")
    for script in ("schema-load", "seed", "sessions"):
        assert_one_line_failure(run(script, env=env), "users database", "cannot connect")


@needs_pg
def test_wrong_password(pg_database):
    _, url = pg_database
    env = tool_env(with_password(url, "not-the-password"))
    for script in ("create", "drop"):
        assert_one_line_failure(run(script, env=env), "cannot connect to PostgreSQL", "password")
    assert_one_line_failure(run("schema-load", env=env), "users database", "password")


@needs_psql
def test_connect_to_an_unreachable_server_fails():
    """psql reports the failure itself; the exit status says it failed."""
    env = tool_env(f"postgresql://cruddur:secret@127.0.0.1:{free_port()}/cruddur_nowhere")
    r = run("connect", env=env, input=SELECT_HANDLES)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "terminate called" not in r.stderr
