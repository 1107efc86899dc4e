"""The cruddur tools as a user runs them: the bin/ddb and bin/db wrappers
(thin scripts around build/bin/cruddur) against a ddb-server on a free port
(AWS_ENDPOINT_URL), with a throwaway SQLite users database (CONNECTION_URL).

Pins down: every wrapper has --help; schema-load / list-tables / seed / scan /
patterns / drop do what the seed's scripts do; seed is idempotent; failures
(server unreachable, table missing, bad arguments) exit non-zero with one
line on stderr and never a stack trace; data the seed's own Python script
writes (naive timestamps) is read by get-conversation.
"""

import os
import re
import socket
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from wire_util import ServerProcess, assert_one_line_failure, unique_name  # noqa: E402

from serve_util import CRUDDUR_BIN, REPO  # noqa: E402
SEED_GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
DIALOGUE = os.path.join(REPO, "src", "cruddur", "messaging", "data", "babylon5-conversation.txt")

pytestmark = pytest.mark.skipif(not os.path.exists(CRUDDUR_BIN), reason=f"{CRUDDUR_BIN} not built")

WRAPPERS = [
    "ddb/schema-load",
    "ddb/list-tables",
    "ddb/drop",
    "ddb/seed",
    "ddb/scan",
    "ddb/patterns/get-conversation",
    "ddb/patterns/list-conversations",
    "db/create",
    "db/drop",
    "db/schema-load",
    "db/seed",
    "db/setup",
    "db/connect",
    "db/sessions",
    "db/update_cognito_user_ids",
]


@pytest.fixture
def cli_env(endpoint, tmp_path):
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="cli-test",
        AWS_SECRET_ACCESS_KEY="cli-test",
        AWS_DEFAULT_REGION="us-east-1",
        DDB_MESSAGE_TABLE=unique_name(),
        CONNECTION_URL=f"sqlite:{tmp_path}/users.sqlite3",
        CRUDDUR_BIN=CRUDDUR_BIN,
    )
    env.pop("AWS_COGNITO_USER_POOL_ID", None)
    yield env
    run("ddb/drop", env["DDB_MESSAGE_TABLE"], env=env)


def run(script, *args, env, timeout=120):
    return subprocess.run(
        [os.path.join(REPO, "bin", script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def dialogue():
    with open(DIALOGUE) as f:
        return [line.rstrip("\n")[len("Person 1: "):] for line in f if line.strip()]


LISTING = re.compile(r"^(andrewbrown|bayko) +\d{4}-\d\d-\d\d \d\d:\d\d [AP]M +(.{1,40})\.\.\.$")


@pytest.mark.parametrize("script", WRAPPERS)
def test_every_wrapper_has_help(script, cli_env):
    r = run(script, "--help", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout or "usage" in r.stdout.lower()


def test_the_seed_workflow(cli_env):
    table = cli_env["DDB_MESSAGE_TABLE"]
    r = run("ddb/schema-load", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "message-group-sk-index" in r.stdout
    assert table in run("ddb/list-tables", env=cli_env).stdout.split()

    r = run("ddb/seed", env=cli_env)
    assert r.returncode == 0, r.stderr
    lines = dialogue()
    assert len(lines) == 104
    assert f"{len(lines)} messages written" in r.stdout
    assert "\r[" not in r.stderr  # no progress bar off a terminal

    # Idempotent: a second run writes nothing and the table holds the same items.
    r = run("ddb/seed", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "0 messages written" in r.stdout
    scan = run("ddb/scan", env=cli_env)
    assert scan.returncode == 0, scan.stderr
    items = scan.stdout.strip().splitlines()
    assert len(items) == len(lines) + 3  # every line once, two inbox items, the pair item
    assert sum('"GRP#' in i for i in items) == 2
    pair = [i for i in items if '"PAIR#' in i]
    assert len(pair) == 1 and f'"group_uuid":{{"S":"{SEED_GROUP}"}}' in pair[0], pair
    assert '"message_group_uuid"' not in pair[0]  # the pair item stays out of the GSI

    r = run("ddb/patterns/get-conversation", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert '"CapacityUnits"' in r.stdout
    listing = [l for l in r.stdout.splitlines() if LISTING.match(l)]
    assert len(listing) == 20
    assert [LISTING.match(l).group(2) for l in listing] == [t[:40] for t in lines[-20:]]
    assert [LISTING.match(l).group(1) for l in listing][-1] == "bayko"
    older = [l for l in r.stdout.splitlines() if l.startswith("older: --cursor ")]
    assert len(older) == 1
    r2 = run("ddb/patterns/get-conversation", "--cursor", older[0].split()[-1], env=cli_env)
    assert r2.returncode == 0, r2.stderr
    page2 = [LISTING.match(l).group(2) for l in r2.stdout.splitlines() if LISTING.match(l)]
    assert page2 == [t[:40] for t in lines[-40:-20]]

    r = run("ddb/patterns/list-conversations", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "my-uuid: " in r.stdout
    assert SEED_GROUP in r.stdout and r.stdout.count(SEED_GROUP) == 1
    assert lines[-1][:40] in r.stdout  # the inbox shows the last line

    r = run("ddb/drop", table, env=cli_env)
    assert r.returncode == 0, r.stderr
    assert table not in run("ddb/list-tables", env=cli_env).stdout.split()


def test_missing_table(cli_env):
    for script in ("ddb/patterns/get-conversation", "ddb/seed", "ddb/scan"):
        r = run(script, env=cli_env)
        assert_one_line_failure(r, "does not exist", "schema-load")
    r = run("ddb/drop", "no-such-table-" + cli_env["DDB_MESSAGE_TABLE"], env=cli_env)
    assert_one_line_failure(r, "does not exist")


def test_schema_load_twice(cli_env):
    assert run("ddb/schema-load", env=cli_env).returncode == 0
    assert_one_line_failure(run("ddb/schema-load", env=cli_env), "already exists")


def test_bad_arguments(cli_env):
    assert_one_line_failure(run("ddb/drop", env=cli_env), "TABLE_NAME")
    assert_one_line_failure(run("ddb/list-tables", "production", env=cli_env), "prod")
    assert_one_line_failure(run("ddb/patterns/get-conversation", "--limit", "0", env=cli_env))
    assert_one_line_failure(run("ddb/scan", "--nope", env=cli_env))
    assert run("ddb/schema-load", env=cli_env).returncode == 0
    assert_one_line_failure(
        run("ddb/patterns/get-conversation", "--cursor", "garbage!", env=cli_env), "invalid cursor"
    )
    assert_one_line_failure(
        run("ddb/patterns/get-conversation", "--group", "not-a-uuid", env=cli_env), "uuid"
    )
    assert_one_line_failure(
        run("ddb/patterns/list-conversations", "--handle", "nobody", env=cli_env)
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_unreachable(cli_env):
    env = dict(cli_env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}")
    for script in ("ddb/list-tables", "ddb/schema-load", "ddb/patterns/get-conversation"):
        assert_one_line_failure(run(script, env=env), "cannot reach")


def test_users_database_commands(cli_env, tmp_path):
    r = run("db/setup", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "seed users: 4 inserted" in r.stdout
    r = run("db/seed", env=cli_env)
    assert r.returncode == 0 and "0 inserted" in r.stdout
    r = run("db/sessions", env=cli_env)
    assert r.returncode == 0 and "(this)" in r.stdout
    assert run("db/drop", env=cli_env).returncode == 0
    assert not os.path.exists(tmp_path / "users.sqlite3")
    # Without AWS_COGNITO_USER_POOL_ID it asks the local pool, which a bare
    # ddb-server is not.
    assert_one_line_failure(run("db/update_cognito_user_ids", env=cli_env), "user pool")
    bad = dict(cli_env, CONNECTION_URL="mysql://nope")
    assert_one_line_failure(run("db/schema-load", env=bad), "users database")


def port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.mark.local_only
def test_reads_what_the_seeds_own_script_wrote(tmp_path):
    """tests/seed/seed (the seed's Python script, naive timestamps, hard-coded
    localhost:8000) writes; our get-conversation reads it, oldest first."""
    if not port_free(8000):
        pytest.skip("port 8000 is busy")
    srv = ServerProcess(["--in-memory"], port=8000)
    try:
        env = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x",
                   AWS_DEFAULT_REGION="us-east-1", CRUDDUR_BIN=CRUDDUR_BIN)
        env.pop("AWS_ENDPOINT_URL", None)
        env.pop("DDB_MESSAGE_TABLE", None)
        seed_dir = os.path.join(REPO, "tests", "seed")
        for script in ("schema-load", "seed"):
            r = subprocess.run([sys.executable, os.path.join(seed_dir, script)], env=env,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
        r = run("ddb/patterns/get-conversation", "--limit", "100", env=env)
        assert r.returncode == 0, r.stderr
        got = [LISTING.match(l).group(2) for l in r.stdout.splitlines() if LISTING.match(l)]
        assert got == [t[:40] for t in dialogue()[-100:]]
        # And our seed on top of it duplicates nothing.
        env["CONNECTION_URL"] = f"sqlite:{tmp_path}/users.sqlite3"
        r = run("ddb/seed", env=env)
        assert r.returncode == 0, r.stderr
        assert "0 messages written" in r.stdout
    finally:
        srv.stop()
