"""bin/cognito/list-users and bin/db/update_cognito_user_ids against the local
user pool of `cruddur serve`, run as a user runs them (the seed's script names,
AWS_ENDPOINT_URL pointing at the local endpoint)."""
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import CRUDDUR_BIN, REPO, SEED_USERS, ServeProcess  # noqa: E402

pytestmark = pytest.mark.skipif(not os.path.exists(CRUDDUR_BIN), reason=f"{CRUDDUR_BIN} not built")


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    s = ServeProcess(tmp_path_factory.mktemp("serve-cognito-tools"))
    yield s
    s.stop_cleanly()


def run(script, *args, env):
    return subprocess.run([os.path.join(REPO, "bin", script), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def tool_env(serve, **extra):
    env = dict(os.environ)
    for k in ("AWS_COGNITO_USER_POOL_ID", "AWS_USER_POOLS_ID", "AWS_PROFILE"):
        env.pop(k, None)
    env.update(AWS_ENDPOINT_URL=serve.ddb_url, AWS_DEFAULT_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local",
               CONNECTION_URL=os.path.join(serve.data_dir, "cruddur.sqlite3"),
               CRUDDUR_BIN=CRUDDUR_BIN)
    env.update(extra)
    return env


def split_output(text):
    """The seed's two JSON documents: the users, then the {handle: sub} map."""
    decoder = json.JSONDecoder()
    users, end = decoder.raw_decode(text)
    mapping, _ = decoder.raw_decode(text[end:].lstrip())
    return users, mapping


def test_list_users_prints_the_seed_users_and_their_subs(serve):
    r = run("cognito/list-users", env=tool_env(serve))
    assert r.returncode == 0, r.stderr
    users, mapping = split_output(r.stdout)
    assert set(mapping) >= set(SEED_USERS)
    idp = serve.idp()
    for u in users:
        names = {a["Name"] for a in u["Attributes"]}
        assert names <= {"preferred_username", "sub"}  # AttributesToGet
        # Python's str(datetime): the fraction only when it is not zero.
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00",
                            u["UserCreateDate"]), u["UserCreateDate"]
        assert u["UserStatus"] == "CONFIRMED"
    # The map's subs are the pool's subs.
    for handle, sub in mapping.items():
        got = idp.admin_get_user(UserPoolId=serve.pool_id, Username=sub)
        attrs = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
        assert attrs["preferred_username"] == handle


def test_list_users_follows_every_page(serve):
    idp = serve.idp()
    for i in range(65):  # more than one page of 60
        idp.admin_create_user(UserPoolId=serve.pool_id, Username=f"page{i}@example.com",
                              MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "preferred_username", "Value": f"page{i}"},
                                              {"Name": "email", "Value": f"page{i}@example.com"}])
    r = run("cognito/list-users", env=tool_env(serve))
    assert r.returncode == 0, r.stderr
    users, mapping = split_output(r.stdout)
    assert all(f"page{i}" in mapping for i in range(65))
    assert len(users) >= 69


def test_update_cognito_user_ids_links_the_directory(serve):
    env = tool_env(serve)
    # Unlink andrewbrown in the directory, as a fresh bin/db/seed leaves him.
    import sqlite3
    db = sqlite3.connect(env["CONNECTION_URL"])
    db.execute("UPDATE users SET cognito_user_id = 'MOCK' WHERE handle = 'andrewbrown'")
    db.commit()
    r = run("db/update_cognito_user_ids", env=env)
    assert r.returncode == 0, r.stderr
    assert "andrewbrown -> " in r.stdout
    _, mapping = split_output(run("cognito/list-users", env=env).stdout)
    row = db.execute("SELECT cognito_user_id FROM users WHERE handle = 'andrewbrown'").fetchone()
    assert row[0] == mapping["andrewbrown"]
    db.close()


def test_list_users_errors_are_one_line(serve, tmp_path):
    # An unknown pool.
    r = run("cognito/list-users", env=tool_env(serve, AWS_COGNITO_USER_POOL_ID="us-east-1_nosuch"))
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cruddur: ") and "ResourceNotFound" in lines[0], r.stderr
    # Nothing listening.
    r = run("cognito/list-users", env=tool_env(serve, AWS_ENDPOINT_URL="http://127.0.0.1:9"))
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cruddur: "), r.stderr
    assert "Traceback" not in r.stderr
    # Usage.
    r = run("cognito/list-users", "--help", env=tool_env(serve))
    assert r.returncode == 0 and "list-users" in r.stdout
    r = run("cognito/list-users", "staging", env=tool_env(serve))
    assert r.returncode == 2
