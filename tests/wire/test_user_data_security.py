"""Issue 11, the user-data parts: who owns a handle, and who can read the data
on disk. Against `cruddur serve` with its local user pool, over SQLite and
PostgreSQL (a fresh database on the CONNECTION_URL_TEST_PG server; skipped
when that is unset), and against `ddb-server --db-path`.

Pins down:
  (a) a user deleted from the pool (AdminDeleteUser or DeleteUser) keeps a
      retired directory row: a new sign-up with their handle, in any case, is
      refused, so nobody inherits their conversations, and the messages they
      wrote still name them;
  (b) handles are unique regardless of case (`Bayko` cannot sign up beside
      `bayko`) and the API's handle lookups ignore case
      (/api/users/@Bayko/short, sending to "BAYKO");
  (c) a sign-up (SignUp, AdminCreateUser) whose handle is taken is refused the
      way a pool with a PreSignUp Lambda trigger refuses it
      (UserLambdaValidationException "PreSignUp failed with error <reason>."),
      and leaves no user behind who could never use the API;
  (d) the data on disk is the owner's only: the data folder 0700, every file
      0600, every folder 0700, after a first start with umask 022 (as
      `make run` does), after a restart over files an older version left
      world-readable, and for ddb-server's --db-path;
plus the migration of an older users table whose handles collide regardless
of case: serve refuses to start, in one line saying how to fix it.
"""

import contextlib
import os
import sqlite3
import stat
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    BACKENDS,
    CLIENT_ID,
    POOL_ID,
    ServeProcess,
    ServeStartError,
    connection_url_for,
    directory_rows,
    expect_idp_error,
    new_user,
    pg_databases,  # noqa: F401 (fixture)
    requires_cruddur,
    seed_user,
    serving,
    sign_in,
    unique_suffix,
)
from wire_util import ServerProcess  # noqa: E402

pytestmark = [requires_cruddur, pytest.mark.local_only]

PASSWORD = "Wire-pass1!"


def refusal(handle):
    """What the pool answers a sign-up whose handle is taken."""
    return f"PreSignUp failed with error Handle {handle} is already taken."


@pytest.fixture(scope="module", params=BACKENDS)
def srv(request, tmp_path_factory, pg_databases):  # noqa: F811
    url = connection_url_for(request.param, pg_databases)
    s = ServeProcess(tmp_path_factory.mktemp(f"serve-user-data-{request.param}"), connection_url=url)
    yield s
    s.stop_cleanly()


@pytest.fixture(scope="module")
def idp(srv):
    return srv.idp()


@pytest.fixture(scope="module")
def api(srv):
    return srv.api()


def sign_up_raw(idp, handle=None, email=None):
    """SignUp with this preferred_username (none if None); returns the response."""
    email = email or f"new{unique_suffix()}@wire.example.com"
    attributes = [{"Name": "name", "Value": "New Person"}, {"Name": "email", "Value": email}]
    if handle is not None:
        attributes.append({"Name": "preferred_username", "Value": handle})
    return idp.sign_up(ClientId=CLIENT_ID, Username=email, Password=PASSWORD, UserAttributes=attributes)


def admin_create_raw(idp, handle, email=None):
    email = email or f"admin{unique_suffix()}@wire.example.com"
    return idp.admin_create_user(
        UserPoolId=POOL_ID,
        Username=email,
        UserAttributes=[
            {"Name": "name", "Value": "Admin Made"},
            {"Name": "email", "Value": email},
            {"Name": "preferred_username", "Value": handle},
        ],
        MessageAction="SUPPRESS",
    )


def expect_refused(call, handle, idp, email):
    """`call()` is refused as a PreSignUp trigger refuses, and `email` is left
    without a pool user."""
    with expect_idp_error("UserLambdaValidationException") as ei:
        call()
    assert ei.value.response["Error"]["Message"] == refusal(handle)
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=email)


def row_of(srv, handle):
    rows = [r for r in directory_rows(srv) if r["handle"].lower() == handle.lower()]
    assert len(rows) == 1, rows
    return rows[0]


# ---- (a) a deleted user's data --------------------------------------------


@pytest.mark.parametrize("how", ["AdminDeleteUser", "DeleteUser"])
def test_a_new_user_never_inherits_a_deleted_users_conversations(srv, idp, api, how):
    gone = new_user(idp, "gone")
    stay = new_user(idp, "stay")
    r = api.send(gone.access, f"a secret from {gone.handle}", handle=stay.handle)
    assert r.status_code == 200, r.text
    group = r.json()["message_group_uuid"]

    if how == "AdminDeleteUser":
        idp.admin_delete_user(UserPoolId=POOL_ID, Username=gone.email)
    else:
        idp.delete_user(AccessToken=gone.access)
    row = row_of(srv, gone.handle)
    assert row["cognito_user_id"] == f"deleted:{gone.sub}", row

    # Their handle, as written or in another case, stays theirs.
    for handle in (gone.handle, gone.handle.upper()):
        email = f"heir{unique_suffix()}@wire.example.com"
        expect_refused(lambda: sign_up_raw(idp, handle, email), handle, idp, email)
        email = f"heir{unique_suffix()}@wire.example.com"
        expect_refused(lambda: admin_create_raw(idp, handle, email), handle, idp, email)
    assert row_of(srv, gone.handle)["cognito_user_id"] == f"deleted:{gone.sub}"

    # The conversation is still readable by the one who stayed, and still
    # names the one who left.
    r = api.messages(stay.access, group)
    assert r.status_code == 200, r.text
    assert [(m["handle"], m["message"]) for m in r.json()] == [(gone.handle, f"a secret from {gone.handle}")]
    r = api.user_short(stay.access, gone.handle)
    assert r.status_code == 200, r.text
    assert r.json()["handle"] == gone.handle


def test_a_deleted_users_e_mail_can_sign_up_again_with_a_new_handle(srv, idp, api):
    gone = new_user(idp, "back")
    r = api.send(gone.access, "before leaving", handle="bayko")
    assert r.status_code == 200, r.text
    old_group = r.json()["message_group_uuid"]
    idp.admin_delete_user(UserPoolId=POOL_ID, Username=gone.email)

    handle = f"again{unique_suffix()}"
    sign_up_raw(idp, handle, gone.email)
    idp.admin_confirm_sign_up(UserPoolId=POOL_ID, Username=gone.email)
    tokens = sign_in(idp, gone.email, PASSWORD)
    r = api.message_groups(tokens["AccessToken"])
    assert r.status_code == 200, r.text
    assert r.json() == []  # a new person: nothing of the old account
    r = api.messages(tokens["AccessToken"], old_group)
    assert r.status_code == 404, r.text


# ---- (b) case-twins ------------------------------------------------------


def test_a_case_twin_of_a_handle_cannot_sign_up(srv, idp):
    for handle in ("Bayko", "BAYKO", "bAyKo"):
        email = f"twin{unique_suffix()}@wire.example.com"
        expect_refused(lambda: sign_up_raw(idp, handle, email), handle, idp, email)
    email = f"twin{unique_suffix()}@wire.example.com"
    expect_refused(lambda: admin_create_raw(idp, "Londo", email), "Londo", idp, email)
    # Without a preferred_username the handle is the e-mail's local part.
    email = f"Bayko@twin{unique_suffix()}.example.com"
    expect_refused(lambda: sign_up_raw(idp, None, email), "Bayko", idp, email)
    assert [r["handle"] for r in directory_rows(srv) if r["handle"].lower() == "bayko"] == ["bayko"]


def test_a_new_handle_is_unique_regardless_of_case(srv, idp):
    first = new_user(idp, "Mixed")
    assert first.handle.startswith("Mixed")
    for handle in (first.handle.lower(), first.handle.upper()):
        email = f"twin{unique_suffix()}@wire.example.com"
        expect_refused(lambda: sign_up_raw(idp, handle, email), handle, idp, email)
    assert row_of(srv, first.handle)["handle"] == first.handle  # kept as written


def test_handle_lookups_ignore_case(srv, idp, api):
    andrew = seed_user(idp, "andrewbrown")
    bayko = seed_user(idp, "bayko")
    for asked in ("Bayko", "BAYKO", "bayko"):
        r = api.user_short(andrew.access, asked)
        assert r.status_code == 200, (asked, r.text)
        assert r.json()["handle"] == "bayko"
    r = api.user_short(andrew.access, "NoSuchPerson")
    assert r.status_code == 404, r.text

    fresh = new_user(idp, "sender")
    r = api.send(fresh.access, "hello in capitals", handle="BAYKO")
    assert r.status_code == 200, r.text
    group = r.json()["message_group_uuid"]
    r = api.messages(bayko.access, group)
    assert r.status_code == 200, r.text
    assert [m["message"] for m in r.json()] == ["hello in capitals"]
    # Writing to yourself in another case is still writing to yourself.
    r = api.send(bayko.access, "me again", handle="Bayko")
    assert r.status_code == 422, r.text


# ---- (c) a taken handle ----------------------------------------------------


def test_a_taken_handle_is_refused_at_sign_up_and_leaves_nobody_behind(srv, idp, api):
    email = f"taken{unique_suffix()}@wire.example.com"
    expect_refused(lambda: sign_up_raw(idp, "londo", email), "londo", idp, email)
    email2 = f"taken{unique_suffix()}@wire.example.com"
    expect_refused(lambda: admin_create_raw(idp, "londo", email2), "londo", idp, email2)
    taker = new_user(idp, "taker")
    email3 = f"taken{unique_suffix()}@wire.example.com"
    expect_refused(lambda: sign_up_raw(idp, taker.handle, email3), taker.handle, idp, email3)

    # The refused e-mail is free: with a free handle it signs up, and its user
    # can use the API (no confirmed user stuck with 401s).
    handle = f"free{unique_suffix()}"
    sign_up_raw(idp, handle, email)
    idp.admin_confirm_sign_up(UserPoolId=POOL_ID, Username=email)
    tokens = sign_in(idp, email, PASSWORD)
    r = api.message_groups(tokens["AccessToken"])
    assert r.status_code == 200, r.text
    assert row_of(srv, handle)["email"] == email
    assert [r for r in directory_rows(srv) if r["handle"] == "londo"][0]["email"] == "lmollari@centari.com"


def test_an_invalid_handle_is_refused_at_sign_up(srv, idp):
    email = f"bad{unique_suffix()}@wire.example.com"
    with expect_idp_error("UserLambdaValidationException") as ei:
        sign_up_raw(idp, "tab\there", email)
    assert ei.value.response["Error"]["Message"].startswith("PreSignUp failed with error ")
    with expect_idp_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=POOL_ID, Username=email)


# ---- migration -------------------------------------------------------------


def test_colliding_handles_in_an_older_database_stop_the_start_saying_how_to_fix(tmp_path):
    data = tmp_path / "old"
    data.mkdir()
    con = sqlite3.connect(str(data / "cruddur.sqlite3"))
    con.executescript(
        """
        CREATE TABLE users (uuid TEXT NOT NULL PRIMARY KEY, display_name TEXT NOT NULL,
          handle TEXT NOT NULL, email TEXT NOT NULL, cognito_user_id TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT '2023-01-01T00:00:00.000000+00:00',
          CONSTRAINT users_handle_key UNIQUE (handle));
        INSERT INTO users (uuid, display_name, handle, email, cognito_user_id) VALUES
          ('00000000-0000-4000-8000-000000000001', 'Twin', 'Bayko', 'twin@example.com', 'MOCK'),
          ('abe2dd16-c436-4765-8d96-3d30b1495473', 'Andrew Bayko', 'bayko', 'bayko@exampro.co', 'MOCK');
        """
    )
    con.commit()
    con.close()
    with pytest.raises(ServeStartError) as ei:
        started = ServeProcess(data, startup_timeout=60)
        started.stop()  # not reached when the start is refused
    out = str(ei.value)
    lines = [line for line in out.splitlines() if "differ only in case" in line]
    assert len(lines) == 1, out
    assert "'Bayko', 'bayko'" in lines[0], lines[0]
    assert "UPDATE users SET handle" in lines[0], lines[0]

    con = sqlite3.connect(str(data / "cruddur.sqlite3"))
    con.execute("UPDATE users SET handle = 'bayko_twin' WHERE handle = 'Bayko'")
    con.commit()
    con.close()
    with serving(data) as srv:
        idp = srv.idp()
        email = f"twin{unique_suffix()}@wire.example.com"
        expect_refused(lambda: sign_up_raw(idp, "BAYKO_TWIN", email), "BAYKO_TWIN", idp, email)


# ---- (d) data at rest ------------------------------------------------------


@contextlib.contextmanager
def umask(mask):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def loose_modes(root):
    """Every path under `root` (itself included) that is not owner-only:
    folders must be 0700, files 0600. Returns [(path, octal mode)]."""
    bad = []
    paths = [root]
    for dirpath, dirnames, filenames in os.walk(root):
        paths += [os.path.join(dirpath, n) for n in dirnames + filenames]
    for p in paths:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            continue
        mode = stat.S_IMODE(st.st_mode)
        want = 0o700 if stat.S_ISDIR(st.st_mode) else 0o600
        if mode != want:
            bad.append((p, oct(mode)))
    return bad


def file_names(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def test_serve_keeps_its_data_owner_only_whatever_the_umask(tmp_path):
    data = tmp_path / "data"  # missing, as on a first `make run`
    with umask(0o022):
        with serving(data) as srv:
            # Write something: messages, a new user, a confirmed sign-up.
            idp = srv.idp()
            u = new_user(idp, "modes")
            r = srv.api().send(u.access, "on disk", handle="bayko")
            assert r.status_code == 200, r.text
            assert loose_modes(data) == []
        names = file_names(data)
        for expected in ("cruddur.sqlite3", "userpool.sqlite3", "userpool-signing-key.pem"):
            assert expected in names, names
        assert any(n.startswith("ddb" + os.sep) for n in names), names
        assert loose_modes(data) == []

        # Files an older version (or a looser umask) left readable are
        # tightened at the next start.
        for dirpath, dirnames, filenames in os.walk(data):
            for n in dirnames:
                os.chmod(os.path.join(dirpath, n), 0o755)
            for n in filenames:
                os.chmod(os.path.join(dirpath, n), 0o644)
        os.chmod(data, 0o755)
        assert loose_modes(data) != []
        with serving(data):
            assert loose_modes(data) == []
        assert loose_modes(data) == []


def test_serve_keeps_the_users_database_owner_only_outside_the_data_folder(tmp_path):
    data = tmp_path / "data"
    users_db = tmp_path / "elsewhere" / "users.sqlite3"
    with umask(0o022):
        with serving(data, connection_url=f"sqlite:{users_db}"):
            pass
    assert stat.S_IMODE(os.stat(users_db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(users_db.parent).st_mode) == 0o700
    for suffix in ("-wal", "-shm"):
        p = str(users_db) + suffix
        if os.path.exists(p):
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p


def test_ddb_server_db_path_is_owner_only_whatever_the_umask(tmp_path):
    db_path = tmp_path / "ddb"
    with umask(0o022):
        srv = ServerProcess(["--db-path", str(db_path)])
        try:
            assert file_names(db_path), "RocksDB wrote nothing"
            assert loose_modes(db_path) == []
        finally:
            assert srv.stop() == 0, srv.log()
        assert loose_modes(db_path) == []

        for p in [db_path] + [db_path / n for n in os.listdir(db_path)]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        srv = ServerProcess(["--db-path", str(db_path)])
        try:
            assert loose_modes(db_path) == []
        finally:
            assert srv.stop() == 0, srv.log()
