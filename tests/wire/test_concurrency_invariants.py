"""Concurrency invariants (issue 3): many clients at once run conflicting
TransactWriteItems transfers between counters, plain PutItem/UpdateItem/
DeleteItem on overlapping items (the counters included) of a table with two
GSIs, and TransactGetItems reads. Afterwards:

- the sum of the counters is what it was, and every counter's `ver` grew by
  exactly the number of transfers the clients saw succeed (no lost or phantom
  transaction);
- every transactional read saw the constant total;
- each GSI holds exactly the items whose index key attributes are present, with
  the projected attributes (a full Scan of the table against a full Scan of the
  index);
- every request got a success or a DynamoDB client error (HTTP 400 with one of
  the codes expected here), never a 500, another error or a hang (botocore read
  timeouts, bounded loops, threads joined with a deadline).
"""

import collections
import random
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from wire_util import ACCESS_KEY, REGION, SECRET_KEY, SESSION_TOKEN, full_scan

THREADS = 12
TRANSFER_THREADS = 5
WRITER_THREADS = 4
READER_THREADS = THREADS - TRANSFER_THREADS - WRITER_THREADS
DURATION = 4.0  # seconds of concurrent load
MAX_OPS_PER_THREAD = 2000  # the loops are bounded in count as well as time
READ_TIMEOUT = 15  # a request that takes longer is a hang

COUNTERS = [f"ctr-{i}" for i in range(6)]
START_BALANCE = 1000
ITEMS = [f"item-{i}" for i in range(10)]
G_VALUES = ["A", "B", "C"]

# the DynamoDB errors a request may get in this workload
EXPECTED_CODES = {
    "TransactWriteItems": {"TransactionCanceledException", "TransactionConflictException"},
    "TransactGetItems": {"TransactionCanceledException", "TransactionConflictException"},
    "PutItem": {"TransactionConflictException", "ConditionalCheckFailedException"},
    "UpdateItem": {"TransactionConflictException", "ConditionalCheckFailedException"},
    "DeleteItem": {"TransactionConflictException", "ConditionalCheckFailedException"},
}
REASON_CODES = {"None", "ConditionalCheckFailed", "TransactionConflict"}


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


@pytest.fixture
def client(endpoint):
    cfg = Config(
        region_name=REGION,
        retries={"max_attempts": 1, "mode": "standard"},  # no retries: every answer is seen
        max_pool_connections=THREADS * 2,
        connect_timeout=5,
        read_timeout=READ_TIMEOUT,
    )
    return boto3.session.Session().client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        config=cfg,
    )


@pytest.fixture
def table(table_factory):
    return table_factory(
        hash_key=("pk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "h", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "by-h",
                "KeySchema": [
                    {"AttributeName": "h", "KeyType": "HASH"},
                    {"AttributeName": "pk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
    )


class Recorder:
    """Outcomes of every request, shared by the worker threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes = collections.Counter()  # (operation, "ok" | error code) -> n
        self.unexpected = []  # descriptions of requests that got neither
        self.reasons = collections.Counter()  # cancellation reason codes seen
        self.transfers_ok = 0
        self.read_totals = []

    def call(self, op, fn, **kwargs):
        """Runs one request; returns the response, or None after an expected DynamoDB error."""
        try:
            r = fn(**kwargs)
        except ClientError as e:
            err = e.response.get("Error", {})
            code = err.get("Code")
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            problem = None
            if status != 400:
                problem = f"HTTP {status}"
            elif code not in EXPECTED_CODES[op]:
                problem = "unexpected error code"
            elif code == "TransactionCanceledException":
                reasons = e.response.get("CancellationReasons")
                if not reasons or len(reasons) != len(kwargs["TransactItems"]):
                    problem = f"CancellationReasons do not match the actions: {reasons}"
                elif {r["Code"] for r in reasons} - REASON_CODES or all(r["Code"] == "None" for r in reasons):
                    problem = f"unexpected CancellationReasons: {reasons}"
                else:
                    with self.lock:
                        self.reasons.update(r["Code"] for r in reasons if r["Code"] != "None")
            with self.lock:
                self.outcomes[(op, code)] += 1
                if problem:
                    self.unexpected.append(f"{op}: {problem}: {code} {err.get('Message')!r} (HTTP {status})")
            return None
        except (BotoCoreError, OSError) as e:  # read timeout, connection reset, ...
            with self.lock:
                self.outcomes[(op, type(e).__name__)] += 1
                self.unexpected.append(f"{op}: {type(e).__name__}: {e}")
            return None
        with self.lock:
            self.outcomes[(op, "ok")] += 1
        return r


def transfer_worker(client, table, rec, seed, deadline):
    rnd = random.Random(seed)
    for _ in range(MAX_OPS_PER_THREAD):
        if time.monotonic() > deadline:
            return
        src, dst = rnd.sample(COUNTERS, 2)
        amount = rnd.randint(1, 300)
        actions = [
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": S(src)},
                    "UpdateExpression": "SET bal = bal - :a, g = :g ADD ver :one",
                    "ConditionExpression": "bal >= :a",
                    "ExpressionAttributeValues": {":a": N(amount), ":g": S(rnd.choice(G_VALUES)), ":one": N(1)},
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": S(dst)},
                    "UpdateExpression": "SET bal = bal + :a ADD ver :one REMOVE g",
                    "ExpressionAttributeValues": {":a": N(amount), ":one": N(1)},
                }
            },
        ]
        # half the transfers also write or check one of the plain writers' items
        extra = rnd.random()
        item = rnd.choice(ITEMS)
        if extra < 0.25:
            new = {"pk": S(item), "g": S("T"), "h": N(rnd.randint(0, 3))}
            actions.append({"Put": {"TableName": table, "Item": new}})
        elif extra < 0.5:
            actions.append(
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": S(item)},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                }
            )
        r = rec.call("TransactWriteItems", client.transact_write_items, TransactItems=actions)
        if r is not None:
            with rec.lock:
                rec.transfers_ok += 1


def writer_worker(client, table, rec, seed, deadline):
    rnd = random.Random(seed)
    for _ in range(MAX_OPS_PER_THREAD):
        if time.monotonic() > deadline:
            return
        choice = rnd.random()
        if choice < 0.2:
            # touch a counter's indexed attributes (never its balance)
            key = {"pk": S(rnd.choice(COUNTERS))}
            if rnd.random() < 0.5:
                rec.call(
                    "UpdateItem",
                    client.update_item,
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET g = :g, h = :h",
                    ConditionExpression="attribute_exists(bal)",
                    ExpressionAttributeValues={":g": S(rnd.choice(G_VALUES)), ":h": N(rnd.randint(0, 3))},
                )
            else:
                rec.call("UpdateItem", client.update_item, TableName=table, Key=key, UpdateExpression="REMOVE g, h")
            continue
        key = {"pk": S(rnd.choice(ITEMS))}
        if choice < 0.45:
            item = dict(key, v=N(rnd.randint(0, 10**6)))
            if rnd.random() < 0.7:
                item["g"] = S(rnd.choice(G_VALUES))
            if rnd.random() < 0.5:
                item["h"] = N(rnd.randint(0, 3))
            rec.call("PutItem", client.put_item, TableName=table, Item=item)
        elif choice < 0.65:
            rec.call(
                "UpdateItem",
                client.update_item,
                TableName=table,
                Key=key,
                UpdateExpression="SET g = :g ADD v :one",
                ExpressionAttributeValues={":g": S(rnd.choice(G_VALUES)), ":one": N(1)},
            )
        elif choice < 0.75:
            rec.call("UpdateItem", client.update_item, TableName=table, Key=key, UpdateExpression="REMOVE g")
        elif choice < 0.85:
            rec.call(
                "UpdateItem",
                client.update_item,
                TableName=table,
                Key=key,
                UpdateExpression="SET h = :h",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":h": N(rnd.randint(0, 3))},
            )
        else:
            rec.call("DeleteItem", client.delete_item, TableName=table, Key=key)


def reader_worker(client, table, rec, seed, deadline):
    for _ in range(MAX_OPS_PER_THREAD):
        if time.monotonic() > deadline:
            return
        r = rec.call(
            "TransactGetItems",
            client.transact_get_items,
            TransactItems=[
                {"Get": {"TableName": table, "Key": {"pk": S(c)}, "ProjectionExpression": "pk, bal"}} for c in COUNTERS
            ],
        )
        if r is not None:
            got = r["Responses"]
            total = sum(int(x["Item"]["bal"]["N"]) for x in got)
            with rec.lock:
                rec.read_totals.append(total)


def key_of(item):
    return item["pk"]["S"]


def test_conflicting_transactions_and_writes_keep_invariants(client, table, server):
    for c in COUNTERS:
        client.put_item(TableName=table, Item={"pk": S(c), "bal": N(START_BALANCE), "ver": N(0), "g": S("A")})
    for i, k in enumerate(ITEMS):
        client.put_item(TableName=table, Item={"pk": S(k), "v": N(i), "g": S(G_VALUES[i % 3])})

    rec = Recorder()
    start_barrier = threading.Barrier(THREADS)
    deadline_box = []

    def run(worker, seed):
        start_barrier.wait(30)
        worker(client, table, rec, seed, deadline_box[0])

    workers = (
        [transfer_worker] * TRANSFER_THREADS + [writer_worker] * WRITER_THREADS + [reader_worker] * READER_THREADS
    )
    deadline_box.append(time.monotonic() + DURATION + 1.0)
    threads = [threading.Thread(target=run, args=(w, 1000 + i), daemon=True) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    # every thread stops by itself at the deadline; a request may take up to READ_TIMEOUT
    join_by = time.monotonic() + DURATION + 1.0 + READ_TIMEOUT + 30
    for t in threads:
        t.join(max(0.0, join_by - time.monotonic()))
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"threads still running (a request hung): {hung}"
    if server is not None:
        assert server.alive(), f"ddb-server died; output:\n{server.log()}"

    summary = dict(sorted((f"{op}:{code}", n) for (op, code), n in rec.outcomes.items()))
    print(f"outcomes: {summary}; cancellation reasons: {dict(rec.reasons)}")
    assert rec.unexpected == [], f"{len(rec.unexpected)} unexpected outcomes, e.g. {rec.unexpected[:5]}; all: {summary}"
    # the load really ran, and every kind of request made progress
    for op in ("TransactWriteItems", "TransactGetItems", "PutItem", "UpdateItem", "DeleteItem"):
        assert rec.outcomes[(op, "ok")] > 0, f"no {op} succeeded: {summary}"
    assert rec.transfers_ok >= 20, summary

    # the total is constant, and every transaction the clients saw succeed applied exactly once
    final = {key_of(i): i for i in full_scan(client, TableName=table, ConsistentRead=True)}
    balances = {c: int(final[c]["bal"]["N"]) for c in COUNTERS}
    assert sum(balances.values()) == START_BALANCE * len(COUNTERS), balances
    assert all(b >= 0 for b in balances.values()), balances
    assert sum(int(final[c]["ver"]["N"]) for c in COUNTERS) == 2 * rec.transfers_ok
    got = client.transact_get_items(
        TransactItems=[{"Get": {"TableName": table, "Key": {"pk": S(c)}}} for c in COUNTERS]
    )
    assert sum(int(x["Item"]["bal"]["N"]) for x in got["Responses"]) == START_BALANCE * len(COUNTERS)

    # every transactional read saw the constant total
    assert rec.read_totals, summary
    bad_reads = [t for t in rec.read_totals if t != START_BALANCE * len(COUNTERS)]
    n_reads = len(rec.read_totals)
    assert bad_reads == [], f"{len(bad_reads)} of {n_reads} TransactGetItems saw another total: {bad_reads[:10]}"

    # each index holds exactly the items with its key attributes, with its projection
    base = sorted(final.values(), key=key_of)
    by_g = sorted(full_scan(client, TableName=table, IndexName="by-g"), key=key_of)
    assert by_g == [i for i in base if "g" in i]
    by_h = sorted(full_scan(client, TableName=table, IndexName="by-h"), key=key_of)
    assert by_h == [{"pk": i["pk"], "h": i["h"]} for i in base if "h" in i]
    # and a Query of each index value agrees with the scan
    for g in G_VALUES + ["T"]:
        q = []
        kwargs = dict(
            TableName=table, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S(g)}
        )
        while True:
            r = client.query(**kwargs)
            q.extend(r["Items"])
            if "LastEvaluatedKey" not in r:
                break
            kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]
        assert sorted(q, key=key_of) == [i for i in base if i.get("g") == S(g)], g
