"""Hostile bodies against `cruddur serve`: its user-pool endpoint and its API
parse JSON with small depth limits (16 levels: their real requests need 3),
enforced while parsing, and answer a 400 with their own JSON error; a token or
pagination cursor built of deep JSON is refused like any other bad one. The
server goes on serving afterwards."""

import base64
import json

import pytest
import requests

from serve_util import (
    DEV_PASSWORD,
    SEED_USERS,
    ServeProcess,
    requires_cruddur,
    sign_in,
)

pytestmark = [pytest.mark.local_only, requires_cruddur]

DEEP = "[" * 200_000 + "]" * 200_000  # 400 KB of nesting


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = ServeProcess(tmp_path_factory.mktemp("serve-hostile"))
    yield s
    s.stop_cleanly()


def token_of(srv, handle="andrewbrown"):
    return sign_in(srv.idp(), SEED_USERS[handle][0], DEV_PASSWORD)["AccessToken"]


def still_serving(srv):
    token = token_of(srv)
    r = srv.api().get("/api/message_groups", token=token)
    assert r.status_code == 200, r.text


def test_user_pool_refuses_deep_json(srv):
    body = '{"ClientId":"x","Username":"u","Password":"p","Junk":%s}' % DEEP
    r = requests.post(
        srv.ddb_url + "/",
        data=body,
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=30,
    )
    assert r.status_code == 400, r.text
    assert "nested deeper than 16 levels" in r.json()["message"]
    still_serving(srv)


def test_api_refuses_deep_json(srv):
    token = token_of(srv)
    r = srv.api().request(
        "POST",
        "/api/messages",
        token=token,
        data='{"message":"hi","handle":"bayko","junk":%s}' % DEEP,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert "invalid_json" in r.text
    still_serving(srv)


def b64url(raw):
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def test_token_with_a_deep_header_is_a_401(srv):
    """The JOSE header is read before any signature check; a deep one once
    recursed as deep as it was nested."""
    deep = "[" * 15_000 + "]" * 15_000  # 40 KB once encoded: under the 64 KiB header limit
    token = b64url(deep) + "." + b64url('{"sub":"x"}') + ".c2ln"
    r = srv.api().get("/api/message_groups", token=token)
    assert r.status_code == 401
    still_serving(srv)


def test_cursor_of_deep_json_is_refused(srv):
    token = token_of(srv)
    cursor = b64url("[" * 1500 + "]" * 1500)
    r = srv.api().get("/api/message_groups?cursor=" + cursor, token=token)
    assert r.status_code == 400, r.text
    assert "invalid_cursor" in r.text
    still_serving(srv)
