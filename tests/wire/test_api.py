"""The Cruddur API of `cruddur serve`, with real tokens from its local user
pool, over SQLite and over PostgreSQL (a fresh database on the
CONNECTION_URL_TEST_PG server; skipped when that is unset).

Pins down: every route (GET /api/message_groups, GET /api/messages/{group},
POST /api/messages in both modes, GET /api/users/@{handle}/short) and every
error (401 "{}" for missing/bad tokens, forged tokens of every kind, 404 for
conversations you are not in and unknown receivers, 422 listing every
problem, 400 for malformed JSON, never a 5xx); a conversation driven
entirely through the API (start, reply, inboxes newest first, outsiders
locked out, starting again reuses the group); pagination through
X-Next-Cursor; the seeded Babylon 5 conversation; CORS for FRONTEND_URL;
access log lines without tokens; persistence across a restart on the same
data directory (same users, same key, no re-seeding).
"""

import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    BACKENDS,
    Api,
    CLIENT_ID,
    DEV_PASSWORD,
    FRONTEND_URL,
    POOL_ID,
    SEED_GROUP,
    SEED_USERS,
    ServeProcess,
    connection_url_for,
    directory_rows,
    expect_idp_error,
    new_user,
    pg_databases,  # noqa: F401 (fixture)
    requires_cruddur,
    seed_dialogue,
    seed_user,
    serving,
    sign_in,
)

pytestmark = [requires_cruddur, pytest.mark.local_only]

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# ISO 8601 with an explicit offset (Z or +hh:mm).
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
MESSAGE_KEYS = {"uuid", "display_name", "handle", "message", "created_at"}


class Stack:
    def __init__(self, backend, srv):
        self.backend = backend
        self.srv = srv
        self.idp = srv.idp()
        self.api = srv.api()
        self._seed = {}

    def user(self, handle):
        """A seed user, signed in once per stack."""
        if handle not in self._seed:
            self._seed[handle] = seed_user(self.idp, handle)
        return self._seed[handle]

    def fresh(self, prefix="w", signed_in=True):
        return new_user(self.idp, prefix, signed_in=signed_in)


@pytest.fixture(scope="module", params=BACKENDS)
def stack(request, tmp_path_factory, pg_databases):  # noqa: F811
    url = connection_url_for(request.param, pg_databases)
    srv = ServeProcess(tmp_path_factory.mktemp(f"serve-api-{request.param}"), connection_url=url)
    yield Stack(request.param, srv)
    srv.stop_cleanly()


def when(ts):
    assert isinstance(ts, str) and ISO_RE.match(ts), f"created_at {ts!r} is not ISO 8601 with an explicit offset"
    d = datetime.datetime.fromisoformat(ts)
    assert d.tzinfo is not None
    return d


def check_message(m):
    assert MESSAGE_KEYS <= set(m), m
    assert UUID_RE.match(m["uuid"]), m
    when(m["created_at"])
    return m


def eventually(fn, timeout=5.0):
    """fn() until it returns without AssertionError (the inbox summary may be updated asynchronously)."""
    deadline = time.time() + timeout
    while True:
        try:
            return fn()
        except AssertionError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def assert_401(r):
    assert r.status_code == 401, f"expected 401, got {r.status_code}: {r.text[:300]}"
    assert r.json() == {}, r.text[:300]


def flatten_message_pages(pages):
    """Pages of GET /api/messages come newest page first, each oldest->newest."""
    out = []
    for page in reversed(pages):
        out.extend(page)
    return out


# --------------------------------------------------------------------------
# A conversation driven entirely through the API
# --------------------------------------------------------------------------


def test_conversation_through_the_api(stack):
    api = stack.api
    londo, alt, bayko = stack.user("londo"), stack.user("altbrown"), stack.user("bayko")

    r = api.send(londo.access, "Ambassador Mollari requests a word.", handle="altbrown")
    assert r.status_code == 200, r.text
    first = check_message(r.json())
    assert UUID_RE.match(first["message_group_uuid"]), first
    group = first["message_group_uuid"]
    assert first["handle"] == "londo"
    assert first["display_name"] == "Londo Mollari"
    assert first["message"] == "Ambassador Mollari requests a word."
    # The message's own uuid, not the sender's user uuid (reference bug).
    londo_short = api.user_short(londo.access, "londo").json()
    assert first["uuid"] != londo_short["uuid"]

    r = api.send(alt.access, "Of course, Ambassador.", group=group)
    assert r.status_code == 200, r.text
    second = check_message(r.json())
    assert second["message_group_uuid"] == group
    assert second["handle"] == "altbrown"
    assert second["display_name"] == "Alt Brown"

    r = api.send(londo.access, "Splendid!", group=group)
    assert r.status_code == 200, r.text
    third = check_message(r.json())
    sent = [first, second, third]

    for who in (londo, alt):
        r = api.messages(who.access, group)
        assert r.status_code == 200, r.text
        msgs = [check_message(m) for m in r.json()]
        assert [m["message"] for m in msgs] == [m["message"] for m in sent]
        assert [m["uuid"] for m in msgs] == [m["uuid"] for m in sent]
        assert [m["handle"] for m in msgs] == ["londo", "altbrown", "londo"]
        times = [when(m["created_at"]) for m in msgs]
        assert times == sorted(times)
        assert "X-Next-Cursor" not in r.headers

    def inbox_shows_newest(who, other_handle, other_name):
        r = api.message_groups(who.access)
        assert r.status_code == 200, r.text
        groups = r.json()
        assert groups, "inbox is empty"
        top = groups[0]
        assert set(top) >= MESSAGE_KEYS, top
        assert top["uuid"] == group, groups
        assert top["handle"] == other_handle
        assert top["display_name"] == other_name
        assert top["message"] == "Splendid!"
        times = [when(g["created_at"]) for g in groups]
        assert times == sorted(times, reverse=True), "newest first"
        assert [g["uuid"] for g in groups].count(group) == 1

    eventually(lambda: inbox_shows_newest(londo, "altbrown", "Alt Brown"))
    eventually(lambda: inbox_shows_newest(alt, "londo", "Londo Mollari"))

    # A third user is not part of it.
    r = api.messages(bayko.access, group)
    assert r.status_code == 404, r.text
    r = api.send(bayko.access, "Let me in!", group=group)
    assert r.status_code == 404, r.text
    r = api.message_groups(bayko.access)
    assert group not in [g["uuid"] for g in r.json()]

    # Starting again with the same handle (from either side) reuses the group.
    r = api.send(londo.access, "Again, Ambassador.", handle="altbrown")
    assert r.status_code == 200, r.text
    assert r.json()["message_group_uuid"] == group
    r = api.send(alt.access, "Yes, Londo?", handle="londo")
    assert r.status_code == 200, r.text
    assert r.json()["message_group_uuid"] == group

    r = api.messages(alt.access, group)
    assert [m["message"] for m in r.json()] == [
        "Ambassador Mollari requests a word.",
        "Of course, Ambassador.",
        "Splendid!",
        "Again, Ambassador.",
        "Yes, Londo?",
    ]
    assert "Let me in!" not in [m["message"] for m in r.json()]
    assert [g["uuid"] for g in api.message_groups(londo.access).json()].count(group) == 1


def test_new_users_start_a_conversation(stack):
    """Two freshly signed-up users (directory rows made by confirmation)."""
    a, b = stack.fresh("ca"), stack.fresh("cb")
    api = stack.api
    assert api.message_groups(a.access).json() == []
    r = api.send(a.access, "hi there", handle=b.handle)
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["handle"] == a.handle and m["display_name"] == a.name
    group = m["message_group_uuid"]

    def b_sees_it():
        groups = api.message_groups(b.access).json()
        assert [g["uuid"] for g in groups] == [group]
        assert groups[0]["handle"] == a.handle
        assert groups[0]["display_name"] == a.name
        assert groups[0]["message"] == "hi there"

    eventually(b_sees_it)


# --------------------------------------------------------------------------
# Pagination
# --------------------------------------------------------------------------


def test_messages_pagination(stack):
    api = stack.api
    a, b = stack.fresh("pa"), stack.fresh("pb")
    texts = [f"page test message {i:03d}" for i in range(55)]
    r = api.send(a.access, texts[0], handle=b.handle)
    assert r.status_code == 200, r.text
    group = r.json()["message_group_uuid"]
    uuids = [r.json()["uuid"]]
    for i, t in enumerate(texts[1:], start=1):
        who = b if i % 2 else a
        r = api.send(who.access, t, group=group)
        assert r.status_code == 200, r.text
        uuids.append(r.json()["uuid"])

    pages = api.all_pages(lambda tok, cur: api.messages(tok, group, cur), b.access)
    assert len(pages) > 1, "55 messages come in more than one page"
    for page in pages:
        assert page, "no empty pages"
        idx = [texts.index(m["message"]) for m in page]
        assert idx == sorted(idx), "each page oldest->newest"
        times = [when(m["created_at"]) for m in page]
        assert times == sorted(times)
    # The first page is the newest; following the cursor goes back in time.
    assert pages[0][-1]["message"] == texts[-1]
    everything = flatten_message_pages(pages)
    got = [m["uuid"] for m in everything]
    assert len(got) == len(set(got)), "no duplicates"
    assert got == uuids, "no gaps, in order"
    assert [m["message"] for m in everything] == texts


def test_message_groups_pagination(stack):
    api = stack.api
    me = stack.fresh("pg")
    others = [stack.fresh("pr", signed_in=False) for _ in range(23)]
    groups = []
    for i, o in enumerate(others):
        r = api.send(me.access, f"hello number {i}", handle=o.handle)
        assert r.status_code == 200, r.text
        groups.append(r.json()["message_group_uuid"])
    assert len(set(groups)) == len(groups)

    def all_groups_in_order():
        pages = api.all_pages(lambda tok, cur: api.message_groups(tok, cur), me.access)
        assert len(pages) > 1, "23 conversations come in more than one page"
        flat = [g for p in pages for g in p]
        got = [g["uuid"] for g in flat]
        assert len(got) == len(set(got)), "no duplicates"
        assert got == list(reversed(groups)), "no gaps, newest first across pages"
        times = [when(g["created_at"]) for g in flat]
        assert times == sorted(times, reverse=True)

    eventually(all_groups_in_order)


def test_bad_cursor_is_a_client_error(stack):
    u = stack.user("andrewbrown")
    for bad in ("garbage", "eyJub3QiOiJhIGN1cnNvciJ9", "%%%"):
        r = stack.api.messages(u.access, SEED_GROUP, cursor=bad)
        assert 400 <= r.status_code < 500, (bad, r.status_code, r.text)
        r = stack.api.message_groups(u.access, cursor=bad)
        assert 400 <= r.status_code < 500, (bad, r.status_code, r.text)


# --------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------


def test_seeded_conversation_readable_by_andrewbrown(stack):
    api = stack.api
    andrew = stack.user("andrewbrown")
    lines = seed_dialogue()
    pages = api.all_pages(lambda tok, cur: api.messages(tok, SEED_GROUP, cur), andrew.access)
    msgs = [check_message(m) for m in flatten_message_pages(pages)]
    assert [m["message"] for m in msgs] == lines
    assert [m["handle"] for m in msgs] == ["andrewbrown" if i % 2 == 0 else "bayko" for i in range(len(lines))]
    assert {m["display_name"] for m in msgs} == {"Andrew Brown", "Andrew Bayko"}
    assert len({m["uuid"] for m in msgs}) == len(lines)
    times = [when(m["created_at"]) for m in msgs]
    assert times == sorted(times)
    # The first page holds the newest messages, oldest->newest.
    assert pages[0][-1]["message"] == lines[-1]


def test_seeded_conversation_in_both_inboxes(stack):
    api = stack.api
    for handle, other in (("andrewbrown", "bayko"), ("bayko", "andrewbrown")):
        groups = api.message_groups(stack.user(handle).access).json()
        seed = [g for g in groups if g["uuid"] == SEED_GROUP]
        assert len(seed) == 1, groups
        assert seed[0]["handle"] == other
        assert seed[0]["display_name"] == SEED_USERS[other][1]
        when(seed[0]["created_at"])


def test_seeded_conversation_hidden_from_londo(stack):
    londo = stack.user("londo")
    r = stack.api.messages(londo.access, SEED_GROUP)
    assert r.status_code == 404, r.text
    r = stack.api.send(londo.access, "I am Londo Mollari!", group=SEED_GROUP)
    assert r.status_code == 404, r.text
    assert SEED_GROUP not in [g["uuid"] for g in stack.api.message_groups(londo.access).json()]


def test_directory_rows_linked_in_the_configured_database(stack):
    """The seed users' rows (and a confirmed sign-up's) are in the database
    CONNECTION_URL names, linked to the pool: cognito_user_id = the sub."""
    u = stack.fresh("link", signed_in=False)
    rows = {r["handle"]: r for r in directory_rows(stack.srv)}
    for handle, (email, name) in SEED_USERS.items():
        sub = stack.idp.admin_get_user(UserPoolId=POOL_ID, Username=email)["Username"]
        assert rows[handle]["cognito_user_id"] == sub, rows[handle]
        assert rows[handle]["email"] == email
        assert rows[handle]["display_name"] == name
    assert rows[u.handle]["cognito_user_id"] == u.sub
    assert rows[u.handle]["display_name"] == u.name
    assert rows[u.handle]["email"] == u.email
    subs = [r["cognito_user_id"] for r in rows.values()]
    assert len(subs) == len(set(subs)), "one row per pool user"


# --------------------------------------------------------------------------
# GET /api/users/@handle/short, GET /api/messages errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("handle", sorted(SEED_USERS))
def test_user_short(stack, handle):
    r = stack.api.user_short(stack.user("andrewbrown").access, handle)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"uuid", "handle", "display_name", "message_group_uuid"}
    assert body["handle"] == handle
    assert body["display_name"] == SEED_USERS[handle][1]
    assert UUID_RE.match(body["uuid"])
    # The seed's conversation is andrewbrown's with bayko; none with himself (others
    # may exist by now: earlier tests of the module talk).
    if handle == "bayko":
        assert body["message_group_uuid"] == SEED_GROUP
    elif handle == "andrewbrown":
        assert body["message_group_uuid"] is None
    else:
        assert body["message_group_uuid"] is None or UUID_RE.match(body["message_group_uuid"])


def test_user_short_names_the_conversation_once_started(stack):
    a, b = stack.fresh("sa"), stack.fresh("sb")
    for me, other in ((a, b), (b, a)):
        r = stack.api.user_short(me.access, other.handle)
        assert r.status_code == 200, r.text
        assert r.json()["message_group_uuid"] is None
    r = stack.api.send(a.access, "first words", handle=b.handle)
    assert r.status_code == 200, r.text
    group = r.json()["message_group_uuid"]
    for me, other in ((a, b), (b, a)):
        r = stack.api.user_short(me.access, other.handle)
        assert r.status_code == 200, r.text
        assert r.json()["message_group_uuid"] == group
    # A third user still has none with either.
    c = stack.fresh("sc")
    assert stack.api.user_short(c.access, a.handle).json()["message_group_uuid"] is None


def test_user_short_unknown_handle(stack):
    r = stack.api.user_short(stack.user("andrewbrown").access, "nosuchuser" + uuid.uuid4().hex[:8])
    assert r.status_code == 404, r.text


def test_messages_of_unknown_group(stack):
    u = stack.user("andrewbrown")
    r = stack.api.messages(u.access, str(uuid.uuid4()))
    assert r.status_code == 404, r.text
    r = stack.api.messages(u.access, "not-a-uuid")
    assert r.status_code in (400, 404), r.text


# --------------------------------------------------------------------------
# POST /api/messages validation
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair(stack):
    """Two fresh users with a conversation: (sender, receiver, group)."""
    s, r_ = stack.fresh("vs"), stack.fresh("vr")
    r = stack.api.send(s.access, "first", handle=r_.handle)
    assert r.status_code == 200, r.text
    return s, r_, r.json()["message_group_uuid"]


RECV, GROUP = object(), object()
INVALID = [
    ("blank_message_create", {"message": "", "handle": RECV}, {"message_blank"}),
    ("blank_message_update", {"message": "", "message_group_uuid": GROUP}, {"message_blank"}),
    ("missing_message", {"handle": RECV}, {"message_blank"}),
    ("too_long_create", {"message": "x" * 1025, "handle": RECV}, {"message_exceed_max_chars_1024"}),
    ("too_long_update", {"message": "x" * 1025, "message_group_uuid": GROUP}, {"message_exceed_max_chars_1024"}),
    ("too_long_multibyte", {"message": "é" * 1025, "handle": RECV}, {"message_exceed_max_chars_1024"}),
    ("no_handle_no_group", {"message": "hi"}, {"user_receiver_handle_blank"}),
    ("blank_handle", {"message": "hi", "handle": ""}, {"user_receiver_handle_blank"}),
    ("blank_group", {"message": "hi", "message_group_uuid": ""}, {"message_group_uuid_blank"}),
    ("blank_everything_create", {"message": "", "handle": ""}, {"message_blank", "user_receiver_handle_blank"}),
    (
        "blank_everything_update",
        {"message": "", "message_group_uuid": ""},
        {"message_blank", "message_group_uuid_blank"},
    ),
    (
        "too_long_and_blank_group",
        {"message": "y" * 2000, "message_group_uuid": ""},
        {"message_exceed_max_chars_1024", "message_group_uuid_blank"},
    ),
    ("nothing", {}, {"message_blank", "user_receiver_handle_blank"}),
]


@pytest.mark.parametrize("case,body,codes", INVALID, ids=[c[0] for c in INVALID])
def test_invalid_message_is_422_listing_every_problem(stack, pair, case, body, codes):
    sender, receiver, group = pair
    body = {k: (receiver.handle if v is RECV else group if v is GROUP else v) for k, v in body.items()}
    r = stack.api.post("/api/messages", body, token=sender.access)
    assert r.status_code == 422, f"{case}: {r.status_code} {r.text}"
    errors = r.json()["errors"]
    assert isinstance(errors, list)
    assert codes <= set(errors), f"{case}: expected {sorted(codes)} among {errors}"
    # Only what applies: no code of an unrelated field.
    unrelated = {"message_blank", "message_exceed_max_chars_1024", "user_receiver_handle_blank",
                 "message_group_uuid_blank"} - codes
    assert not (unrelated & set(errors)), f"{case}: unexpected {sorted(unrelated & set(errors))}"


def test_invalid_posts_wrote_nothing(stack, pair):
    sender, receiver, group = pair
    for body in ({"message": "", "message_group_uuid": group}, {"message": "z" * 1025, "message_group_uuid": group}):
        assert stack.api.post("/api/messages", body, token=sender.access).status_code == 422
    r = stack.api.messages(receiver.access, group)
    assert [m["message"] for m in r.json()] == ["first"]


def test_message_length_limit_is_in_characters(stack, pair):
    sender, receiver, group = pair
    for text in ("a" * 1024, "é" * 1024):
        r = stack.api.send(sender.access, text, group=group)
        assert r.status_code == 200, (len(text), r.status_code, r.text[:300])
        assert r.json()["message"] == text


def test_sixteen_concurrent_senders_in_one_conversation(tmp_path):
    """A burst into one conversation: 16 clients at once (both participants,
    8 each), 5 sends each. Every send succeeds (no 503 for contention), each
    message is stored once, each took one transaction (the access log's
    "transactions"), and both inboxes show the newest message (issue 15:
    sends into one conversation take turns instead of cancelling each
    other's transactions). Its own stack without the throttling emulation:
    the seed's table is PROVISIONED at 5 WCU, so a burst of 80 sends
    (14 WCU each) is throttled once the burst credit is spent, as DynamoDB
    would throttle it; that is not what this test is about."""
    with serving(tmp_path / "data", extra_args=["--no-throttling"]) as srv:
        api = srv.api()
        s, r_ = new_user(srv.idp(), "cs"), new_user(srv.idp(), "cr")
        first = api.send(s.access, "start", handle=r_.handle)
        assert first.status_code == 200, first.text
        group = first.json()["message_group_uuid"]

        def client(n):
            own = Api(api.base_url)  # a requests.Session per thread
            who = s if n % 2 == 0 else r_
            answers = []
            for i in range(5):
                body = {"message": f"burst {n}.{i}", "message_group_uuid": group}
                r = own.request("POST", "/api/messages", token=who.access, allow_5xx=True, json=body)
                answers.append((r.status_code, r.text[:200], r.headers.get("X-Request-Id")))
            return answers

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = [a for per_client in pool.map(client, range(16)) for a in per_client]
        assert [a for a in answers if a[0] != 200] == []
        # Each send took one transaction: none lost a race and tried again
        # (without the turns, one run had sends take up to 13).
        ids = {a[2] for a in answers}
        time.sleep(0.2)
        sends = [r for r in srv.json_lines() if r.get("request_id") in ids]
        assert len(sends) == 80, len(sends)
        assert sorted({r.get("transactions") for r in sends}) == [1], [r.get("transactions") for r in sends]

        pages = api.all_pages(lambda token, cursor: api.messages(token, group, cursor), s.access)
        texts = [m["message"] for m in flatten_message_pages(pages)]
        expected = {"start"} | {f"burst {n}.{i}" for n in range(16) for i in range(5)}
        assert sorted(texts) == sorted(expected), "each message exactly once"
        newest = texts[-1]

        def inbox_shows(who):
            top = api.message_groups(who.access).json()[0]
            assert top["uuid"] == group and top["message"] == newest, top

        eventually(lambda: inbox_shows(s))
        eventually(lambda: inbox_shows(r_))


def test_message_to_self(stack):
    me = stack.fresh("self")
    r = stack.api.send(me.access, "talking to myself", handle=me.handle)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert any("self" in e for e in errors), errors
    assert stack.api.message_groups(me.access).json() == []


def test_unknown_receiver(stack, pair):
    sender, _, _ = pair
    r = stack.api.send(sender.access, "anyone there?", handle="nosuchuser" + uuid.uuid4().hex[:8])
    assert r.status_code == 404, r.text


def test_post_into_unknown_group(stack, pair):
    sender, _, _ = pair
    r = stack.api.send(sender.access, "into the void", group=str(uuid.uuid4()))
    assert r.status_code == 404, r.text


@pytest.mark.parametrize(
    "raw",
    [b'{"message": "hi", ', b"not json at all", b"", b'{"message": "hi"}}', b"\xff\xfe{}"],
    ids=["truncated", "text", "empty", "trailing", "bad_utf8"],
)
def test_malformed_json_is_400(stack, pair, raw):
    sender, _, _ = pair
    r = stack.api.request(
        "POST",
        "/api/messages",
        token=sender.access,
        data=raw,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text


@pytest.mark.parametrize(
    "body",
    [[], "a string", 42, None, {"message": 5, "handle": "bayko"}, {"message": "hi", "handle": ["bayko"]},
     {"message": "hi", "message_group_uuid": 7}],
    ids=["array", "string", "number", "null", "message_number", "handle_list", "group_number"],
)
def test_wrong_json_shapes_are_client_errors(stack, pair, body):
    sender, _, _ = pair
    r = stack.api.request("POST", "/api/messages", token=sender.access, data=json.dumps(body),
                          headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text


# --------------------------------------------------------------------------
# Authentication
# --------------------------------------------------------------------------

ROUTES = [
    ("GET", "/api/message_groups", None),
    ("GET", f"/api/messages/{SEED_GROUP}", None),
    ("POST", "/api/messages", {"message": "hello", "handle": "bayko"}),
    ("POST", "/api/messages", {}),  # authentication comes before the body
    ("GET", "/api/users/@bayko/short", None),
]
ROUTE_IDS = ["message_groups", "messages", "post", "post_empty_body", "user_short"]


@pytest.mark.parametrize("method,path,body", ROUTES, ids=ROUTE_IDS)
def test_no_token_is_401(stack, method, path, body):
    r = stack.api.request(method, path, json=body)
    assert_401(r)


class Forge:
    """Tokens made from a real access token of the pool."""

    def __init__(self, stack):
        u = stack.user("andrewbrown")
        self.real = u.access
        self.id_token = u.tokens["IdToken"]
        self.claims = jwt.decode(self.real, options={"verify_signature": False})
        self.kid = jwt.get_unverified_header(self.real)["kid"]
        self.real_key = serialization.load_pem_private_key(stack.srv.signing_key_pem(), password=None)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pub = self.real_key.public_key()
        self.public_pem = pub.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_pkcs1 = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)

    def claims_with(self, **override):
        now = int(time.time())
        c = dict(self.claims)
        c.update(iat=now, auth_time=now, exp=now + 3600)
        c.update(override)
        return {k: v for k, v in c.items() if v is not None}

    def rs256(self, claims=None, key=None, kid="__real__", extra_headers=None):
        headers = {}
        if kid is not None:
            headers["kid"] = self.kid if kid == "__real__" else kid
        if extra_headers:
            headers.update(extra_headers)
        return jwt.encode(claims or self.claims_with(), key or self.real_key, algorithm="RS256", headers=headers)

    @staticmethod
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def compact(self, header, claims, sign=None):
        signing_input = f"{self.b64(json.dumps(header).encode())}.{self.b64(json.dumps(claims).encode())}"
        sig = sign(signing_input.encode()) if sign else b""
        return f"{signing_input}.{self.b64(sig)}"

    def hs256(self, secret):
        header = {"alg": "HS256", "typ": "JWT", "kid": self.kid}
        return self.compact(header, self.claims_with(), lambda m: hmac.new(secret, m, hashlib.sha256).digest())


@pytest.fixture(scope="module")
def forge(stack):
    return Forge(stack)


def bearer(token):
    return f"Bearer {token}"


# name -> f(forge) -> the Authorization header value
FORGED = {
    "alg_none": lambda f: bearer(f.compact({"alg": "none", "typ": "JWT", "kid": f.kid}, f.claims_with())),
    "alg_None": lambda f: bearer(f.compact({"alg": "None", "typ": "JWT", "kid": f.kid}, f.claims_with())),
    "alg_none_with_real_signature": lambda f: bearer(
        f.compact({"alg": "none", "kid": f.kid}, f.claims_with()).rsplit(".", 1)[0] + "." + f.real.split(".")[2]
    ),
    "hs256_with_public_key_pem": lambda f: bearer(f.hs256(f.public_pem)),
    "hs256_with_public_key_pkcs1": lambda f: bearer(f.hs256(f.public_pkcs1)),
    "rs256_foreign_key_real_kid": lambda f: bearer(f.rs256(key=f.other_key)),
    "rs256_foreign_key_unknown_kid": lambda f: bearer(f.rs256(key=f.other_key, kid="unknown-kid-" + f.kid[:4])),
    "rs256_real_key_unknown_kid": lambda f: bearer(f.rs256(kid="unknown-kid")),
    "rs256_no_kid": lambda f: bearer(f.rs256(kid=None)),
    "expired": lambda f: bearer(
        f.rs256(f.claims_with(iat=int(time.time()) - 7200, auth_time=int(time.time()) - 7200,
                              exp=int(time.time()) - 3600))
    ),
    "not_yet_valid": lambda f: bearer(f.rs256(f.claims_with(nbf=int(time.time()) + 3600))),
    "wrong_issuer": lambda f: bearer(
        f.rs256(f.claims_with(iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1"))
    ),
    "issuer_of_the_local_endpoint": lambda f: bearer(f.rs256(f.claims_with(iss=f"http://127.0.0.1/{POOL_ID}"))),
    "no_issuer": lambda f: bearer(f.rs256(f.claims_with(iss=None))),
    "wrong_client_id": lambda f: bearer(f.rs256(f.claims_with(client_id="someotherclient"))),
    "no_client_id": lambda f: bearer(f.rs256(f.claims_with(client_id=None))),
    "token_use_id": lambda f: bearer(f.rs256(f.claims_with(token_use="id"))),
    "unknown_sub": lambda f: bearer(f.rs256(f.claims_with(sub=str(uuid.uuid4()), username=str(uuid.uuid4())))),
    "id_token": lambda f: bearer(f.id_token),
    "tampered_payload": lambda f: bearer(
        f.real.split(".")[0] + "." + f.b64(json.dumps(f.claims_with(sub=str(uuid.uuid4()))).encode()) + "."
        + f.real.split(".")[2]
    ),
    "truncated_signature": lambda f: bearer(f.real[:-10]),
    "truncated_half": lambda f: bearer(f.real[: len(f.real) // 2]),
    "two_segments": lambda f: bearer(f.real.rsplit(".", 1)[0]),
    "garbage": lambda f: bearer("abc.def.ghi"),
    "huge_token_40k": lambda f: bearer("A" * 40_000),
    # A well-formed RS256 token, signed with the real key, whose JOSE header
    # is ~30 KB: refused for its size before any parsing.
    "huge_jose_header_real_key": lambda f: bearer(f.rs256(extra_headers={"x": "A" * 30_000})),
    "bearer_missing": lambda f: f.real,
    "bearer_null": lambda f: "Bearer null",
    "bearer_empty": lambda f: "Bearer ",
    "basic_scheme": lambda f: "Basic " + f.real,
    "three_parts": lambda f: f"Bearer {f.real} extra",
}


@pytest.mark.parametrize("name", sorted(FORGED))
@pytest.mark.parametrize("method,path,body", ROUTES[:3] + ROUTES[4:], ids=ROUTE_IDS[:3] + ROUTE_IDS[4:])
def test_forged_tokens_are_401(stack, forge, name, method, path, body):
    header = FORGED[name](forge)
    r = stack.api.request(method, path, json=body, headers={"Authorization": header})
    assert_401(r)


def test_huge_authorization_header_100k(stack, forge):
    """100 KB: past the 64 KiB header block the HTTP layer accepts (Beast keeps
    a field's size in 16 bits), so the HTTP layer answers 431 - never a 5xx,
    never a dropped connection. (Tokens with huge JOSE headers that fit are
    401s: see FORGED.)"""
    r = stack.api.get("/api/message_groups", headers={"Authorization": "Bearer " + "A" * 100_000})
    assert r.status_code == 431, r.status_code
    # The server still serves afterwards.
    assert stack.api.message_groups(forge.real).status_code == 200


def test_forging_harness_control(stack, forge):
    """A token made like the forged ones but with the real key and correct
    claims is accepted: so each forged 401 is for what that case changed."""
    r = stack.api.message_groups(forge.rs256())
    assert r.status_code == 200, r.text
    r = stack.api.message_groups(forge.real)
    assert r.status_code == 200, r.text
    r = stack.api.request("GET", "/api/message_groups", headers={"Authorization": "bearer " + forge.real})
    assert r.status_code in (200, 401)  # scheme case: either reading is fine, never a 5xx


def test_token_of_unconfirmed_or_deleted_user(stack):
    """A valid token whose sub has no directory row (the user was deleted) is 401, not 500."""
    u = stack.fresh("dl")
    stack.idp.admin_delete_user(UserPoolId=POOL_ID, Username=u.email)
    r = stack.api.message_groups(u.access)
    assert r.status_code in (200, 401), r.text


# --------------------------------------------------------------------------
# CORS
# --------------------------------------------------------------------------


def header_list(value):
    return {h.strip().lower() for h in (value or "").split(",") if h.strip()}


@pytest.mark.parametrize(
    "path,method",
    [("/api/message_groups", "GET"), ("/api/messages", "POST"), (f"/api/messages/{SEED_GROUP}", "GET"),
     ("/api/users/@bayko/short", "GET")],
)
def test_cors_preflight_for_frontend(stack, path, method):
    r = stack.api.request(
        "OPTIONS",
        path,
        headers={
            "Origin": FRONTEND_URL,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert r.status_code in (200, 204), (r.status_code, r.text)
    assert r.headers.get("Access-Control-Allow-Origin") == FRONTEND_URL
    assert {"authorization", "content-type"} <= header_list(r.headers.get("Access-Control-Allow-Headers"))
    assert method.lower() in header_list(r.headers.get("Access-Control-Allow-Methods"))


def test_cors_preflight_other_origin(stack):
    r = stack.api.request(
        "OPTIONS",
        "/api/message_groups",
        headers={
            "Origin": "http://evil.example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "Access-Control-Allow-Origin" not in r.headers, dict(r.headers)
    assert "authorization" not in header_list(r.headers.get("Access-Control-Allow-Headers"))


def test_cors_on_actual_requests(stack):
    tok = stack.user("andrewbrown").access
    r = stack.api.get("/api/message_groups", tok, headers={"Origin": FRONTEND_URL})
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == FRONTEND_URL
    r = stack.api.get("/api/message_groups", tok, headers={"Origin": "http://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in r.headers
    # A 401 also carries CORS headers for the frontend, so the browser can show it.
    r = stack.api.get("/api/message_groups", headers={"Origin": FRONTEND_URL})
    assert r.status_code == 401
    assert r.headers.get("Access-Control-Allow-Origin") == FRONTEND_URL


# --------------------------------------------------------------------------
# Access log (last in the module: it looks at everything the tests did)
# --------------------------------------------------------------------------


def test_access_log_lines_without_tokens(stack, forge):
    stack.api.message_groups(forge.real)
    time.sleep(0.2)
    lines = stack.srv.log_lines()
    records = stack.srv.json_lines()
    access = [r for r in records if str(r.get("path", "")).startswith("/api/")]
    assert access, "JSON access log lines on stdout"
    assert any(r.get("path") == "/api/message_groups" and r.get("status") == 200 for r in access)
    assert any(r.get("status") == 401 for r in access)
    assert not [r for r in access if int(r.get("status", 0)) >= 500], "no 5xx answered"
    out = "\n".join(lines)
    tokens = [forge.real, forge.id_token] + [
        u.tokens[k] for u in stack._seed.values() for k in ("AccessToken", "IdToken", "RefreshToken")
    ]
    for t in tokens:
        assert t not in out, "a token is in the log"
        assert t.split(".")[-1] not in out, "a token's signature is in the log"
    assert "Bearer" not in out


# --------------------------------------------------------------------------
# Restart persistence
# --------------------------------------------------------------------------


def pool_emails(idp):
    emails, token = [], None
    while True:
        kw = {"UserPoolId": POOL_ID}
        if token:
            kw["PaginationToken"] = token
        r = idp.list_users(**kw)
        for u in r["Users"]:
            emails.append({a["Name"]: a["Value"] for a in u["Attributes"]}["email"])
        token = r.get("PaginationToken")
        if not token:
            return sorted(emails)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_restart_persistence(backend, tmp_path, pg_databases):  # noqa: F811
    url = connection_url_for(backend, pg_databases)
    data = tmp_path / "data"

    srv = ServeProcess(data, connection_url=url)
    try:
        idp, api = srv.idp(), srv.api()
        andrew = seed_user(idp, "andrewbrown")
        kids = {k["kid"] for k in srv.jwks()["keys"]}
        seed_msgs = flatten_message_pages(api.all_pages(lambda t, c: api.messages(t, SEED_GROUP, c), andrew.access))
        assert len(seed_msgs) == len(seed_dialogue())
        groups = [g["uuid"] for p in api.all_pages(lambda t, c: api.message_groups(t, c), andrew.access) for g in p]
        emails = pool_emails(idp)
        shorts = {h: api.user_short(andrew.access, h).json() for h in SEED_USERS}
        u = new_user(idp, "rs")
        r = api.send(u.access, "said before the restart", handle="bayko")
        assert r.status_code == 200, r.text
        group = r.json()["message_group_uuid"]
    finally:
        srv.stop_cleanly()

    srv = ServeProcess(data, connection_url=url)
    try:
        idp, api = srv.idp(), srv.api()
        # Same key: the old tokens still verify, at the API and at the pool.
        assert kids <= {k["kid"] for k in srv.jwks()["keys"]}
        r = api.message_groups(andrew.access)
        assert r.status_code == 200, r.text
        assert r.json()[0]["uuid"] in groups
        assert idp.get_user(AccessToken=u.access)["Username"] == u.sub
        refreshed = idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": andrew.tokens["RefreshToken"]},
        )["AuthenticationResult"]
        assert api.message_groups(refreshed["AccessToken"]).status_code == 200
        # The same passwords still work.
        again = sign_in(idp, andrew.email, DEV_PASSWORD)
        u_again = sign_in(idp, u.email, u.password)
        with expect_idp_error("NotAuthorizedException"):
            sign_in(idp, u.email, "Wrong-pass1!")
        # Nothing was seeded twice.
        after = flatten_message_pages(api.all_pages(lambda t, c: api.messages(t, SEED_GROUP, c), again["AccessToken"]))
        assert [m["uuid"] for m in after] == [m["uuid"] for m in seed_msgs]
        assert [m["message"] for m in after] == [m["message"] for m in seed_msgs]
        groups_after = [
            g["uuid"] for p in api.all_pages(lambda t, c: api.message_groups(t, c), again["AccessToken"]) for g in p
        ]
        assert sorted(groups_after) == sorted(groups)
        assert len(groups_after) == len(set(groups_after))
        emails_after = pool_emails(idp)
        assert emails_after == sorted(emails + [u.email])
        assert len(emails_after) == len(set(emails_after))
        for h in SEED_USERS:
            assert api.user_short(again["AccessToken"], h).json() == shorts[h]
        # What was written before the restart is still there.
        r = api.messages(u_again["AccessToken"], group)
        assert r.status_code == 200, r.text
        assert [m["message"] for m in r.json()] == ["said before the restart"]
    finally:
        srv.stop_cleanly()
