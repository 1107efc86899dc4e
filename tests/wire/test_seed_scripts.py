"""The seed's own scripts (tests/seed/, copied from the seed document) run as
subprocesses against a server on port 8000, the endpoint they hard-code.

Notes from the seed's text:
- `patterns/get-conversation` queries `begins_with(sk, '2023')` for the fixed group
  5ae290ed-55d1-47a0-bc6d-fe2bc2700399, while `seed` writes messages dated
  "now - 1 day": seeded messages never match, so the test also writes a few
  2023 messages into that group (as the seed's authors had in 2023).
- `patterns/list-conversations` filters on the current year and reads the user's
  uuid from Postgres (`lib.db`); it runs unchanged with a stub `lib.db` module
  placed on PYTHONPATH.
"""

import json
import os
import re
import subprocess
import textwrap

import boto3
import pytest

from wire_util import ACCESS_KEY, REGION, REPO, SECRET_KEY, ServerProcess, port_is_free

SEED = os.path.join(REPO, "tests", "seed")
PY = "/usr/bin/python3"
TABLE = "cruddur-messages"
GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
MY_UUID = "b1a2c3d4-0000-4000-8000-000000000001"  # the fixed users of tests/seed/seed
OTHER_UUID = "b1a2c3d4-0000-4000-8000-000000000002"
SEED_URL = "http://localhost:8000"


@pytest.fixture(scope="module")
def seed_server():
    ext = os.environ.get("DDB_ENDPOINT", "").rstrip("/")
    if ext:
        if ext not in ("http://localhost:8000", "http://127.0.0.1:8000"):
            pytest.skip(f"the seed's scripts hard-code {SEED_URL}; DDB_ENDPOINT is {ext}")
        yield None
        return
    if not port_is_free(8000) or not port_is_free(8000, "0.0.0.0"):
        pytest.skip("port 8000 is busy: the seed's scripts hard-code http://localhost:8000, so they cannot be run")
    srv = ServerProcess(["--in-memory"], port=8000)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def env(seed_server, tmp_path_factory):
    home = tmp_path_factory.mktemp("seedhome")
    stub = home / "stub"
    (stub / "lib").mkdir(parents=True)
    (stub / "lib" / "__init__.py").write_text("")
    (stub / "lib" / "db.py").write_text(
        textwrap.dedent(
            f"""\
            # Test stub for the backend's Postgres helper (lib.db), used by
            # patterns/list-conversations: the user 'andrewbrown' has the uuid
            # that tests/seed/seed gives him.
            class _Db:
                def query_value(self, sql, params=None):
                    assert params == {{'handle': 'andrewbrown'}}
                    return '{MY_UUID}'

            db = _Db()
            """
        )
    )
    e = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_PAGER": "",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(stub),
    }
    # start clean if an external server already has the table
    c = client()
    try:
        c.delete_table(TableName=TABLE)
    except c.exceptions.ResourceNotFoundException:
        pass
    return e


def client():
    return boto3.client(
        "dynamodb",
        endpoint_url=SEED_URL,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def run(env, script, *args, interpreter=PY):
    r = subprocess.run(
        [interpreter, os.path.join(SEED, script), *args], env=env, capture_output=True, text=True, timeout=120, cwd=SEED
    )
    return r


def bash(env, script, *args):
    return run(env, script, *args, interpreter="/bin/bash")


def conversation_lines():
    with open(os.path.join(SEED, "seed")) as f:
        text = f.read()
    body = text.split('conversation = """', 1)[1].split('"""', 1)[0]
    return body.strip("\n").split("\n")


# The tests below run in file order and share the server's state.


def test_drop_without_name(env):
    r = bash(env, "drop")
    assert r.returncode == 1
    assert r.stdout.strip() == "No TABLE_NAME argument supplied eg ./bin/ddb/drop cruddur-messages prod"


def test_schema_load(env):
    r = run(env, "schema-load")
    assert r.returncode == 0, r.stderr
    assert "'TableName': 'cruddur-messages'" in r.stdout
    assert "message-group-sk-index" in r.stdout
    d = client().describe_table(TableName=TABLE)["Table"]
    assert d["GlobalSecondaryIndexes"][0]["IndexName"] == "message-group-sk-index"
    assert d["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    tags = client().list_tags_of_resource(ResourceArn=d["TableArn"])["Tags"]
    assert tags == [{"Key": "PROJECT", "Value": "CRUDDER"}]


def test_schema_load_twice_fails(env):
    r = run(env, "schema-load")
    assert r.returncode != 0
    assert "ResourceInUseException" in r.stderr


def test_list_tables(env):
    r = bash(env, "list-tables")
    assert r.returncode == 0, r.stderr
    assert "ListTables" in r.stdout
    assert re.search(r"\|\s*cruddur-messages\s*\|", r.stdout), r.stdout


def test_seed(env):
    r = run(env, "seed")
    assert r.returncode == 0, r.stderr
    assert "get_user_uuids" in r.stdout
    assert "andrewbrown" in r.stdout and "bayko" in r.stdout
    # one printed PutItem response per record: 2 groups + every conversation line
    n = len(conversation_lines())
    assert r.stdout.count("'HTTPStatusCode': 200") == 2 + n


def test_scan(env):
    r = run(env, "scan")
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    n = len(conversation_lines())
    assert len(lines) == 2 + n
    assert sum("'pk': 'GRP#" in line for line in lines) == 2
    assert sum(f"'pk': 'MSG#{GROUP}'" in line for line in lines) == n
    assert "Babylon 5" in r.stdout


def test_list_conversations(env):
    r = run(env, "patterns/list-conversations")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"my-uuid: {MY_UUID}\n")
    resp = json.loads(r.stdout.split("\n", 1)[1])
    assert resp["Count"] == 1
    (group,) = resp["Items"]
    assert group["pk"] == {"S": f"GRP#{MY_UUID}"}
    assert group["message_group_uuid"] == {"S": GROUP}
    assert group["user_handle"] == {"S": "bayko"}
    assert group["message"] == {"S": "this is a filler message"}
    assert resp["ConsumedCapacity"]["TableName"] == TABLE
    assert resp["ConsumedCapacity"]["CapacityUnits"] == 0.5


def test_get_conversation(env):
    c = client()
    # the script only shows messages whose sk begins with 2023 (see module docstring)
    msgs = []
    for i in range(25):
        sk = f"2023-03-{1 + i // 10:02d}T1{i % 10}:0{i % 6}:00.{i:06d}"
        handle = "andrewbrown" if i % 2 == 0 else "bayko"
        msgs.append((sk, handle, f"message number {i:02d} " + "padding " * 8))
        c.put_item(
            TableName=TABLE,
            Item={
                "pk": {"S": f"MSG#{GROUP}"},
                "sk": {"S": sk},
                "message_uuid": {"S": f"m{i}"},
                "message": {"S": msgs[-1][2]},
                "user_uuid": {"S": MY_UUID if handle == "andrewbrown" else OTHER_UUID},
                "user_display_name": {"S": handle},
                "user_handle": {"S": handle},
            },
        )
    r = run(env, "patterns/get-conversation")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    # the full response, then ConsumedCapacity again, then one line per message
    assert '"ConsumedCapacity": {' in out
    assert '"TableName": "cruddur-messages"' in out
    lines = [line for line in out.splitlines() if line.startswith(("andrewbrown", "bayko"))]
    # Limit 20, newest first, printed oldest first: messages 5..24
    import datetime

    expected = []
    for sk, handle, message in msgs[5:]:
        dt = datetime.datetime.strptime(sk, "%Y-%m-%dT%H:%M:%S.%f").strftime("%Y-%m-%d %I:%M %p")
        expected.append(f"{handle: <16}{dt: <22}{message[:40]}...")
    assert lines == expected
    # none of the seeded (current-year) messages are shown
    assert "Babylon" not in "\n".join(lines)


def test_drop(env):
    r = bash(env, "drop", TABLE)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Deleting table: cruddur-messages\n")
    assert '"TableName": "cruddur-messages"' in r.stdout
    r = bash(env, "list-tables")
    assert r.returncode == 0
    assert "cruddur-messages" not in r.stdout


def test_drop_missing_table_fails(env):
    r = bash(env, "drop", TABLE)
    assert r.returncode != 0
    assert "ResourceNotFoundException" in r.stderr
