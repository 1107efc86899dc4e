"""GET /api/events of `cruddur serve`: live updates over Server-Sent Events,
fed by the messages table's DynamoDB stream (read through the DynamoDB
Streams API by one follower per process).

Pins down: both participants' open streams receive a new message within a
second of the POST being answered (the sender's own included), a user
outside the conversation receives nothing; with a minute between polls a
POSTed message still arrives within seconds (the POST wakes the follower);
a reconnect with Last-Event-ID gets exactly the missed events (no loss, no
duplicate), an unknown id gets `reset`; heartbeats keep a stream open past
the server's idle timeout; the stream ends cleanly (last chunk) when the
server stops; 401 without a token; CORS preflight allows Last-Event-ID; 404
(clients poll) when the table has no stream.
"""

import http.client
import json
import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from serve_util import (  # noqa: E402
    FRONTEND_URL,
    SEED_GROUP,
    ServeProcess,
    new_user,
    requires_cruddur,
    seed_user,
)

pytestmark = [requires_cruddur, pytest.mark.local_only]

EVENT_KEYS = {"message_group_uuid", "uuid", "handle", "display_name", "message", "created_at"}


class SseClient:
    """One GET /api/events, read by a thread; events kept with their arrival
    time. `ended_cleanly` tells whether the body ended with the last chunk
    (http.client raises IncompleteRead on a cut chunked body)."""

    def __init__(self, port, token, last_event_id=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.conn.request("GET", "/api/events", headers=headers)
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.headers = dict(self.resp.getheaders())
        self.events = []  # (arrival time, type, id, data)
        self.raw = ""
        self.retry = None
        self.last_id = None
        self.ended = False
        self.ended_cleanly = None
        self._lock = threading.Lock()
        self._thread = None
        if self.status == 200:
            self._thread = threading.Thread(target=self._read, daemon=True)
            self._thread.start()
        else:
            self.body = self.resp.read()

    def _read(self):
        buf = ""
        fields = {}
        try:
            while True:
                chunk = self.resp.read1(65536)
                if not chunk:
                    self.ended_cleanly = True
                    break
                text = chunk.decode()
                with self._lock:
                    self.raw += text
                buf += text
                while "\n" in buf:
                    line, buf = buf.split("\n", 1)
                    if line == "":
                        if "data" in fields:
                            with self._lock:
                                self.events.append(
                                    (time.time(), fields.get("event", "message"), fields.get("id"), fields["data"])
                                )
                        fields = {k: v for k, v in fields.items() if k == "id"}
                        fields.pop("id", None)
                        continue
                    if line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "retry":
                        self.retry = int(value)
                    elif name == "id":
                        fields["id"] = value
                        self.last_id = value
                    else:
                        fields[name] = value
        except (http.client.IncompleteRead, OSError, ValueError, AttributeError):  # closed by us
            self.ended_cleanly = False
        finally:
            self.ended = True

    def of_type(self, kind):
        with self._lock:
            return [e for e in self.events if e[1] == kind]

    def messages(self):
        return [dict(json.loads(e[3]), _at=e[0], _id=e[2]) for e in self.of_type("message")]

    def wait(self, predicate, timeout=5.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate(self):
                return True
            time.sleep(0.01)
        return predicate(self)

    def wait_ready(self):
        """The first heartbeat ends the prelude: from now on events are live."""
        assert self.wait(lambda c: c.of_type("heartbeat"), 5), self.raw
        return self

    def close(self):
        try:
            self.resp.close()
        finally:
            self.conn.close()
        if self._thread:
            self._thread.join(5)


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = ServeProcess(tmp_path_factory.mktemp("serve-events"), extra_args=("--events-poll-ms", "100"))
    yield s
    s.stop_cleanly()


@pytest.fixture(scope="module")
def users(srv):
    idp = srv.idp()
    return {h: seed_user(idp, h) for h in ("andrewbrown", "bayko", "londo")}


def post_message(srv, user, text, group=SEED_GROUP):
    r = srv.api().send(user.access, text, group=group)
    answered = time.time()
    assert r.status_code == 200, r.text
    return r.json(), answered


def test_follower_started(srv):
    ev = srv.wait_for_event("events", timeout=5)
    assert ev["poll_ms"] == "100"
    assert ev["stream"].startswith("arn:aws:dynamodb:")


def test_both_participants_receive_within_a_second_and_outsiders_nothing(srv, users):
    andrew = SseClient(srv.api_port, users["andrewbrown"].access).wait_ready()
    andrew_tab2 = SseClient(srv.api_port, users["andrewbrown"].access).wait_ready()
    bayko = SseClient(srv.api_port, users["bayko"].access).wait_ready()
    londo = SseClient(srv.api_port, users["londo"].access).wait_ready()
    try:
        for c in (andrew, bayko, londo):
            assert c.status == 200
            assert c.headers["Content-Type"] == "text/event-stream"
            assert c.headers.get("Transfer-Encoding") == "chunked"
            assert c.retry == 2000
        sent, answered = post_message(srv, users["andrewbrown"], "live one")
        for c in (andrew, andrew_tab2, bayko):
            assert c.wait(lambda c: c.messages(), 1.0), f"no event within 1 s: {c.raw}"
            [m] = c.messages()
            assert set(m) - {"_at", "_id"} == EVENT_KEYS, m
            assert m["uuid"] == sent["uuid"]
            assert m["message_group_uuid"] == SEED_GROUP
            assert m["handle"] == "andrewbrown"
            assert m["display_name"] == "Andrew Brown"
            assert m["message"] == "live one"
            assert m["created_at"] == sent["created_at"]
            assert m["_id"], "message events carry an id"
            assert m["_at"] - answered < 1.0
        time.sleep(1.0)
        assert londo.messages() == [], londo.raw
        # The same event id for everyone: ids are the server's, not per stream.
        assert andrew.messages()[0]["_id"] == bayko.messages()[0]["_id"]
    finally:
        for c in (andrew, andrew_tab2, bayko, londo):
            c.close()


def test_new_conversation_reaches_the_receiver(srv, users):
    idp = srv.idp()
    a, b = new_user(idp, "ev"), new_user(idp, "ev")
    cb = SseClient(srv.api_port, b.access).wait_ready()
    try:
        r = srv.api().send(a.access, "first words", handle=b.handle)
        assert r.status_code == 200, r.text
        assert cb.wait(lambda c: c.messages(), 1.5), cb.raw
        [m] = cb.messages()
        assert m["uuid"] == r.json()["uuid"] and m["handle"] == a.handle
    finally:
        cb.close()


def test_local_writes_are_published_without_waiting_for_the_poll(tmp_path):
    # A minute between polls: only the POST waking the follower can explain
    # an event within a few seconds (a reply, a new conversation, a burst).
    s = ServeProcess(tmp_path / "serve", extra_args=("--events-poll-ms", "60000"))
    try:
        assert s.wait_for_event("events", timeout=5)["poll_ms"] == "60000"
        idp = s.idp()
        andrew, bayko = seed_user(idp, "andrewbrown"), seed_user(idp, "bayko")
        a, b = new_user(idp, "wake"), new_user(idp, "wake")
        cb = SseClient(s.api_port, bayko.access).wait_ready()
        cnew = SseClient(s.api_port, b.access).wait_ready()
        try:
            sent, _ = post_message(s, andrew, "woken")
            assert cb.wait(lambda c: c.messages(), 5), cb.raw
            assert [m["uuid"] for m in cb.messages()] == [sent["uuid"]]

            r = s.api().send(a.access, "a new conversation", handle=b.handle)
            assert r.status_code == 200, r.text
            assert cnew.wait(lambda c: c.messages(), 5), cnew.raw
            assert [m["uuid"] for m in cnew.messages()] == [r.json()["uuid"]]

            burst = [post_message(s, andrew if i % 2 else bayko, f"burst {i}")[0]["uuid"] for i in range(5)]
            assert cb.wait(lambda c: len(c.messages()) == 6, 5), cb.raw
            assert [m["uuid"] for m in cb.messages()][1:] == burst
        finally:
            cb.close()
            cnew.close()
    finally:
        s.stop_cleanly()


def test_reconnect_with_last_event_id_gets_exactly_what_was_missed(srv, users):
    bayko = SseClient(srv.api_port, users["bayko"].access).wait_ready()
    post_message(srv, users["andrewbrown"], "seen before the drop")
    assert bayko.wait(lambda c: c.messages(), 2)
    resume_from = bayko.last_id
    bayko.close()

    missed = [post_message(srv, users["andrewbrown" if i % 2 else "bayko"], f"missed {i}")[0] for i in range(3)]
    time.sleep(0.5)  # the follower has published them

    again = SseClient(srv.api_port, users["bayko"].access, last_event_id=resume_from).wait_ready()
    try:
        got = [m["uuid"] for m in again.messages()]
        assert got == [m["uuid"] for m in missed], again.raw
        assert not again.of_type("reset")
        # Live again after the replay, without duplicates.
        sent, _ = post_message(srv, users["andrewbrown"], "after the resume")
        assert again.wait(lambda c: len(c.messages()) == 4, 2), again.raw
        uuids = [m["uuid"] for m in again.messages()]
        assert len(uuids) == len(set(uuids)) and uuids[-1] == sent["uuid"]
        last = again.last_id
    finally:
        again.close()

    # Resuming from the latest id (a heartbeat's) replays nothing.
    quiet = SseClient(srv.api_port, users["bayko"].access, last_event_id=last).wait_ready()
    try:
        time.sleep(0.3)
        assert quiet.messages() == [] and not quiet.of_type("reset"), quiet.raw
    finally:
        quiet.close()


@pytest.mark.parametrize("bad_id", ["123-1", "garbage", "0-0"])
def test_unknown_last_event_id_gets_reset(srv, users, bad_id):
    c = SseClient(srv.api_port, users["bayko"].access, last_event_id=bad_id).wait_ready()
    try:
        assert len(c.of_type("reset")) == 1, c.raw
        assert c.messages() == []
    finally:
        c.close()


def test_no_token_is_401(srv):
    c = SseClient(srv.api_port, "not-a-token")
    assert c.status == 401
    assert json.loads(c.body) == {}


def test_preflight_allows_last_event_id(srv):
    r = srv.api().request(
        "OPTIONS",
        "/api/events",
        headers={
            "Origin": FRONTEND_URL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,last-event-id",
        },
    )
    assert r.status_code == 204
    assert "last-event-id" in r.headers["Access-Control-Allow-Headers"].lower()
    assert r.headers["Allow"] == "GET, OPTIONS"


def test_post_is_405(srv, users):
    r = srv.api().post("/api/events", {}, users["bayko"].access)
    assert r.status_code == 405


def test_heartbeats_keep_the_stream_past_the_idle_timeout_and_stop_ends_it(tmp_path):
    # Idle timeout 2 s: heartbeats every second (half of it).
    s = ServeProcess(tmp_path / "serve", extra_args=("--idle-timeout-seconds", "2"))
    try:
        user = seed_user(s.idp(), "bayko")
        c = SseClient(s.api_port, user.access).wait_ready()
        time.sleep(4.5)
        beats = c.of_type("heartbeat")
        assert len(beats) >= 4, c.raw  # the first one plus one a second
        assert not c.ended, "the stream must outlive the idle timeout"
        assert all(b[2] for b in beats), "heartbeats carry the current id"
        t0 = time.time()
        code = s.stop()
        assert code == 0, s.output()
        assert c.wait(lambda c: c.ended, 5)
        assert c.ended_cleanly, "the stream ends with its last chunk"
        assert time.time() - t0 < 5
        c.close()
    finally:
        s.kill9()


def test_no_stream_is_404_so_clients_poll(tmp_path):
    # Without seeding there is no messages table, hence no stream.
    s = ServeProcess(tmp_path / "serve", extra_args=("--no-seed",))
    try:
        assert s.wait_for_event("events_unavailable", timeout=5)
        user = new_user(s.idp(), "ns")
        c = SseClient(s.api_port, user.access)
        assert c.status == 404
        assert json.loads(c.body) == {"errors": ["not_found"]}
        assert c.headers["Content-Type"] == "application/json"
    finally:
        s.stop_cleanly()
