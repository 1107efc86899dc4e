#!/usr/bin/python3
"""The soak of issue 10 (`make soak`; not in CI).

Starts one `cruddur serve` (durable, in a fresh temp data directory, on two
free ports of 127.0.0.1, --no-throttling as in bench/api.sh: the seeded
messages table is PROVISIONED at 5 units) and drives it for SOAK_SECONDS with
a mixed load, all at once, after writing SOAK_BALLAST_MB of 1 KiB items to a
table of their own and reading them back once (so that the storage's write
buffers, 3 x 16 MiB, and block cache, 32 MiB, are at their working size before
the load starts: growth after the warm-up is then growth, not caches filling):

  engine   SOAK_ENGINE_THREADS boto3 threads on the DynamoDB port: GetItem,
           PutItem, UpdateItem, DeleteItem, Query (table and GSI),
           BatchWriteItem (25), Scan (a page of 100) on table "soak" (at most
           10,000 items: the keys are bounded); and every SOAK_TABLE_SECONDS
           a small table created (with a GSI), written, queried and deleted
  API      SOAK_API_THREADS threads over `requests`, each signed in as a dev
           user (boto3 cognito-idp InitiateAuth USER_PASSWORD_AUTH against
           the local pool; again every SOAK_SIGNIN_SECONDS, so new tokens keep
           coming): GET /api/message_groups, GET /api/messages/{uuid},
           POST /api/messages, each thread in its own conversation
   keep-alive  SOAK_KEEPALIVE raw HTTP/1.1 connections (half to each port),
           each sending a request every ~SOAK_KEEPALIVE_INTERVAL s: GetItem,
           Query, PutItem on "soak", or the two API GETs with a bearer token
   idle    SOAK_IDLE connections that send nothing and wait; when the server
           closes one, it reconnects (after ~1 s)
   slow    SOAK_SLOW clients sending a request a few bytes at a time, each
           request spread over ~SOAK_SLOW_REQUEST_SECONDS; half of them
           abandon it mid-body and close, the rest read the answer
   malformed  one bad request every SOAK_MALFORMED_INTERVAL s (bad HTTP, bad
           JSON, no or bad signature shape, unknown operation or table, a
           header block over 64 KiB, a body over the limit, bad chunking, bad
           gzip, bad or no bearer token, bad JSON / wrong type / blank message
           on the API, unknown routes); 4xx or a closed connection expected

Every SOAK_SAMPLE_SECONDS it records serve's RSS (/proc/PID/status VmRSS), its
open descriptors (/proc/PID/fd: sockets and others), the load's own open
sockets, requests, 4xx, 5xx and failures in the window, p50/p99 of the normal
requests (engine, API, keep-alive; not the sign-ins, the slow or the malformed
ones), and the CPU of serve and of this load generator. At the end it prints
the samples, then start (the sample at the end of the warm-up: 300 s, or 1/6
of shorter runs) against end, with PASS/MISS for the goals:
  RSS growth after the warm-up < 10% (the floor of each window: its least
      reading, taken every second; transient peaks are reported, not judged)
  descriptors: serve's open fds minus the load's open sockets grow by at most
      SOAK_FD_TOLERANCE (default 16: RocksDB's table files come and go with
      flushes and compactions; every connection is a socket on both sides)
  no 5xx from any request, no failed normal request (no answer, 4xx)
  serve alive throughout, and stopping on SIGTERM with exit status 0
The report also goes to build/soak-results.txt. Exit status 1 on a MISS, 2
when it could not run.

Environment (all optional): SOAK_SECONDS (default 1800), SOAK_SAMPLE_SECONDS
(default 30; runs under 1800 s: SOAK_SECONDS/24, at least 5), SOAK_KEEPALIVE
(200), SOAK_KEEPALIVE_INTERVAL (0.5), SOAK_IDLE (300), SOAK_SLOW (20),
SOAK_SLOW_REQUEST_SECONDS (40), SOAK_MALFORMED_INTERVAL (0.5),
SOAK_ENGINE_THREADS (2), SOAK_ENGINE_RATE (25 requests/s per thread),
SOAK_API_THREADS (2), SOAK_API_RATE (10 requests/s per thread),
SOAK_SIGNIN_SECONDS (60), SOAK_TABLE_SECONDS (30; shorter runs: SOAK_SECONDS/8),
SOAK_FD_TOLERANCE (16), SOAK_BALLAST_MB (64; 0 = none), SOAK_RING_PREFILL (10000 messages
POSTed before the load so the live-update ring starts full; 0 = none), SOAK_SERVE_ARGS (more `cruddur serve` flags, split on
spaces, e.g. "--idle-timeout-seconds 30"), CRUDDUR (the binary, default
build/bin/cruddur).

serve is stopped by its PID (SIGTERM, SIGKILL after 30 s) at the end, also on
failure or Ctrl-C; the temp directory is removed.
"""

import asyncio
import collections
import importlib.util
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # bench/*.py import each other: no bench/__pycache__
from api import CLIENT_ID, PASSWORD, tamper  # noqa: E402
from util import cpu_us, freeport, goal_writer, rss, verdict  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"
REGION = "us-east-1"
OUT = os.path.join(ROOT, "build", "soak-results.txt")

SEED_GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"  # andrewbrown <-> bayko, seeded
# handle -> sign-in e-mail (README: the dev users, password Cruddur1!)
DEV_USERS = {
    "andrewbrown": "andrew@exampro.co",
    "bayko": "bayko@exampro.co",
    "londo": "lmollari@centari.com",
    "altbrown": "andrew@cloudprojectbootcamp.com",
}
# API thread k posts as WRITERS[k % 2][0] to WRITERS[k % 2][1] and also signs
# WRITERS[k % 2][1] in (for the keep-alive API connections): two disjoint
# pairs, so no two threads write the same conversation or inbox.
WRITERS = (("andrewbrown", "bayko"), ("londo", "altbrown"))

TABLE = "soak"
BALLAST = "soak-ballast"  # written and read once before the load (Load.ballast)
INDEX = "g-index"
PARTITIONS = 500
SORT_KEYS = 20  # at most PARTITIONS * SORT_KEYS items

# Variables that must not leak into serve from the caller's environment (an
# AWS_ENDPOINT_URL would send the messages elsewhere), as tests/wire does.
SCRUBBED_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_COGNITO_USER_POOL_ID",
    "AWS_COGNITO_USER_POOL_CLIENT_ID",
    "AWS_REGION",
    "CONNECTION_URL",
    "DDB_MESSAGE_TABLE",
    "BACKEND_URL",
)

# The Authorization header of raw engine requests: shaped like SigV4 (the
# server checks the shape only), as bench/lib.lua sends it.
SIGV4 = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0123456789abcdef" * 4
)


def log(msg):
    print(f"soak: {msg}", file=sys.stderr, flush=True)


class CannotRun(Exception):
    pass


def env_num(name, default, minimum, kind=int):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise CannotRun(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise CannotRun(f"{name} must be at least {minimum}, got {raw!r}")
    return value


class Settings:
    def __init__(self):
        self.seconds = env_num("SOAK_SECONDS", 1800, 10)
        default_sample = 30 if self.seconds >= 1800 else max(5, self.seconds // 24)
        self.sample = env_num("SOAK_SAMPLE_SECONDS", default_sample, 1)
        self.warmup = min(300, self.seconds / 6)
        self.keepalive = env_num("SOAK_KEEPALIVE", 200, 0)
        self.keepalive_interval = env_num("SOAK_KEEPALIVE_INTERVAL", 0.5, 0.01, float)
        self.idle = env_num("SOAK_IDLE", 300, 0)
        self.slow = env_num("SOAK_SLOW", 20, 0)
        self.slow_request = env_num("SOAK_SLOW_REQUEST_SECONDS", 40.0, 1.0, float)
        self.malformed_interval = env_num("SOAK_MALFORMED_INTERVAL", 0.5, 0.01, float)
        self.engine_threads = env_num("SOAK_ENGINE_THREADS", 2, 0)
        self.engine_rate = env_num("SOAK_ENGINE_RATE", 25.0, 0.1, float)
        self.api_threads = env_num("SOAK_API_THREADS", 2, 0)
        self.api_rate = env_num("SOAK_API_RATE", 10.0, 0.1, float)
        self.signin = env_num("SOAK_SIGNIN_SECONDS", 60.0, 1.0, float)
        default_table = 30.0 if self.seconds >= 240 else max(5.0, self.seconds / 8)
        self.table = env_num("SOAK_TABLE_SECONDS", default_table, 1.0, float)
        self.fd_tolerance = env_num("SOAK_FD_TOLERANCE", 16, 0)
        self.ballast_mb = env_num("SOAK_BALLAST_MB", 64, 0)
        self.ring_prefill = env_num("SOAK_RING_PREFILL", 10000, 0)
        self.serve_args = os.environ.get("SOAK_SERVE_ARGS", "").split()
        self.cruddur = os.environ.get("CRUDDUR") or os.path.join(ROOT, "build", "bin", "cruddur")


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


class Stats:
    """Counters per sampling window and in total, and the latencies of the
    normal requests per window, by kind (engine, api, keepalive). Shared by
    the asyncio thread and the worker threads."""

    KINDS = ("engine", "api", "keepalive")

    def __init__(self):
        self.lock = threading.Lock()
        self.total = collections.Counter()
        self.window = collections.Counter()
        self.lat = {k: [] for k in self.KINDS}
        self.problems = collections.Counter()  # "what: detail" -> times, for the report

    def add(self, key, n=1):
        with self.lock:
            self.window[key] += n
            self.total[key] += n

    def problem(self, what):
        with self.lock:
            if len(self.problems) < 40 or what in self.problems:
                self.problems[what] += 1

    def status(self, prefix, status):
        """Counts an answer of a request of class `prefix` (normal, slow,
        malformed, signin): <prefix>, and <prefix>_4xx / 5xx."""
        with self.lock:
            for c in (self.window, self.total):
                c[prefix] += 1
                if status >= 500:
                    c["5xx"] += 1
                elif status >= 400:
                    c[prefix + "_4xx"] += 1

    def normal(self, kind, what, status, seconds=None, detail=""):
        """A normal request: status None = no answer (a failure)."""
        if status is None:
            self.add("failed")
            self.problem(f"{kind} {what}: no answer: {detail}"[:200])
            return
        self.status("normal", status)
        if status >= 400:
            self.problem(f"{kind} {what}: HTTP {status} {detail}"[:200])
        elif seconds is not None:
            with self.lock:
                self.lat[kind].append(seconds)

    def take_window(self):
        with self.lock:
            window, lat = self.window, self.lat
            self.window = collections.Counter()
            self.lat = {k: [] for k in self.KINDS}
        return window, lat


def percentile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


# --------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------


def item_key(p, s):
    return {"pk": {"S": f"p{p:03d}"}, "sk": {"S": f"s{s:02d}"}}


def item(p, s):
    it = item_key(p, s)
    it["g"] = {"S": f"g{(p * SORT_KEYS + s) % PARTITIONS:03d}"}
    it["payload"] = {"S": "x" * random.randint(50, 300)}
    it["n"] = {"N": str(random.randint(0, 10**6))}
    return it


def random_key():
    return random.randrange(PARTITIONS), random.randrange(SORT_KEYS)


def ddb_request(port, target, body, auth=True, extra=b"", framing=None):
    """Raw bytes of a DynamoDB JSON 1.0 request. `extra`: more header lines;
    `framing`: the body's framing header line instead of its Content-Length."""
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    if framing is None:
        framing = f"Content-Length: {len(body)}\r\n".encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/x-amz-json-1.0\r\n"
        f"X-Amz-Target: DynamoDB_20120810.{target}\r\n"
        "X-Amz-Date: 20260101T000000Z\r\n"
    )
    if auth:
        head += f"Authorization: {SIGV4}\r\n"
    return head.encode() + extra + framing + b"\r\n" + body


def api_request(port, method, path, token=None, body=None, content_type="application/json", extra=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
    if token is not None:
        head += f"Authorization: Bearer {token}\r\n"
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(data)}\r\n"
    return head.encode() + extra + b"\r\n" + data


async def read_response(reader):
    """(status, body, close) of one HTTP/1.1 response with a Content-Length
    (serve always sends one). Raises IncompleteReadError on EOF."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        k, _, v = line.partition(":")
        k = k.strip().lower()
        if k == "content-length":
            length = int(v.strip())
        elif k == "connection" and "close" in v.lower():
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close


ANSWER_ERRORS = (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError)


def client_error(e):
    """(status, None, error code) of a botocore ClientError, for Stats.normal."""
    status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 400
    return status, None, e.response.get("Error", {}).get("Code", "")


def close_writer(writer):
    try:
        writer.close()
    except Exception:  # noqa: BLE001 - closing a broken socket
        pass


# --------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------


class Tokens:
    """Access tokens by handle, and each handle's conversation."""

    def __init__(self):
        self.lock = threading.Lock()
        self.token = {}
        self.group = {}

    def set(self, handle, token=None, group=None):
        with self.lock:
            if token is not None:
                self.token[handle] = token
            if group is not None:
                self.group[handle] = group

    def pick(self):
        """(token, group) of a random signed-in user with a known conversation."""
        with self.lock:
            ready = [h for h in self.token if h in self.group]
            if not ready:
                return None, None
            h = random.choice(ready)
            return self.token[h], self.group[h]


class Load:
    def __init__(self, settings, ddb_port, api_port, stats):
        self.s = settings
        self.ddb_port = ddb_port
        self.api_port = api_port
        self.ddb_url = f"http://{HOST}:{ddb_port}"
        self.api_url = f"http://{HOST}:{api_port}"
        self.stats = stats
        self.tokens = Tokens()
        self.stop = threading.Event()
        self.threads = []
        self.loop = None
        self.tasks = []
        self.tables_made = 0

    # ---- clients ---------------------------------------------------------

    def boto(self, service):
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            service,
            endpoint_url=self.ddb_url,
            region_name=REGION,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(
                retries={"max_attempts": 1, "mode": "standard"},
                connect_timeout=10,
                read_timeout=30,
                max_pool_connections=2,
            ),
        )

    def sign_in(self, idp, handle):
        out = idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": DEV_USERS[handle], "PASSWORD": PASSWORD},
        )
        token = out["AuthenticationResult"]["AccessToken"]
        self.tokens.set(handle, token=token)
        return token

    # ---- set-up ----------------------------------------------------------

    def prepare(self):
        """The soak table with some items; every dev user signed in; each
        writer's conversation known. Raises on failure."""
        ddb = self.boto("dynamodb")
        ddb.create_table(
            TableName=TABLE,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": INDEX,
                    "KeySchema": [
                        {"AttributeName": "g", "KeyType": "HASH"},
                        {"AttributeName": "pk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        self.wait_active(ddb, TABLE)
        keys = [(p, s) for p in range(PARTITIONS) for s in range(0, SORT_KEYS, 5)]
        for i in range(0, len(keys), 25):
            reqs = [{"PutRequest": {"Item": item(p, s)}} for p, s in keys[i : i + 25]]
            out = ddb.batch_write_item(RequestItems={TABLE: reqs})
            if out.get("UnprocessedItems"):
                raise RuntimeError("prefill: UnprocessedItems")
        log(f"table {TABLE}: {len(keys)} items to start with")
        if self.s.ballast_mb:
            t0 = time.monotonic()
            self.ballast(ddb, self.s.ballast_mb)
            log(f"table {BALLAST}: {self.s.ballast_mb} MB written and scanned in {time.monotonic() - t0:.0f} s")

        idp = self.boto("cognito-idp")
        deadline = time.monotonic() + 30
        while True:  # the pool may still be seeding
            try:
                for handle in DEV_USERS:
                    self.sign_in(idp, handle)
                break
            except Exception as e:  # noqa: BLE001
                if time.monotonic() > deadline:
                    raise RuntimeError(f"sign-in failed: {e}") from e
                time.sleep(0.5)
        import requests

        with requests.Session() as http:
            for sender, receiver in WRITERS:
                token = self.tokens.token[sender]
                r = http.post(
                    f"{self.api_url}/api/messages",
                    json={"message": "soak: hello", "handle": receiver},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                if r.status_code != 200:
                    raise RuntimeError(f"POST /api/messages as {sender}: HTTP {r.status_code} {r.text[:300]}")
                group = r.json()["message_group_uuid"]
                self.tokens.set(sender, group=group)
                self.tokens.set(receiver, group=group)
        log(f"signed in {len(DEV_USERS)} dev users; conversations: {dict(self.tokens.group)}")
        if self.s.ring_prefill:
            t0 = time.monotonic()
            self.fill_ring(self.s.ring_prefill)
            log(f"{self.s.ring_prefill} messages posted in {time.monotonic() - t0:.0f} s (the live-update ring full)")

    def fill_ring(self, count, threads=4):
        """`count` messages POSTed in the first writers' conversation before
        the load: the live-update ring (cruddur serve keeps the last 10,000
        events for clients that reconnect) is then at its working size, as
        the ballast does for the storage, so that growth after the warm-up
        is growth, not the ring filling up (at the load's ~7 POSTs/s it
        would take the whole 30 minutes)."""
        import requests

        sender = WRITERS[0][0]
        group = self.tokens.group[sender]
        token = self.tokens.token[sender]
        errors = []

        def post(n):
            with requests.Session() as http:
                for i in range(n):
                    r = http.post(
                        f"{self.api_url}/api/messages",
                        json={"message": f"soak: ring {i}", "message_group_uuid": group},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=30,
                    )
                    if r.status_code != 200:
                        errors.append(f"HTTP {r.status_code} {r.text[:200]}")
                        return

        workers = [threading.Thread(target=post, args=(count // threads + (k < count % threads),)) for k in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        if errors:
            raise RuntimeError(f"filling the ring: {errors[0]}")

    @staticmethod
    def ballast(ddb, megabytes):
        """About `megabytes` MB of 1 KiB items in table BALLAST, then one Scan
        of it all (Select COUNT: the server reads every item, the client gets
        a count): the storage's write buffers and block cache (3 x 16 MiB
        and 32 MiB) are at their working size before the load starts, so
        that growth after the warm-up is growth, not caches filling up."""
        ddb.create_table(
            TableName=BALLAST,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        Load.wait_active(ddb, BALLAST)
        for batch in range(megabytes * 1024 // 25):
            items = [
                {"PutRequest": {"Item": {"pk": {"S": f"b{batch:06d}.{i:02d}"}, "v": {"S": random.randbytes(500).hex()}}}}
                for i in range(25)
            ]
            out = ddb.batch_write_item(RequestItems={BALLAST: items})
            if out.get("UnprocessedItems"):
                raise RuntimeError("ballast: UnprocessedItems")
        args = {"TableName": BALLAST, "Select": "COUNT"}
        while True:
            out = ddb.scan(**args)
            if "LastEvaluatedKey" not in out:
                return
            args["ExclusiveStartKey"] = out["LastEvaluatedKey"]

    @staticmethod
    def wait_active(ddb, name, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            status = ddb.describe_table(TableName=name)["Table"]["TableStatus"]
            if status == "ACTIVE":
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"table {name} still {status} after {timeout} s")
            time.sleep(0.1)

    # ---- threads: engine (boto3) ------------------------------------------

    def engine_thread(self, index):
        from botocore.exceptions import BotoCoreError, ClientError

        ddb = self.boto("dynamodb")
        period = 1.0 / self.s.engine_rate
        next_at = time.monotonic() + random.uniform(0, period)
        next_table = time.monotonic() + self.s.table if index == 0 else float("inf")
        ops = (
            ("GetItem", 30, lambda: ddb.get_item(TableName=TABLE, Key=item_key(*random_key()))),
            ("PutItem", 20, lambda: ddb.put_item(TableName=TABLE, Item=item(*random_key()))),
            (
                "UpdateItem",
                15,
                lambda: ddb.update_item(
                    TableName=TABLE,
                    Key=item_key(*random_key()),
                    UpdateExpression="ADD c :one SET t = :t",
                    ExpressionAttributeValues={":one": {"N": "1"}, ":t": {"N": str(int(time.time()))}},
                ),
            ),
            ("DeleteItem", 5, lambda: ddb.delete_item(TableName=TABLE, Key=item_key(*random_key()))),
            (
                "Query",
                12,
                lambda: ddb.query(
                    TableName=TABLE,
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": f"p{random.randrange(PARTITIONS):03d}"}},
                ),
            ),
            (
                "QueryIndex",
                8,
                lambda: ddb.query(
                    TableName=TABLE,
                    IndexName=INDEX,
                    KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": f"g{random.randrange(PARTITIONS):03d}"}},
                ),
            ),
            ("BatchWriteItem", 5, lambda: self.batch_write(ddb)),
            ("Scan", 5, lambda: self.scan(ddb)),
        )
        names = [o[0] for o in ops]
        weights = [o[1] for o in ops]
        calls = {o[0]: o[2] for o in ops}
        while not self.stop.is_set():
            name = random.choices(names, weights)[0]
            t0 = time.perf_counter()
            try:
                calls[name]()
                self.stats.normal("engine", name, 200, time.perf_counter() - t0)
            except ClientError as e:
                self.stats.normal("engine", name, *client_error(e))
            except (BotoCoreError, OSError) as e:
                self.stats.normal("engine", name, None, None, type(e).__name__)
            if time.monotonic() >= next_table:
                self.table_cycle(ddb, ClientError, BotoCoreError)
                next_table = time.monotonic() + self.s.table
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                next_at = time.monotonic()  # behind: do not burst to catch up

    @staticmethod
    def batch_write(ddb):
        keys = set()
        while len(keys) < 25:
            keys.add(random_key())
        out = ddb.batch_write_item(RequestItems={TABLE: [{"PutRequest": {"Item": item(p, s)}} for p, s in keys]})
        if out.get("UnprocessedItems"):
            raise OSError("BatchWriteItem: UnprocessedItems")

    @staticmethod
    def scan(ddb):
        args = {"TableName": TABLE, "Limit": 100}
        if random.random() < 0.5:
            args.update(Segment=random.randrange(8), TotalSegments=8)
        ddb.scan(**args)

    def table_cycle(self, ddb, ClientError, BotoCoreError):
        """CreateTable (with a GSI), 25 items, a Query on the index, DeleteTable."""
        self.tables_made += 1
        name = f"soak-tmp-{self.tables_made}"
        step = "CreateTable"
        try:
            ddb.create_table(
                TableName=name,
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                    {"AttributeName": "g", "AttributeType": "S"},
                ],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": INDEX,
                        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            step = "DescribeTable"
            self.wait_active(ddb, name)
            step = "BatchWriteItem"
            ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": item(i, 0)}} for i in range(25)]})
            step = "Query"
            ddb.query(
                TableName=name,
                IndexName=INDEX,
                KeyConditionExpression="g = :g",
                ExpressionAttributeValues={":g": {"S": "g000"}},
            )
            step = "DeleteTable"
            ddb.delete_table(TableName=name)
            self.stats.add("tables")
        except ClientError as e:
            self.stats.normal("engine", step, *client_error(e))
        except (BotoCoreError, OSError, RuntimeError) as e:
            self.stats.normal("engine", step, None, None, f"{type(e).__name__} {e}")

    # ---- threads: the API (requests) --------------------------------------

    def api_thread(self, index):
        import requests

        idp = self.boto("cognito-idp")
        sender, receiver = WRITERS[index % len(WRITERS)]
        http = requests.Session()
        period = 1.0 / self.s.api_rate
        next_at = time.monotonic() + random.uniform(0, period)
        next_signin = time.monotonic() + random.uniform(0.5, 1.0) * self.s.signin
        serial = 0
        while not self.stop.is_set():
            if time.monotonic() >= next_signin:
                for handle in (sender, receiver):
                    try:
                        self.sign_in(idp, handle)
                        self.stats.status("signin", 200)
                    except Exception as e:  # noqa: BLE001
                        status = getattr(e, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
                        if status:
                            self.stats.status("signin", status)
                        else:
                            self.stats.add("failed")
                        self.stats.problem(f"sign-in {handle}: {type(e).__name__} {e}"[:200])
                next_signin = time.monotonic() + self.s.signin
            token = self.tokens.token[sender]
            group = self.tokens.group[sender]
            headers = {"Authorization": f"Bearer {token}"}
            r = random.random()
            if r < 0.4:
                what, method, path, body = "GET /api/message_groups", "GET", "/api/message_groups", None
            elif r < 0.8:
                what, method, path, body = "GET /api/messages/{g}", "GET", f"/api/messages/{group}", None
            else:
                serial += 1
                text = f"soak {index}.{serial}: " + "lorem ipsum " * random.randint(1, 8)
                body = {"message": text, "message_group_uuid": group}
                what, method, path = "POST /api/messages", "POST", "/api/messages"
            t0 = time.perf_counter()
            try:
                resp = http.request(method, self.api_url + path, headers=headers, json=body, timeout=30)
                self.stats.normal("api", what, resp.status_code, time.perf_counter() - t0, resp.text[:80])
            except requests.RequestException as e:
                self.stats.normal("api", what, None, None, type(e).__name__)
                http.close()
                http = requests.Session()
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                next_at = time.monotonic()
        http.close()

    # ---- asyncio: keep-alive, idle, slow, malformed ------------------------

    def keepalive_request(self, port):
        """(what, bytes) of the next request of a keep-alive connection."""
        if port == self.ddb_port:
            r = random.random()
            if r < 0.5:
                return "GetItem", ddb_request(port, "GetItem", {"TableName": TABLE, "Key": item_key(*random_key())})
            if r < 0.75:
                p = random.randrange(PARTITIONS)
                q = {
                    "TableName": TABLE,
                    "KeyConditionExpression": "pk = :p",
                    "ExpressionAttributeValues": {":p": {"S": f"p{p:03d}"}},
                    "Limit": 10,
                }
                return "Query", ddb_request(port, "Query", q)
            return "PutItem", ddb_request(port, "PutItem", {"TableName": TABLE, "Item": item(*random_key())})
        token, group = self.tokens.pick()
        if random.random() < 0.5:
            return "GET /api/message_groups", api_request(port, "GET", "/api/message_groups", token)
        return "GET /api/messages/{g}", api_request(port, "GET", f"/api/messages/{group}", token)

    async def connect(self, port):
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
        return reader, writer

    async def keepalive_client(self, index):
        port = self.ddb_port if index % 2 == 0 else self.api_port
        reader = writer = None
        served = 0  # requests answered on the current connection
        try:
            await asyncio.sleep(random.uniform(0, self.s.keepalive_interval))
            while True:
                what, req = self.keepalive_request(port)
                for attempt in (0, 1):
                    if writer is None:
                        try:
                            reader, writer = await self.connect(port)
                            served = 0
                        except (OSError, asyncio.TimeoutError) as e:
                            self.stats.normal("keepalive", f"connect :{port}", None, None, type(e).__name__)
                            break
                    t0 = time.perf_counter()
                    try:
                        writer.write(req)
                        status, body, close = await asyncio.wait_for(read_response(reader), 30)
                    except asyncio.TimeoutError:
                        close_writer(writer)
                        reader = writer = None
                        self.stats.normal("keepalive", what, None, None, "no answer in 30 s")
                        break
                    except ANSWER_ERRORS as e:
                        close_writer(writer)
                        reader = writer = None
                        if attempt == 0 and served > 0:
                            # The server may close a keep-alive connection
                            # between requests (an idle timeout): once more on
                            # a new one, as HTTP clients do.
                            self.stats.add("keepalive_reconnects")
                            continue
                        self.stats.normal("keepalive", what, None, None, type(e).__name__)
                        break
                    served += 1
                    seconds = time.perf_counter() - t0
                    self.stats.normal("keepalive", what, status, seconds, body[:80].decode("latin-1"))
                    if close:
                        close_writer(writer)
                        reader = writer = None
                    break
                await asyncio.sleep(random.uniform(0.5, 1.5) * self.s.keepalive_interval)
        finally:
            if writer is not None:
                close_writer(writer)

    async def idle_client(self, index):
        port = self.ddb_port if index % 2 == 0 else self.api_port
        await asyncio.sleep(index * 0.01)  # no burst of 300 connects
        while True:
            try:
                reader, writer = await self.connect(port)
            except (OSError, asyncio.TimeoutError) as e:
                self.stats.add("idle_connect_failed")
                self.stats.problem(f"idle connect :{port}: {type(e).__name__}")
                await asyncio.sleep(1)
                continue
            try:
                await reader.read(65536)  # until the server closes it (or answers, e.g. 408)
            except OSError:
                pass
            finally:
                close_writer(writer)
            self.stats.add("idle_closed")
            await asyncio.sleep(random.uniform(0.5, 1.5))

    def slow_request(self, kind):
        """(bytes, where the body starts) of a slow client's request."""
        if kind in ("engine", "engine-abandon"):
            req = ddb_request(self.ddb_port, "PutItem", {"TableName": TABLE, "Item": item(*random_key())})
        elif kind == "api":
            token, group = self.tokens.pick()
            req = api_request(self.api_port, "GET", f"/api/messages/{group}", token)
        else:  # api-abandon: a POST cut mid-body; never processed
            token, group = self.tokens.pick()
            body = {"message": "never sent " * 20, "message_group_uuid": group}
            req = api_request(self.api_port, "POST", "/api/messages", token, body)
        return req, req.index(b"\r\n\r\n") + 4

    async def slow_client(self, index):
        kind = ("engine", "engine-abandon", "api", "api-abandon")[index % 4]
        port = self.ddb_port if kind.startswith("engine") else self.api_port
        await asyncio.sleep(random.uniform(0, self.s.slow_request))
        while True:
            req, body_at = self.slow_request(kind)
            cut = len(req)
            if kind.endswith("abandon"):
                cut = random.randrange(body_at + 1, len(req))  # headers whole, part of the body
            step_wait = 0.5
            step = max(1, round(len(req) / (self.s.slow_request / step_wait)))
            try:
                reader, writer = await self.connect(port)
            except (OSError, asyncio.TimeoutError) as e:
                self.stats.problem(f"slow connect :{port}: {type(e).__name__}")
                await asyncio.sleep(1)
                continue
            answer = asyncio.ensure_future(read_response(reader))
            try:
                pos = 0
                while pos < cut and not answer.done():
                    writer.write(req[pos : min(cut, pos + step)])
                    pos += step
                    await asyncio.sleep(step_wait)
                if answer.done() or not kind.endswith("abandon"):
                    # Answered early (the server gave up on us), or the whole
                    # request is sent: read the answer.
                    status, _, _ = await asyncio.wait_for(asyncio.shield(answer), 30)
                    self.stats.status("slow", status)
                    if pos < cut:
                        self.stats.add("slow_cut_by_server")
                else:
                    self.stats.add("slow_abandoned")
            except asyncio.TimeoutError:
                self.stats.add("slow_no_answer")
                self.stats.problem(f"slow {kind}: no answer 30 s after the request")
            except ANSWER_ERRORS:
                self.stats.add("slow_closed_by_server")
            finally:
                answer.cancel()
                close_writer(writer)
            await asyncio.sleep(random.uniform(0, 1))

    def malformed_cases(self):
        d, a = self.ddb_port, self.api_port
        token, group = self.tokens.pick()
        key = {"TableName": TABLE, "Key": item_key(1, 1)}
        no_table = {"TableName": "no-such-table", "Key": item_key(1, 1)}
        post = "/api/messages"
        return [
            ("garbage", d, b"HELLO THERE\r\n\r\n", True),
            ("binary", a, bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) + os.urandom(64) + b"\r\n\r\n", True),
            ("bad request line", a, b"GET\r\nHost: x\r\n\r\n", True),
            ("bad JSON", d, ddb_request(d, "GetItem", b"{not json"), True),
            ("no Authorization", d, ddb_request(d, "GetItem", key, auth=False), True),
            ("unknown operation", d, ddb_request(d, "FlyToTheMoon", b"{}"), True),
            ("no such table", d, ddb_request(d, "GetItem", no_table), True),
            ("invalid key", d, ddb_request(d, "PutItem", {"TableName": TABLE, "Item": {"pk": {"S": ""}}}), True),
            ("header block > 64 KiB", d, ddb_request(d, "GetItem", key, extra=b"X-Pad: " + b"a" * 70000 + b"\r\n"), True),
            ("body over the limit", d, ddb_request(d, "GetItem", b"{", framing=b"Content-Length: 20000000\r\n"), True),
            ("bad chunked body", d, ddb_request(d, "GetItem", b"zz\r\n\r\n", framing=b"Transfer-Encoding: chunked\r\n"), True),
            ("bad gzip body", d, ddb_request(d, "GetItem", b"not gzip", extra=b"Content-Encoding: gzip\r\n"), True),
            ("short body, then close", d, ddb_request(d, "GetItem", key)[:-10], False),
            ("Bearer null", a, api_request(a, "GET", f"/api/messages/{group}", "null"), True),
            ("bad signature", a, api_request(a, "GET", f"/api/messages/{group}", tamper(token)), True),
            ("no token", a, api_request(a, "GET", "/api/message_groups"), True),
            ("API bad JSON", a, api_request(a, "POST", post, token, b"{oops"), True),
            ("API text/plain", a, api_request(a, "POST", post, token, b"hi", content_type="text/plain"), True),
            ("API wrong types", a, api_request(a, "POST", post, token, {"message": 5, "handle": []}), True),
            ("API blank message", a, api_request(a, "POST", post, token, {"message": " ", "message_group_uuid": group}), True),
            ("API not a uuid", a, api_request(a, "GET", "/api/messages/not-a-uuid", token), True),
            ("API unknown route", a, api_request(a, "GET", "/api/nope", token), True),
            ("API bad cursor", a, api_request(a, "GET", "/api/message_groups?cursor=%%%", token), True),
        ]

    async def malformed(self):
        cases = []
        while True:
            await asyncio.sleep(self.s.malformed_interval)
            if not cases:
                cases = self.malformed_cases()
                random.shuffle(cases)
            what, port, req, read = cases.pop()
            try:
                reader, writer = await self.connect(port)
            except (OSError, asyncio.TimeoutError) as e:
                self.stats.problem(f"malformed connect :{port}: {type(e).__name__}")
                continue
            try:
                writer.write(req)
                if read:
                    status, body, _ = await asyncio.wait_for(read_response(reader), 10)
                    self.stats.status("malformed", status)
                    if status >= 500 or status < 400:
                        self.stats.problem(f"malformed {what}: HTTP {status} {body[:80]!r}")
                else:
                    await writer.drain()
                    self.stats.add("malformed")
            except asyncio.TimeoutError:
                self.stats.add("malformed")
                self.stats.add("malformed_no_answer")
                self.stats.problem(f"malformed {what}: no answer in 10 s")
            except ANSWER_ERRORS:
                self.stats.add("malformed")
                self.stats.add("malformed_closed")
            finally:
                close_writer(writer)

    async def main_async(self):
        coros = [self.keepalive_client(i) for i in range(self.s.keepalive)]
        coros += [self.idle_client(i) for i in range(self.s.idle)]
        coros += [self.slow_client(i) for i in range(self.s.slow)]
        coros.append(self.malformed())
        self.tasks = [asyncio.ensure_future(c) for c in coros]
        results = await asyncio.gather(*self.tasks, return_exceptions=True)
        for r in results:
            if isinstance(r, BaseException) and not isinstance(r, asyncio.CancelledError):
                log(f"a load task failed: {type(r).__name__}: {r}")

    def asyncio_thread(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.main_async())
        finally:
            self.loop.close()

    # ---- start / stop ------------------------------------------------------

    def start(self):
        t = threading.Thread(target=self.asyncio_thread, name="soak-asyncio", daemon=True)
        t.start()
        self.threads.append(t)
        for i in range(self.s.engine_threads):
            t = threading.Thread(target=self.engine_thread, args=(i,), name=f"soak-engine-{i}", daemon=True)
            t.start()
            self.threads.append(t)
        for i in range(self.s.api_threads):
            t = threading.Thread(target=self.api_thread, args=(i,), name=f"soak-api-{i}", daemon=True)
            t.start()
            self.threads.append(t)

    def shutdown(self):
        self.stop.set()
        loop = self.loop
        if loop is not None and not loop.is_closed():

            def cancel():
                for t in self.tasks:
                    t.cancel()

            try:
                loop.call_soon_threadsafe(cancel)
            except RuntimeError:
                pass
        for t in self.threads:
            t.join(40)


# --------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------


def fd_counts(pid):
    """(all, sockets) open descriptors of pid."""
    path = f"/proc/{pid}/fd"
    total = sockets = 0
    for name in os.listdir(path):
        try:
            target = os.readlink(os.path.join(path, name))
        except OSError:
            continue  # closed meanwhile
        total += 1
        if target.startswith("socket:"):
            sockets += 1
    return total, sockets


class Sampler:
    def __init__(self, pid, stats):
        self.pid = pid
        self.stats = stats
        self.samples = []
        self.t0 = time.monotonic()
        self.serve_cpu = cpu_us(pid)
        self.load_cpu = self.own_cpu()
        self.last = self.t0
        self.rss_readings = []  # kB, about one a second since the last sample

    def poll(self):
        """An RSS reading between samples (the main loop, about once a second)."""
        try:
            self.rss_readings.append(rss(self.pid))
        except OSError:
            pass

    @staticmethod
    def own_cpu():
        t = os.times()
        return int((t.user + t.system) * 1_000_000)

    def sample(self):
        now = time.monotonic()
        window, lat = self.stats.take_window()
        serve_cpu = cpu_us(self.pid)
        load_cpu = self.own_cpu()
        fds, sockets = fd_counts(self.pid)
        _, load_sockets = fd_counts("self")
        elapsed = now - self.last
        everything = [x for k in Stats.KINDS for x in lat[k]]
        rss_kb = rss(self.pid)
        readings = self.rss_readings + [rss_kb]
        self.rss_readings = []
        s = {
            "t": now - self.t0,
            "rss_kb": rss_kb,
            "rss_min_kb": min(readings),
            "rss_max_kb": max(readings),
            "fds": fds,
            "sockets": sockets,
            "load_sockets": load_sockets,
            "window": window,
            "rps": window["normal"] / elapsed,
            "p50_ms": percentile(everything, 0.50) * 1000,
            "p99_ms": percentile(everything, 0.99) * 1000,
            "p99_kind_ms": {k: percentile(lat[k], 0.99) * 1000 for k in Stats.KINDS},
            "serve_cpu_pct": (serve_cpu - self.serve_cpu) / (elapsed * 1e6) * 100,
            "load_cpu_pct": (load_cpu - self.load_cpu) / (elapsed * 1e6) * 100,
        }
        self.serve_cpu, self.load_cpu, self.last = serve_cpu, load_cpu, now
        self.samples.append(s)
        return s


def sample_line(s):
    w = s["window"]
    return (
        f"{s['t']:6.0f} {s['rss_kb'] / 1024:6.1f} {s['rss_min_kb'] / 1024:6.1f} {s['rss_max_kb'] / 1024:6.1f}"
        f" {s['fds']:5d} {s['sockets']:5d} {s['load_sockets']:6d}"
        f" {s['rps']:7.0f} {w['normal_4xx']:5d} {w['failed']:5d} {w['5xx']:4d}"
        f" {w['malformed']:5d} {w['slow']:4d}/{w['slow_abandoned']:<4d} {w['idle_closed']:5d}"
        f" {s['p50_ms']:7.2f} {s['p99_ms']:7.2f} {s['serve_cpu_pct']:6.0f} {s['load_cpu_pct']:5.0f}"
    )


SAMPLE_HEADER = (
    "     t    RSS  floor   peak   fds  sock load-s   req/s   4xx  fail  5xx   mal slow/aban  idle"
    "  p50 ms  p99 ms serve%  load%"
)


# --------------------------------------------------------------------------
# serve
# --------------------------------------------------------------------------


class Serve:
    def __init__(self, settings, tmp):
        self.s = settings
        self.tmp = tmp
        self.proc = None
        self.err_path = os.path.join(tmp, "serve.err")

    def start(self):
        env = dict(os.environ)
        for k in SCRUBBED_ENV:
            env.pop(k, None)
        env["AWS_DEFAULT_REGION"] = REGION
        for _ in range(3):  # a free port can be taken between the check and the bind
            self.api_port = freeport()
            self.ddb_port = freeport()
            while self.ddb_port == self.api_port:
                self.ddb_port = freeport()
            args = [
                self.s.cruddur,
                "serve",
                "--host",
                HOST,
                "--api-port",
                str(self.api_port),
                "--ddb-port",
                str(self.ddb_port),
                "--data",
                os.path.join(self.tmp, "data"),
                "--no-throttling",
                *self.s.serve_args,
            ]
            with open(self.err_path, "ab") as err:
                # stdout: the access log, one JSON line a request: discarded
                self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
            deadline = time.monotonic() + 60  # the first start seeds
            while self.proc.poll() is None and time.monotonic() < deadline:
                if all(self.accepts(p) for p in (self.api_port, self.ddb_port)):
                    self.args = args
                    return
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.stop()
                raise CannotRun(f"cruddur serve not listening on {self.api_port} and {self.ddb_port} after 60 s")
            if "in use" not in self.stderr_tail().lower() and "bind" not in self.stderr_tail().lower():
                break
        raise CannotRun(f"cruddur serve exited with {self.proc.returncode} during start-up:\n{self.stderr_tail()}")

    @staticmethod
    def accepts(port):
        import socket

        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            return False

    def stderr_tail(self, lines=20):
        try:
            with open(self.err_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30):
        """SIGTERM by PID, SIGKILL after `timeout` s. Returns the exit status,
        or a string saying it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                return f"killed: still running {timeout} s after SIGTERM"
        return self.proc.returncode


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def report(settings, facts, samples, stats, serve_exit, alive_throughout):
    out = []
    p = out.append
    total = stats.total
    s = settings
    p(f"Soak (issue 10): one `cruddur serve` (durable, temp data dir, --no-throttling"
      f"{', ' + ' '.join(s.serve_args) if s.serve_args else ''}) for {facts['ran']:.0f} s of {s.seconds} s")
    p(f"machine: {facts['machine']}")
    p(f"load: {s.keepalive} keep-alive connections (a request every ~{s.keepalive_interval:g} s each),"
      f" {s.idle} idle, {s.slow} slow (half abandon mid-body), a malformed request every"
      f" {s.malformed_interval:g} s,")
    p(f"      {s.engine_threads} boto3 engine threads at {s.engine_rate:g}/s, {s.api_threads} API threads at"
      f" {s.api_rate:g}/s (sign-in every {s.signin:g} s), a table created and deleted every {s.table:g} s")
    p("")
    p("samples (t = seconds; RSS MB at the sample, and its floor and peak over the window (read every second);")
    p("         fds/sock = serve's open descriptors/sockets; load-s = the load's open sockets;")
    p("         req/s, 4xx, fail = normal requests in the window; 5xx = any request; mal = malformed sent;")
    p("         slow = slow requests answered / abandoned; idle = idle connections closed by the server;")
    p("         p50/p99 of the normal requests; CPU % of one core):")
    p(SAMPLE_HEADER)
    for smp in samples:
        p(sample_line(smp))
    p("")
    line = goal_writer(p)
    misses = 0

    def goal(what, value, target, ok):
        nonlocal misses
        if not ok:
            misses += 1
        line(what, value, target, verdict(ok))

    start = next((x for x in samples if x["t"] >= s.warmup - s.sample / 2), None)
    end = samples[-1] if samples else None
    if start is None or end is None or start is end:
        p(f"not enough samples after the warm-up ({s.warmup:.0f} s) to compare start and end")
        goal("samples after the warm-up", len(samples), ">= 2", False)
    else:
        p(f"start = the sample at {start['t']:.0f} s (after {s.warmup:.0f} s of warm-up), end = at {end['t']:.0f} s")
        growth = (end["rss_min_kb"] - start["rss_min_kb"]) / start["rss_min_kb"] * 100
        at_sample = (end["rss_kb"] - start["rss_kb"]) / start["rss_kb"] * 100
        peak = max(x["rss_max_kb"] for x in samples if x["t"] >= start["t"])
        p(f"  RSS floor          {start['rss_min_kb'] / 1024:8.1f} MB -> {end['rss_min_kb'] / 1024:8.1f} MB"
          f"  ({growth:+.1f}%; the least reading of the window: transient peaks do not count)")
        p(f"  RSS at the sample  {start['rss_kb'] / 1024:8.1f} MB -> {end['rss_kb'] / 1024:8.1f} MB"
          f"  ({at_sample:+.1f}%; peak after the warm-up {peak / 1024:.1f} MB)")
        p(f"  fds                {start['fds']:8d}    -> {end['fds']:8d}     (sockets {start['sockets']} ->"
          f" {end['sockets']}; the load's sockets {start['load_sockets']} -> {end['load_sockets']})")
        fd_start = start["fds"] - start["load_sockets"]
        fd_end = end["fds"] - end["load_sockets"]
        p(f"  fds - load sockets {fd_start:8d}    -> {fd_end:8d}     ({fd_end - fd_start:+d})")
        p(f"  p99                {start['p99_ms']:8.2f} ms -> {end['p99_ms']:8.2f} ms"
          f"  (p50 {start['p50_ms']:.2f} -> {end['p50_ms']:.2f} ms)")
        for k in Stats.KINDS:
            if start["p99_kind_ms"][k] == start["p99_kind_ms"][k]:  # not NaN: there were such requests
                p(f"    p99 {k:<12} {start['p99_kind_ms'][k]:8.2f} ms -> {end['p99_kind_ms'][k]:8.2f} ms")
        p("")
        p("goals:")
        goal("RSS (floor) growth after the warm-up", f"{growth:+.1f}%", "< 10%", growth < 10)
        fd_growth = fd_end - fd_start
        goal("fds (minus the load's sockets) growth", f"{fd_growth:+d}", f"<= +{s.fd_tolerance}",
             fd_growth <= s.fd_tolerance)
    goal("5xx answers (all requests)", total["5xx"], "0", total["5xx"] == 0)
    bad = total["failed"] + total["normal_4xx"] + total["signin_4xx"]
    goal("normal requests failed or 4xx", bad, "0", bad == 0)
    goal("serve alive throughout", "yes" if alive_throughout else "no", "yes", alive_throughout)
    goal("serve exit status on SIGTERM", serve_exit, "0", serve_exit == 0)
    p("")
    p(f"totals: {total['normal']} normal requests ({total['normal_4xx']} 4xx, {total['failed']} failed),"
      f" {total['signin']} sign-ins, {total['tables']} tables created and deleted;"
      f" {total['malformed']} malformed ({total['malformed_4xx']} 4xx, {total['malformed_closed']} closed"
      f" without an answer, {total['malformed_no_answer']} no answer in 10 s);")
    p(f"        slow: {total['slow']} answered ({total['slow_4xx']} 4xx), {total['slow_abandoned']} abandoned,"
      f" {total['slow_closed_by_server'] + total['slow_cut_by_server']} cut short by the server,"
      f" {total['slow_no_answer']} unanswered; idle connections closed by the server: {total['idle_closed']};"
      f" keep-alive reconnects: {total['keepalive_reconnects']}; 5xx: {total['5xx']}")
    if stats.problems:
        p("problems seen (what: times):")
        for what, n in stats.problems.most_common(15):
            p(f"  {what}: {n}")
    p(f"result: {'PASS' if misses == 0 else f'MISS ({misses} of the goals)'}")
    return "\n".join(out), misses


# --------------------------------------------------------------------------


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def run():
    settings = Settings()
    if not os.access(settings.cruddur, os.X_OK):
        raise CannotRun(f"{settings.cruddur} not found (make build)")
    for module in ("boto3", "requests"):
        if importlib.util.find_spec(module) is None:
            raise CannotRun(f"{module} not importable by {sys.executable} (apt install python3-{module})")
    raise_fd_limit()  # serve inherits it
    sys.setswitchinterval(0.002)  # threads waiting for the GIL inflate latencies less
    with open("/proc/loadavg") as f:
        facts = {"machine": f"{os.cpu_count()} cores, load average at start: {' '.join(f.read().split()[:3])}"}
    tmp = tempfile.mkdtemp(prefix="cruddur-soak.")
    serve = Serve(settings, tmp)
    load = None

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        serve.start()
        pid = serve.proc.pid
        log(f"cruddur serve: API on {serve.api_port}, DynamoDB and user pool on {serve.ddb_port} (pid {pid})")
        stats = Stats()
        load = Load(settings, serve.ddb_port, serve.api_port, stats)
        try:
            load.prepare()
        except Exception as e:  # noqa: BLE001
            raise CannotRun(f"set-up failed: {type(e).__name__}: {e}\n{serve.stderr_tail()}") from e
        stats.take_window()
        sampler = Sampler(pid, stats)
        load.start()
        log(f"load running for {settings.seconds} s; a sample every {settings.sample} s;"
            f" warm-up {settings.warmup:.0f} s")
        log(SAMPLE_HEADER)
        alive = True
        n = 0
        while True:
            n += 1
            due = sampler.t0 + min(n * settings.sample, settings.seconds)
            while time.monotonic() < due:
                time.sleep(max(0.0, min(1.0, due - time.monotonic())))
                if not serve.alive():
                    break
                if due - time.monotonic() > 0.5:
                    sampler.poll()
            if not serve.alive():
                alive = False
                log(f"cruddur serve exited with {serve.proc.returncode}; its stderr:\n{serve.stderr_tail()}")
                break
            log(sample_line(sampler.sample()))
            if due >= sampler.t0 + settings.seconds:
                break
        facts["ran"] = time.monotonic() - sampler.t0
        log("stopping the load")
        load.shutdown()
        load = None
        serve_exit = serve.stop()
        if serve_exit != 0:
            log(f"cruddur serve stopped with {serve_exit}; its stderr:\n{serve.stderr_tail()}")
        text, misses = report(settings, facts, sampler.samples, stats, serve_exit, alive)
        print(text, flush=True)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w") as f:
            f.write(text + "\n")
        print(f"\n(written to {os.path.relpath(OUT, ROOT)})")
        return 1 if misses else 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if load is not None:
            load.shutdown()
        serve.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    try:
        return run()
    except CannotRun as e:
        log(f"cannot run: {e}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
