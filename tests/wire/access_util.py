"""Helpers for the access-control tests (test_access_control.py,
test_browser_origin.py): a credentials file, clients for its keys, and raw
SigV4-signed requests (header or presigned, with a shifted clock, a foreign
Host or an Origin) sent with `requests`."""

import datetime
import json
import os
import types
from unittest import mock

import boto3
import botocore.auth
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
ACCOUNT = "000000000000"

# access key id -> (secret, name, permissions)
KEYS = {
    "AKIDADMIN": ("admin-secret", "cruddur-admin", [{"actions": ["*"]}]),
    "AKIDREADONLY": ("readonly-secret", "cruddur-readonly", [{"actions": ["read", "streams"], "tables": ["*"]}]),
    "AKIDMESSAGES": (
        "messages-secret",
        "cruddur-api",
        [
            {"actions": ["read"], "tables": ["cruddur-*"]},
            {"actions": ["write"], "tables": ["cruddur-messages"]},
        ],
    ),
    "AKIDPOOLADMIN": ("pooladmin-secret", "cruddur-pool-admin", [{"actions": ["userpool-admin"]}]),
}


def write_credentials_file(directory):
    path = os.path.join(str(directory), "credentials.json")
    doc = {
        "account_id": ACCOUNT,
        "keys": [
            {"access_key_id": k, "secret_access_key": s, "name": n, "permissions": p} for k, (s, n, p) in KEYS.items()
        ],
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
    return path


def client(endpoint, key_id, secret=None, service="dynamodb"):
    secret = secret if secret is not None else KEYS[key_id][0]
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60),
    )


def principal_arn(key_id):
    return f"arn:aws:iam::{ACCOUNT}:user/{KEYS[key_id][1]}"


def table_arn(table):
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"


def denied_message(key_id, action, resource):
    return (
        f"User: {principal_arn(key_id)} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action"
    )


TARGET_PREFIX = {"dynamodb": "DynamoDB_20120810.", "streams": "DynamoDBStreams_20120810.", "cognito-idp": "AWSCognitoIdentityProviderService."}


def signing_clock(when):
    """Makes botocore's signers see `when` (naive UTC) as the time: newer
    botocore asks get_current_datetime(), older datetime.datetime.utcnow()."""
    if hasattr(botocore.auth, "get_current_datetime"):
        return mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when)

    class FakeDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    fake = types.SimpleNamespace(datetime=FakeDatetime, timedelta=datetime.timedelta, timezone=datetime.timezone)
    return mock.patch.object(botocore.auth, "datetime", fake)


def raw(
    endpoint,
    operation,
    body=None,
    key_id="AKIDADMIN",
    secret=None,
    api="dynamodb",
    shift=datetime.timedelta(0),
    sign=True,
    presign_expires=None,
    headers=None,
    host=None,
):
    """POST one operation; returns the requests.Response. `shift` moves the
    signer's clock; `presign_expires` signs the query string instead of the
    header; `host` replaces the Host header (signed as such)."""
    data = json.dumps(body if body is not None else {})
    h = {
        "Content-Type": "application/x-amz-json-1.1" if api == "cognito-idp" else "application/x-amz-json-1.0",
        "X-Amz-Target": TARGET_PREFIX[api] + operation,
    }
    if host:
        h["Host"] = host
    req = AWSRequest(method="POST", url=endpoint + "/", data=data, headers=h)
    if sign:
        secret = secret if secret is not None else KEYS.get(key_id, ("x",))[0]
        creds = Credentials(key_id, secret)
        service = "cognito-idp" if api == "cognito-idp" else "dynamodb"
        when = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + shift
        with signing_clock(when):
            if presign_expires is not None:
                SigV4QueryAuth(creds, service, REGION, expires=presign_expires).add_auth(req)
            else:
                SigV4Auth(creds, service, REGION).add_auth(req)
    prepared = req.prepare()
    out_headers = dict(prepared.headers)
    out_headers.update(headers or {})
    return requests.post(prepared.url, data=data, headers=out_headers, timeout=30)


def error_of(response):
    body = response.json()
    return body.get("__type", "").split("#")[-1], body.get("message") or body.get("Message")
